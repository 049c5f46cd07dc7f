package org.openigc.server.database;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlTypeValue;
import org.springframework.jdbc.core.StatementCreatorUtils;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Single-row inserts a transaction may send together. After {@link #deferUntilCommit()} in a transaction,
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

    private record Insert(ParsedSql sql, MapSqlParameterSource params) {
    }

    /**
     * Queues the {@link #insert}s of the transaction {@code started} until its commit, if the caller started it (a
     * transaction it joined belongs to code that may still read or reference the rows before the commit); no-op when
     * already deferring.
     */
    public void deferUntilCommit(TransactionStatus started) {
        if (!started.isNewTransaction() || !TransactionSynchronizationManager.isSynchronizationActive()
                || TransactionSynchronizationManager.hasResource(KEY)) {
            return;
        }
        List<Insert> queued = new ArrayList<>();
        TransactionSynchronizationManager.bindResource(KEY, queued);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void suspend() {
                // a nested REQUIRES_NEW transaction writes at once, on its own connection
                TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
            }

            @Override
            public void resume() {
                TransactionSynchronizationManager.bindResource(KEY, queued);
            }

            @Override
            public void beforeCommit(boolean readOnly) {
                send(queued);
                queued.clear();
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(KEY);
            }
        });
    }

    /**
     * Inserts exactly one row ({@code namedSql} with {@code :name} parameters): at the commit when this transaction
     * defers its writes, else now. Either way a statement that does not insert exactly one row is an error.
     */
    public void insert(String namedSql, Map<String, ?> params) {
        Insert insert = new Insert(NamedParameterUtils.parseSqlStatement(namedSql), new MapSqlParameterSource(params));
        @SuppressWarnings("unchecked")
        List<Insert> queued = (List<Insert>) TransactionSynchronizationManager.getResource(KEY);
        if (queued != null) {
            queued.add(insert);
        } else {
            send(List.of(insert));
        }
    }

    private void send(List<Insert> inserts) {
        if (inserts.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder();
        List<Object> values = new ArrayList<>();
        for (Insert insert : inserts) {
            sql.append(sql.isEmpty() ? "" : ";\n")
                    .append(NamedParameterUtils.substituteNamedParameters(insert.sql(), insert.params()));
            values.addAll(Arrays.asList(NamedParameterUtils.buildValueArray(insert.sql(), insert.params(), null)));
        }
        // several statements in one PreparedStatement: the PostgreSQL driver sends them in one round trip
        jdbc.execute(sql.toString(), (PreparedStatement ps) -> {
            for (int i = 0; i < values.size(); i++) {
                StatementCreatorUtils.setParameterValue(ps, i + 1, SqlTypeValue.TYPE_UNKNOWN, values.get(i));
            }
            ps.execute();
            for (int i = 0; i < inserts.size(); i++) {
                int count = ps.getUpdateCount();
                if (count != 1) {
                    throw new IncorrectResultSizeDataAccessException("queued insert " + (i + 1) + " of "
                            + inserts.size() + " wrote " + count + " rows", 1, count);
                }
                ps.getMoreResults();
            }
            return null;
        });
    }
}
