package org.openigc.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/** One revoked certificate as a CRL lists it. */
public record RevokedEntry(BigInteger serial, Instant revokedAt, RevocationReason reason) {
    public RevokedEntry {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(reason, "reason");
        if (serial.signum() <= 0) {
            throw new CaException(CaErrorCode.REQUEST_INVALID, "a certificate serial is positive: " + serial);
        }
    }
}
