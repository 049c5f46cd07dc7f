package org.openigc.certdc.deposit;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import org.openigc.certdc.CertDcAudit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes every deposit 96 hours after its reception, with the nominative copy of its drafts, whatever happens:
 * run at start-up (catching up on any downtime) and then periodically. Cluster-safe: one node at a time holds a
 * transaction-scoped advisory lock, the others skip that round; each statement is idempotent anyway. Only counts
 * reach the logs and the audit trail. (Reads filter on {@code expires_at} too, so an expired deposit is never shown
 * even between two rounds.)
 */
public final class PurgeJob {
    static final long LOCK = 0x0CE2_7DC0_0001L;
    private static final Logger log = LoggerFactory.getLogger(PurgeJob.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final CertDcAudit audit;

    /** What one round removed; {@code skipped} when another node was purging. */
    public record Outcome(boolean skipped, int deposits, int drafts) {
    }

    public PurgeJob(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, CertDcAudit audit) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.audit = audit;
    }

    public Outcome run() {
        Instant now = clock.instant();
        Outcome outcome = transactions.execute(status -> {
            Boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(:lock)").param("lock", LOCK)
                    .query(Boolean.class).single();
            if (!Boolean.TRUE.equals(locked)) {
                return new Outcome(true, 0, 0);
            }
            int drafts = jdbc.sql("""
                    update certdc.certificate_draft
                    set content = null, status = case when status = 'DRAFT' then 'EXPIRED' else status end,
                        updated_at = :now
                    where content is not null
                      and (expires_at <= :now
                           or deposit_id in (select id from certdc.deposit where expires_at <= :now))
                    """).param("now", Timestamp.from(now)).update();
            int deposits = jdbc.sql("delete from certdc.deposit where expires_at <= :now")
                    .param("now", Timestamp.from(now)).update();
            if (deposits > 0 || drafts > 0) {
                audit.recordAs("system:certdc-purge", null, "certdc.purge", "certdc-deposit", null,
                        Map.of("deposits", String.valueOf(deposits), "drafts", String.valueOf(drafts)));
            }
            return new Outcome(false, deposits, drafts);
        });
        if (outcome != null && (outcome.deposits() > 0 || outcome.drafts() > 0)) {
            log.info("event=certdc-purge deposits={} drafts={}", outcome.deposits(), outcome.drafts());
        }
        return outcome;
    }
}
