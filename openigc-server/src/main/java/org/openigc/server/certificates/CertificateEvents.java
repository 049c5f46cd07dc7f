package org.openigc.server.certificates;

import java.time.Instant;
import java.util.UUID;

/** Facts other features react to (OCSP, CRL, notifications), published inside the transaction that made them. */
public final class CertificateEvents {
    private CertificateEvents() {
    }

    public record CertificateIssued(UUID id, String caName, String serialNumber, Instant notAfter) {
    }

    public record CertificateRevoked(UUID id, String caName, String serialNumber, Instant revokedAt, String reason) {
    }
}
