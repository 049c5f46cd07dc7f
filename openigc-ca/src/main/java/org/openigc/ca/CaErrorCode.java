package org.openigc.ca;

/** Stable error codes of the CA core, mapped once at the edge (problem+json, ACME problems, form errors). */
public enum CaErrorCode {
    CSR_UNPARSABLE("csr.unparsable"),
    CSR_WRONG_PEM_TYPE("csr.wrongPemType"),
    CSR_BAD_SIGNATURE("csr.badSignature"),
    CSR_RSA_TOO_SHORT("csr.rsaTooShort"),
    CSR_EC_CURVE_NOT_ALLOWED("csr.ecCurveNotAllowed"),
    CSR_KEY_TYPE_NOT_ALLOWED("csr.keyTypeNotAllowed"),
    CSR_WEAK_SIGNATURE_ALGORITHM("csr.weakSignatureAlgorithm"),
    CSR_TOO_LARGE("csr.tooLarge"),
    PROFILE_INVALID("profile.invalid"),
    PROFILE_CHECK_FAILED("profile.checkFailed"),
    REQUEST_INVALID("request.invalid"),
    KEYSTORE("keystore.error"),
    OCSP_MALFORMED_REQUEST("ocsp.malformedRequest"),
    /** More CertIDs in one OCSP request than the responder answers; mapped to malformedRequest on the wire. */
    OCSP_TOO_MANY_REQUESTS("ocsp.tooManyRequests"),
    SIGNING_FAILED("signing.failed");

    private final String code;

    CaErrorCode(String code) {
        this.code = code;
    }

    /** The stable machine code, e.g. {@code csr.rsaTooShort}. */
    public String code() {
        return code;
    }
}
