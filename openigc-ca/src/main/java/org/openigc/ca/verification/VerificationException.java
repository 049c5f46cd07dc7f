package org.openigc.ca.verification;

/** A certificate a relying party must refuse, with the reason as a {@link VerificationFailure}. */
public class VerificationException extends RuntimeException {
    private final VerificationFailure failure;

    public VerificationException(VerificationFailure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public VerificationException(VerificationFailure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public VerificationFailure failure() {
        return failure;
    }
}
