package org.openigc.server.database;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Single-row inserts a transaction may send together. After {@link #deferUntilCommit} in a transaction,
 * {@link #insert} queues its statement instead of running it, and the queued statements go to the database in one
 * round trip just before the commit, in the order queued, in that same transaction (so they commit or roll back with
 * it, and a failing one fails the commit). Without {@code deferUntilCommit()}, {@link #insert} runs at once.
 *
 * <p>For transactions whose last writes are rows nothing reads back before the commit: an order inserts its
 * certificate, its outbox mail and its audit event after every check, and each insert was a round trip of its own.
 */
@Component
public class DeferredWrites {
    private static final Object KEY = DeferredWrites.class;

    private final JdbcTemplate jdbc;

    public DeferredWrites(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Queues the {@link #insert}s of the transaction {@code started} until its commit, if the caller started it (a
     * transaction it joined belongs to code that may still read or reference the rows before the commit); no-op when
     * already deferring.
     */
    public void deferUntilCommit(TransactionStatus started) {
        if (started.isNewTransaction()) {
            // a nested REQUIRES_NEW transaction has its own queue, or writes at once
            TransactionScoped.bind(KEY, new ArrayList<RoundTrip.Statement>(), queued -> {
                RoundTrip.run(jdbc, queued);
                queued.clear();
            });
        }
    }

    /**
     * Inserts exactly one row ({@code namedSql} with {@code :name} parameters): at the commit when this transaction
     * defers its writes, else now. Either way a statement that does not insert exactly one row is an error.
     */
    public void insert(String namedSql, Map<String, ?> params) {
        RoundTrip.Statement insert = RoundTrip.Statement.insertOne(namedSql, params);
        @SuppressWarnings("unchecked")
        List<RoundTrip.Statement> queued = (List<RoundTrip.Statement>) TransactionSynchronizationManager.getResource(KEY);
        if (queued != null) {
            queued.add(insert);
        } else {
            RoundTrip.run(jdbc, List.of(insert));
        }
    }
}
