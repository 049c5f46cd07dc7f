package org.openigc.ca;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer for one CertID of an OCSP response (RFC 6960 §4.2.1 SingleResponse).
 *
 * @param revokedAt  for REVOKED only
 * @param reason     for REVOKED only; null or {@link RevocationReason#UNSPECIFIED} leave revocationReason out, as a
 *                   CRL leaves out the unspecified reason code
 * @param nextUpdate null when newer information is always available (RFC 6960 §4.2.2.1); normally the next CRL's
 *                   or status refresh's time
 */
public record SingleStatus(OcspCertId id, CertStatus status, Instant revokedAt, RevocationReason reason,
                           Instant thisUpdate, Instant nextUpdate) {
    public SingleStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
        if (status == CertStatus.REVOKED && revokedAt == null) {
            throw new CaException(CaErrorCode.REQUEST_INVALID, "a revoked status needs its revocation time");
        }
        if (status != CertStatus.REVOKED && (revokedAt != null || reason != null)) {
            throw new CaException(CaErrorCode.REQUEST_INVALID, "only a revoked status has a revocation time and reason");
        }
        if (nextUpdate != null && !nextUpdate.isAfter(thisUpdate)) {
            throw new CaException(CaErrorCode.REQUEST_INVALID, "nextUpdate must be after thisUpdate");
        }
    }

    public static SingleStatus good(OcspCertId id, Instant thisUpdate, Instant nextUpdate) {
        return new SingleStatus(id, CertStatus.GOOD, null, null, thisUpdate, nextUpdate);
    }

    public static SingleStatus revoked(OcspCertId id, Instant revokedAt, RevocationReason reason, Instant thisUpdate,
                                       Instant nextUpdate) {
        return new SingleStatus(id, CertStatus.REVOKED, revokedAt, reason, thisUpdate, nextUpdate);
    }

    public static SingleStatus unknown(OcspCertId id, Instant thisUpdate, Instant nextUpdate) {
        return new SingleStatus(id, CertStatus.UNKNOWN, null, null, thisUpdate, nextUpdate);
    }
}
