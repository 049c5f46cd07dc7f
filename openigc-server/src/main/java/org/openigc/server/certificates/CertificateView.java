package org.openigc.server.certificates;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A certificate as tracking and the API show it. {@code status} is ACTIVE, REVOKED or EXPIRED. */
public record CertificateView(UUID id, String serialNumber, String status, String environment, String offer,
                              String usage, String profile, UUID structureId, String structure,
                              String serviceApplicatif, List<String> dnsNames, String subject, Instant notBefore,
                              Instant notAfter, Long daysLeft, String fingerprint, String actorEmail, String ccEmail,
                              UUID renews, UUID renewedBy, Instant revokedAt, String revocationReason,
                              String channel, String issuer, String certificate, String pkcs12) {

    CertificateView withPkcs12(String link) {
        return new CertificateView(id, serialNumber, status, environment, offer, usage, profile, structureId, structure,
                serviceApplicatif, dnsNames, subject, notBefore, notAfter, daysLeft, fingerprint, actorEmail, ccEmail,
                renews, renewedBy, revokedAt, revocationReason, channel, issuer, certificate, link);
    }
}
