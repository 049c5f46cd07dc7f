package org.openigc.server.audit;

/**
 * The outcome of recomputing the chain.
 *
 * @param eventsChecked events found intact before the first broken one (all of them when intact)
 * @param lastId        id of the last intact event (null when the trail is empty or broken at its first event)
 * @param headHash      hash of the last intact event: note it to detect later truncation of the tail
 * @param brokenId      first event that breaks the chain, null when intact
 * @param reason        why it breaks, null when intact
 * @param pending       events committed but not yet linked to the chain (the chainer does so within a second)
 */
public record AuditVerification(boolean intact, long eventsChecked, Long lastId, String headHash, Long brokenId,
                                String reason, long pending) {
    static AuditVerification intact(long count, Long lastId, String headHash, long pending) {
        return new AuditVerification(true, count, lastId, headHash, null, null, pending);
    }

    static AuditVerification broken(long count, Long lastId, String headHash, long brokenId, String reason,
                                    long pending) {
        return new AuditVerification(false, count, lastId, headHash, brokenId, reason, pending);
    }

    /** One line for people and logs. */
    public String summary() {
        String waiting = pending == 0 ? "" : " (" + pending + " more pending, not yet chained)";
        if (intact) {
            return (eventsChecked == 0 ? "Audit trail intact: no events yet."
                    : "Audit trail intact: " + eventsChecked + " events, last #" + lastId + ", head hash " + headHash)
                    + waiting;
        }
        return "Audit trail BROKEN at event #" + brokenId + ": " + reason + " (" + eventsChecked
                + " events intact before it" + (lastId == null ? "" : ", last intact #" + lastId) + ")";
    }
}
