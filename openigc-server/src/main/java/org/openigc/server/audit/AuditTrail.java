package org.openigc.server.audit;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The append-only, hash-chained audit trail. Every state change and every login or refusal is recorded here, in the
 * same transaction as the change.
 *
 * <p>PLACEHOLDER: signatures are final; the storage and hash chain come with the audit feature.
 */
@Service
public class AuditTrail {
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

    /**
     * Records one event in the current transaction; the actor and source IP are taken from the security context
     * and the current request.
     *
     * @param action     e.g. {@code habilitation.approved}, {@code certificate.revoked}, {@code login.refused}
     * @param objectType e.g. {@code habilitation}, {@code certificate}, {@code structure}
     * @param details    small key/value facts (ids, counts, reasons) — never secrets or patient data
     */
    public void record(String action, String objectType, String objectId, Map<String, String> details) {
        log.info("event=audit action={} objectType={} objectId={}", action, objectType, objectId);
    }

    /** For events without a logged-in user (failed logins, scheduled jobs, system start-up). */
    public void recordAs(String actor, String sourceIp, String action, String objectType, String objectId,
                         Map<String, String> details) {
        log.info("event=audit actor={} action={} objectType={} objectId={}", actor, action, objectType, objectId);
    }
}
