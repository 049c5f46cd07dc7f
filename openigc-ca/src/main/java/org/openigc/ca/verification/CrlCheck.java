package org.openigc.ca.verification;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;

/** Looks a certificate up in a CRL after checking the CRL itself: issuer, signature, freshness (nextUpdate). */
public final class CrlCheck {
    private CrlCheck() {
    }

    /**
     * @throws VerificationException {@link VerificationFailure#STATUS_UNAVAILABLE} when the CRL is unreadable, from
     *                               another issuer, badly signed or past its nextUpdate
     */
    public static RevocationStatus evaluate(byte[] crlDer, X509Certificate certificate, X509Certificate issuer,
                                            Instant now) {
        X509CRL crl;
        try {
            crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(crlDer));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw unavailable("unreadable CRL: " + e.getMessage());
        }
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw unavailable("CRL issued by " + crl.getIssuerX500Principal().getName());
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw unavailable("CRL signature invalid");
        }
        Instant thisUpdate = crl.getThisUpdate().toInstant();
        Instant nextUpdate = crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
        if (nextUpdate == null || nextUpdate.isBefore(now.minus(OcspExchange.SKEW))) {
            throw unavailable("stale CRL (nextUpdate " + nextUpdate + ")");
        }
        X509CRLEntry entry = crl.getRevokedCertificate(certificate.getSerialNumber());
        if (entry == null) {
            return new RevocationStatus(RevocationStatus.State.GOOD, null, -1, thisUpdate, nextUpdate, "crl");
        }
        CRLReason reason = entry.getRevocationReason();
        return new RevocationStatus(RevocationStatus.State.REVOKED, entry.getRevocationDate().toInstant(),
                reason == null ? -1 : reason.ordinal(), thisUpdate, nextUpdate, "crl");
    }

    private static VerificationException unavailable(String message) {
        return new VerificationException(VerificationFailure.STATUS_UNAVAILABLE, message);
    }
}
