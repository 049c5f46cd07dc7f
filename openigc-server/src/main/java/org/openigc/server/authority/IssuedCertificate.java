package org.openigc.server.authority;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.UUID;

/**
 * A certificate signed and recorded in the current transaction.
 *
 * @param der         the certificate as stored and served
 * @param notAfter    its end of validity (whole seconds, as encoded)
 * @param subject     its subject as recorded ({@code X500Principal.getName()}, RFC 2253)
 * @param fingerprint SHA-256 of the DER, lower-case hex, as recorded
 */
public record IssuedCertificate(UUID id, String serialNumber, String caName, byte[] der, Instant notAfter,
                                String subject, String fingerprint) {

    /** Parsed on demand (parsing costs more than issuing): most callers only store or serve the DER. */
    public X509Certificate certificate() {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot read back a certificate just issued", e);
        }
    }
}
