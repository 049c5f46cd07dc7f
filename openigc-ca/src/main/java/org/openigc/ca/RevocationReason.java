package org.openigc.ca;

import java.util.Arrays;

/**
 * RFC 5280 revocation reasons the platform uses (DOMAIN §6: IGC-Santé publishes none of its own). No
 * certificateHold: a revocation is final. The codes are the CRLReason values written in CRLs and OCSP responses.
 */
public enum RevocationReason {
    UNSPECIFIED(0),
    KEY_COMPROMISE(1),
    CA_COMPROMISE(2),
    AFFILIATION_CHANGED(3),
    SUPERSEDED(4),
    CESSATION_OF_OPERATION(5),
    PRIVILEGE_WITHDRAWN(9);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** The RFC 5280 CRLReason value. */
    public int code() {
        return code;
    }

    /** @throws IllegalArgumentException for a code the platform does not use (6 certificateHold, 8, 10) */
    public static RevocationReason fromCode(int code) {
        return Arrays.stream(values()).filter(r -> r.code == code).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("revocation reason " + code + " is not used"));
    }
}
