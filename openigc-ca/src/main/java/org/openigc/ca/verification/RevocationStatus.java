package org.openigc.ca.verification;

import java.time.Instant;

/**
 * A revocation answer about one certificate, from OCSP or a CRL.
 *
 * @param revokedAt  set only for {@link State#REVOKED}
 * @param reason     RFC 5280 reason code (0 unspecified…), or -1 when absent / not revoked
 * @param thisUpdate when the answer was produced
 * @param nextUpdate when a newer answer is expected, or null
 * @param source     {@code ocsp} or {@code crl}
 */
public record RevocationStatus(State state, Instant revokedAt, int reason, Instant thisUpdate, Instant nextUpdate,
                               String source) {
    public enum State {
        GOOD, REVOKED, UNKNOWN
    }

    public boolean good() {
        return state == State.GOOD;
    }
}
