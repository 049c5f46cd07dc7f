package org.openigc.server.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The scan's query on a realistic spread of end dates (issue 6 point 7), in a transaction rolled back at the end so
 * the shared database is untouched. 20,000 certificates by default (plan check only); the benchmark runs with
 * {@code -Dopenigc.bench.rows=1000000} and must find the due notices in under 2 s.
 */
class NotificationScanPlanIT extends ServerTestSupport {
    private static final int ROWS = Integer.getInteger("openigc.bench.rows", 20_000);

    @Autowired
    JdbcClient jdbc;
    @Autowired
    ExpiryNotifier notifier;
    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void theScanIsAnIndexRangeNotAFullScan() {
        Instant now = Instant.parse("2031-03-01T10:00:00Z");
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        transaction.executeWithoutResult(status -> {
            status.setRollbackOnly();
            String ca = jdbc.sql("select name from ca_certificate order by name limit 1").query(String.class).single();
            long insertStart = System.nanoTime();
            // end dates spread evenly over [now - 1 year, now + 3 years]; 2,000 structures; 1 in 10 revoked
            jdbc.sql("""
                    insert into certificate (id, serial_number, ca_name, profile, environment, channel, status, subject,
                                             not_before, not_after, public_key_sha256, structure_id, usage,
                                             service_applicatif, actor_email)
                    select gen_random_uuid(), 'bench' || g, :ca, 'bench', 'PRODUCTION', 'PORTAL',
                           case when g % 10 = 0 then 'REVOKED' else 'ACTIVE' end, 'CN=BENCH ' || g,
                           cast(:start as timestamptz) + (g * interval '1 second' * (4 * 365 * 86400 / :rows)) - interval '3 years',
                           cast(:start as timestamptz) + (g * interval '1 second' * (4 * 365 * 86400 / :rows)),
                           'k' || g, ('00000000-0000-0000-0000-' || lpad((g % 2000)::text, 12, '0'))::uuid, 'AUTH_CLI',
                           'BENCH ' || g, 'bench' || g || '@example.org'
                    from generate_series(1, :rows) g
                    """).param("ca", ca).param("start", Timestamp.from(now.minus(Duration.ofDays(365))))
                    .param("rows", ROWS).update();
            jdbc.sql("analyze certificate").update();
            long inserted = System.nanoTime() - insertStart;

            String plan = jdbc.sql("explain " + ExpiryNotifier.DUE_SQL)
                    .param("horizon", Timestamp.from(now.plus(Duration.ofDays(60))))
                    .param("floor", Timestamp.from(now.minus(Duration.ofDays(30))))
                    .param("now", Timestamp.from(now)).param("days", new Integer[] {0, 7, 30, 60})
                    .param("limit", ExpiryNotifier.BATCH)
                    .query(String.class).list().stream().collect(Collectors.joining("\n"));
            assertThat(plan).contains("certificate_expiry_scan_idx").doesNotContain("Seq Scan on certificate");

            long start = System.nanoTime();
            List<java.util.UUID> due = notifier.due(now);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            // [now - 30 d, now + 60 d] out of 4 years, 9 in 10 active
            long expected = Math.min(ExpiryNotifier.BATCH, Math.round(ROWS * 0.9 * 90 / (4 * 365.0)));
            assertThat(due.size()).isBetween((int) (expected * 0.9), (int) Math.ceil(expected * 1.1) + 1);
            // the whole due set at once (no batch limit), as a first start on a full database would see it
            long allStart = System.nanoTime();
            List<java.util.UUID> all = jdbc.sql(ExpiryNotifier.DUE_SQL)
                    .param("horizon", Timestamp.from(now.plus(Duration.ofDays(60))))
                    .param("floor", Timestamp.from(now.minus(Duration.ofDays(30))))
                    .param("now", Timestamp.from(now)).param("days", new Integer[] {0, 7, 30, 60})
                    .param("limit", ROWS).query(java.util.UUID.class).list();
            long allMs = (System.nanoTime() - allStart) / 1_000_000;
            long expectedAll = Math.round(ROWS * 0.9 * 90 / (4 * 365.0));
            assertThat(all.size()).isBetween((int) (expectedAll * 0.9), (int) Math.ceil(expectedAll * 1.1) + 1);
            System.out.printf("expiry scan benchmark: rows=%d due=%d scanMs=%d allDue=%d allMs=%d insertMs=%d%n%s%n",
                    ROWS, due.size(), elapsedMs, all.size(), allMs, inserted / 1_000_000, plan);
            assertThat(elapsedMs).isLessThan(2000);
            assertThat(allMs).isLessThan(2000);
        });
    }
}
