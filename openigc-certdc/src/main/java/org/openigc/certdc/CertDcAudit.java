package org.openigc.certdc;

import java.util.Map;

/** CertDC's events in the platform's audit trail: ids and counts only, never nominative data. */
public interface CertDcAudit {
    /** An event by the authenticated user (account, card or SI certificate) of the current request. */
    void record(String action, String objectType, String objectId, Map<String, String> details);

    /** An event without an authenticated user: failed logins, scheduled jobs, start-up. */
    void recordAs(String actor, String sourceIp, String action, String objectType, String objectId,
                  Map<String, String> details);
}
