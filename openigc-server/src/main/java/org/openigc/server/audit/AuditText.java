package org.openigc.server.audit;

/** Text as PostgreSQL can store it: NUL is the one character text and jsonb refuse. */
final class AuditText {
    private AuditText() {
    }

    static String clean(String value) {
        return value == null ? null : value.replace('\u0000', '\uFFFD');
    }
}
