package org.openigc.server.authority;

import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.util.UUID;

import org.openigc.ca.CaKey;
import org.openigc.ca.CaUrls;
import org.openigc.ca.CertProfile;
import org.openigc.ca.CertificateIssuer;
import org.openigc.ca.Environment;
import org.openigc.ca.IssuanceRequest;
import org.openigc.ca.OcspResponderCertificate;
import org.openigc.ca.ProfileId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The only code that signs end-entity certificates. Within the caller's transaction it reserves the serial in a
 * row (status ISSUING), signs, then completes the row: the certificate reaches nobody before that transaction
 * commits, and a failure at any point rolls back both the row and the serial.
 */
@Service
public class IssuanceService {
    private final CertificateAuthorities authorities;
    private final JdbcClient jdbc;
    private final java.util.concurrent.ConcurrentMap<String, CertificateIssuer> issuers =
            new java.util.concurrent.ConcurrentHashMap<>();

    public IssuanceService(CertificateAuthorities authorities, JdbcClient jdbc) {
        this.authorities = authorities;
        this.jdbc = jdbc;
    }

    /**
     * A delegated OCSP responder for one CA, with a fresh key held in memory only (never stored): a node restart
     * simply makes a new one. Its certificate is recorded like any other.
     */
    @Transactional
    public CaKey issueOcspResponder(String caName, java.time.Duration validity, java.time.Instant now) {
        CaKey ca = authorities.byName(caName).orElseThrow();
        java.security.KeyPair keys = org.openigc.ca.KeyAlgorithm.EC_P256.generate();
        CaKey responder = OcspResponderCertificate.responder(ca, keys, null, now.minusSeconds(60), validity);
        X509Certificate certificate = responder.certificate();
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        jdbc.sql("""
                insert into certificate (id, serial_number, ca_name, profile, environment, channel, status, subject,
                                         not_before, not_after, public_key_sha256, der, fingerprint_sha256)
                values (:id, :serial, :ca, 'OCSP_RESPONDER', :environment, 'SYSTEM', 'ACTIVE', :subject,
                        :notBefore, :notAfter, :publicKey, :der, :fingerprint)
                """)
                .param("id", UUID.randomUUID()).param("serial", certificate.getSerialNumber().toString(16))
                .param("ca", caName).param("environment", authorities.environmentOf(caName).name())
                .param("subject", certificate.getSubjectX500Principal().getName())
                .param("notBefore", Timestamp.from(certificate.getNotBefore().toInstant()))
                .param("notAfter", Timestamp.from(certificate.getNotAfter().toInstant()))
                .param("publicKey", CertificateDigests.publicKey(keys.getPublic()))
                .param("der", der).param("fingerprint", CertificateDigests.sha256(der))
                .update();
        return responder;
    }

    /**
     * One issuer per CA, kept while the CA's key object and URLs stay the same: it encodes the CA's and the profiles'
     * constant extensions once (it is thread-safe).
     */
    private CertificateIssuer issuer(CaKey ca) {
        CaUrls urls = authorities.urlsOf(ca.name());
        return issuers.compute(ca.name(), (name, cached) -> cached != null && cached.ca() == ca
                && cached.urls().equals(urls) ? cached : new CertificateIssuer(ca, urls));
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public IssuedCertificate issue(Environment environment, ProfileId profileId, IssuanceRequest request,
                                   Channel channel) {
        CaKey ca = authorities.issuerOf(environment, profileId);
        CertProfile profile = authorities.profile(profileId);
        BigInteger serial = CertificateIssuer.randomSerial();
        UUID id = UUID.randomUUID();
        java.time.Instant notAfter = request.notAfter() != null ? request.notAfter()
                : CertificateIssuer.notAfter(profile, request.notBefore());
        jdbc.sql("""
                insert into certificate (id, serial_number, ca_name, profile, environment, channel, status, subject,
                                         not_before, not_after, public_key_sha256)
                values (:id, :serial, :ca, :profile, :environment, :channel, 'ISSUING', :subject,
                        :notBefore, :notAfter, :publicKey)
                """)
                .param("id", id).param("serial", serial.toString(16)).param("ca", ca.name())
                .param("profile", profileId.name()).param("environment", environment.name())
                .param("channel", channel.name())
                .param("subject", String.valueOf(request.subject().commonName() != null
                        ? request.subject().commonName() : request.subject().idNatPs()))
                .param("notBefore", Timestamp.from(request.notBefore()))
                .param("notAfter", Timestamp.from(notAfter))
                .param("publicKey", CertificateDigests.publicKey(request.publicKey()))
                .update();
        X509Certificate certificate = issuer(ca).issue(profile, request, serial);
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        jdbc.sql("""
                update certificate set status = 'ACTIVE', der = :der, fingerprint_sha256 = :fingerprint, subject = :subject,
                       not_after = :notAfter
                where id = :id
                """)
                .param("der", der).param("fingerprint", CertificateDigests.sha256(der))
                .param("subject", certificate.getSubjectX500Principal().getName())
                .param("notAfter", Timestamp.from(certificate.getNotAfter().toInstant()))
                .param("id", id).update();
        return new IssuedCertificate(id, serial.toString(16), ca.name(), certificate);
    }
}
