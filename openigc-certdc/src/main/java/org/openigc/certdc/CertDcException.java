package org.openigc.certdc;

/**
 * A refused CertDC operation: a stable code (also the message key) and, for form and JSON errors, the field.
 * Mapped once at the edge: to a form error for the UI, to problem+json for the APIs.
 */
public class CertDcException extends RuntimeException {
    public enum Kind {
        INVALID(400), FORBIDDEN(403), NOT_FOUND(404), CONFLICT(409), TOO_MANY(429);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final String code;

    public CertDcException(Kind kind, String code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public static CertDcException notFound(String what) {
        return new CertDcException(Kind.NOT_FOUND, "certdc.notFound", what + " not found");
    }

    public static CertDcException state(String code, String message) {
        return new CertDcException(Kind.CONFLICT, code, message);
    }

    public static CertDcException tooMany() {
        return new CertDcException(Kind.TOO_MANY, "certdc.tooManyAttempts", "too many attempts, try again later");
    }
}
