package org.openigc.server.audit;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Recomputes the chain from the first event, in id order and in batches (memory stays flat whatever the size of the
 * trail), and names the first event that breaks it: content that no longer matches its hash (a row was edited), or
 * a previous hash that is not the hash of the event before (an event was deleted, inserted or reordered).
 *
 * <p>A chain cannot show that its newest events were cut off: compare the head hash with one noted earlier. Events
 * not yet chained (see {@link AuditChainer}) are counted, not verified.
 */
@Component
public class AuditChainVerifier {
    static final int BATCH = 1000;

    private final AuditEventRepository events;

    public AuditChainVerifier(JdbcClient jdbc) {
        this.events = new AuditEventRepository(jdbc);
    }

    public AuditVerification verify() {
        String expectedPrevious = AuditHash.GENESIS;
        long checked = 0;
        Long lastId = null;
        long after = Long.MIN_VALUE;
        long pending = events.pendingCount();
        while (true) {
            List<AuditEventRepository.StoredRow> batch = events.batchAfter(after, BATCH);
            for (AuditEventRepository.StoredRow row : batch) {
                if (!row.previousHash().equals(expectedPrevious)) {
                    String reason = lastId == null
                            ? "it does not start the chain (previous hash is not the genesis hash): earlier events "
                              + "were deleted"
                            : "its previous hash is not the hash of event #" + lastId + ": an event was deleted, "
                              + "inserted or reordered before it";
                    return AuditVerification.broken(checked, lastId, lastId == null ? null : expectedPrevious,
                            row.id(), reason, pending);
                }
                AuditEvent event;
                try {
                    event = row.toEvent();
                } catch (RuntimeException e) {
                    return AuditVerification.broken(checked, lastId, lastId == null ? null : expectedPrevious,
                            row.id(), "its details are not a JSON object of strings: the row was modified", pending);
                }
                if (!AuditHash.of(event).equals(row.hash())) {
                    return AuditVerification.broken(checked, lastId, lastId == null ? null : expectedPrevious,
                            row.id(), "its content does not match its hash: the row was modified", pending);
                }
                expectedPrevious = row.hash();
                lastId = row.id();
                checked++;
            }
            if (batch.size() < BATCH) {
                return AuditVerification.intact(checked, lastId, lastId == null ? null : expectedPrevious, pending);
            }
            after = lastId;
        }
    }
}
