package org.openigc.ca.verification;

/** Why a relying party refuses a certificate; each kind has a stable code that callers map to an answer. */
public enum VerificationFailure {
    /** Does not chain to the expected trust anchor (foreign CA, wrong environment, bad signature). */
    UNTRUSTED("certificate.untrusted"),
    EXPIRED("certificate.expired"),
    NOT_YET_VALID("certificate.notYetValid"),
    /** Chains correctly but is not the kind of certificate asked for (usage, key usage, subject layout). */
    WRONG_PROFILE("certificate.profile"),
    REVOKED("certificate.revoked"),
    /** The responder says it does not know the certificate. */
    STATUS_UNKNOWN("certificate.statusUnknown"),
    /** No usable revocation answer could be obtained (responder down, bad or stale response). */
    STATUS_UNAVAILABLE("certificate.statusUnavailable");

    private final String code;

    VerificationFailure(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
