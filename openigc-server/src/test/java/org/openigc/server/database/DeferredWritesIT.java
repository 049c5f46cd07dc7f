package org.openigc.server.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.IncorrectResultSizeDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deferred inserts on the real database: written together at the commit of the transaction that deferred them, in
 * that transaction (a failing one takes the whole transaction down), never when it rolls back, at once when not
 * deferred or when the transaction was only joined; a statement that does not insert exactly one row is refused.
 * And the {@link RoundTrip} under them: statements with their own parameters, results handed out in order.
 */
class DeferredWritesIT extends ServerTestSupport {
    private static final String INSERT = "insert into deferred_writes_probe (id, note, tags) values (:id, :note, :tags)";

    @Autowired
    DeferredWrites writes;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    JdbcTemplate jdbcTemplate;

    private TransactionTemplate transactions;

    @BeforeEach
    void probeTable() {
        jdbc.sql("create table deferred_writes_probe (id bigint primary key, note text, tags text[] not null)").update();
        transactions = new TransactionTemplate(transactionManager);
    }

    @AfterEach
    void dropProbeTable() {
        jdbc.sql("drop table deferred_writes_probe").update();
    }

    @Test
    void deferredInsertsAreWrittenTogetherAtTheCommitOfTheTransactionThatDeferredThem() {
        transactions.executeWithoutResult(status -> {
            writes.deferUntilCommit(status);
            writes.insert(INSERT, row(1, "first", "a", "b"));
            writes.insert(INSERT, row(2, null));
            writes.insert(INSERT, row(3, "third", "c"));
            assertThat(ids()).as("nothing is sent before the commit").isEmpty();
        });
        assertThat(ids()).containsExactly(1L, 2L, 3L);
        assertThat(jdbc.sql("select coalesce(note, '-') || ':' || array_to_string(tags, ',') from deferred_writes_probe "
                + "order by id").query(String.class).list()).containsExactly("first:a,b", "-:", "third:c");
    }

    @Test
    void withoutDeferralOrInAJoinedTransactionAnInsertIsWrittenAtOnce() {
        writes.insert(INSERT, row(1, "no transaction"));
        assertThat(ids()).containsExactly(1L);
        transactions.executeWithoutResult(outer -> {
            writes.insert(INSERT, row(2, "not deferred"));
            assertThat(ids()).containsExactly(1L, 2L);
            transactions.executeWithoutResult(joined -> {
                assertThat(joined.isNewTransaction()).isFalse();
                writes.deferUntilCommit(joined);
                writes.insert(INSERT, row(3, "joined"));
                assertThat(ids()).as("a joined transaction is not deferred").containsExactly(1L, 2L, 3L);
            });
        });
        assertThat(ids()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aFailingDeferredInsertFailsTheCommitAndNothingOfTheTransactionIsWritten() {
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            jdbc.sql(INSERT).params(row(10, "written at once")).update();
            writes.deferUntilCommit(status);
            writes.insert(INSERT, row(11, "deferred"));
            writes.insert(INSERT, row(11, "same key"));
        })).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(ids()).isEmpty();
    }

    @Test
    void deferredInsertsOfARolledBackTransactionAreNeverSent() {
        transactions.executeWithoutResult(status -> {
            writes.deferUntilCommit(status);
            writes.insert(INSERT, row(1, "rolled back"));
            status.setRollbackOnly();
        });
        assertThat(ids()).isEmpty();
    }

    @Test
    void aStatementThatDoesNotInsertExactlyOneRowIsRefusedDeferredOrNot() {
        String noRow = "insert into deferred_writes_probe (id, note, tags) select :id, :note, :tags where false";
        assertThatThrownBy(() -> writes.insert(noRow, row(1, "none")))
                .isInstanceOf(IncorrectResultSizeDataAccessException.class).hasMessageContaining("wrote 0 rows");
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            writes.deferUntilCommit(status);
            writes.insert(INSERT, row(1, "fine"));
            writes.insert(noRow, row(2, "none"));
        })).isInstanceOf(IncorrectResultSizeDataAccessException.class).hasMessageContaining("insert 2 of 2 wrote 0 rows");
        assertThat(ids()).isEmpty();
    }

    @Test
    void aRoundTripHandsEachQueryItsOwnRowsInOrderWithItsOwnParameters() {
        List<String> first = new java.util.ArrayList<>();
        List<String> second = new java.util.ArrayList<>();
        RoundTrip.run(jdbcTemplate, List.of(
                RoundTrip.Statement.insertOne(INSERT, row(1, "one", "x")),
                RoundTrip.Statement.query("select note from deferred_writes_probe where id = :id",
                        Map.of("id", 1L), rows -> { while (rows.next()) { first.add(rows.getString(1)); } }),
                RoundTrip.Statement.query("select :id::text || '-' || :note", Map.of("id", 7, "note", "seven"),
                        rows -> { while (rows.next()) { second.add(rows.getString(1)); } })));
        assertThat(first).containsExactly("one");
        assertThat(second).containsExactly("7-seven");
        assertThatThrownBy(() -> RoundTrip.run(jdbcTemplate, List.of(RoundTrip.Statement.query(INSERT, row(2, "two"),
                rows -> { }))))
                .as("a statement read as a query must return rows")
                .isInstanceOf(IncorrectResultSizeDataAccessException.class).hasMessageContaining("no rows to read");
    }

    private List<Long> ids() {
        return jdbc.sql("select id from deferred_writes_probe order by id").query(Long.class).list();
    }

    private static Map<String, Object> row(long id, String note, String... tags) {
        Map<String, Object> row = new HashMap<>();
        row.put("id", id);
        row.put("note", note);
        row.put("tags", tags);
        return row;
    }
}
