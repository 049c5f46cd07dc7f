package org.openigc.server.audit;

import java.time.Instant;

/** What an auditor filters on; null means "any". {@code to} is exclusive. */
public record AuditFilter(String actor, String action, String objectType, String objectId, Instant from, Instant to) {
    public AuditFilter {
        actor = blankToNull(actor);
        action = blankToNull(action);
        objectType = blankToNull(objectType);
        objectId = blankToNull(objectId);
    }

    public static AuditFilter none() {
        return new AuditFilter(null, null, null, null, null, null);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
