package org.openigc.server.est;

/** An EST refusal: the HTTP status and a plain-text reason (RFC 7030 §4.2.3). */
public class EstException extends RuntimeException {
    private final int status;

    EstException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
