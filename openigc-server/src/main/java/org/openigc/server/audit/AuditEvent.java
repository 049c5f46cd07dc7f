package org.openigc.server.audit;

import java.time.Instant;
import java.util.Map;

/**
 * One recorded event, as stored and as shown to auditors.
 *
 * @param details      small key/value facts, sorted by key
 * @param previousHash hash of the event before it ({@link AuditHash#GENESIS} for the first)
 * @param hash         SHA-256 (hex) of this event's canonical encoding, previous hash included
 */
public record AuditEvent(long id, Instant occurredAt, String actor, String sourceIp, String action, String objectType,
                         String objectId, Map<String, String> details, String previousHash, String hash) {
}
