package org.openigc.server.acme;

/** An RFC 8555 §6.7 problem: {@code urn:ietf:params:acme:error:<type>}. */
public class AcmeProblem extends RuntimeException {
    private final String type;
    private final int status;

    AcmeProblem(String type, int status, String detail) {
        super(detail);
        this.type = type;
        this.status = status;
    }

    static AcmeProblem malformed(String detail) {
        return new AcmeProblem("malformed", 400, detail);
    }

    static AcmeProblem unauthorized(String detail) {
        return new AcmeProblem("unauthorized", 403, detail);
    }

    String type() {
        return type;
    }

    public int status() {
        return status;
    }
}
