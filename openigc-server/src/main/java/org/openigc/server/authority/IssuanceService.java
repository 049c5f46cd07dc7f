package org.openigc.server.authority;

import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import javax.security.auth.x500.X500Principal;

import org.openigc.ca.CaKey;
import org.openigc.ca.CaUrls;
import org.openigc.ca.CertProfile;
import org.openigc.ca.CertificateIssuer;
import org.openigc.ca.Environment;
import org.openigc.ca.IssuanceRequest;
import org.openigc.ca.OcspResponderCertificate;
import org.openigc.ca.ProfileId;
import org.openigc.server.database.DeferredWrites;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The only code that signs end-entity certificates. Within the caller's transaction it signs, then records the
 * certificate in one insert: the certificate reaches nobody before that transaction commits, and a failure at any
 * point (including a serial collision on insert) rolls back the row and the serial. (Until V85 the row was first
 * inserted as ISSUING to reserve the serial, then completed, then updated with the order's columns: three versions
 * of the row and of every index entry per certificate.)
 */
@Service
public class IssuanceService {
    private final CertificateAuthorities authorities;
    private final JdbcClient jdbc;
    private final DeferredWrites writes;
    private final java.util.concurrent.ConcurrentMap<String, CertificateIssuer> issuers =
            new java.util.concurrent.ConcurrentHashMap<>();

    public IssuanceService(CertificateAuthorities authorities, JdbcClient jdbc, DeferredWrites writes) {
        this.authorities = authorities;
        this.jdbc = jdbc;
        this.writes = writes;
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
        return issue(environment, profileId, request, channel, null);
    }

    /**
     * Signs, then records the certificate in one insert (with {@code product}'s columns when given). The serial is
     * random (see {@link CertificateIssuer#randomSerial()}) and unique in the table: in the all but impossible case
     * of a collision the insert fails and the caller's transaction rolls back, so the signed certificate never leaves
     * this method — nothing is recorded, served or logged for it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public IssuedCertificate issue(Environment environment, ProfileId profileId, IssuanceRequest request,
                                   Channel channel, OrderedProduct product) {
        CaKey ca = authorities.issuerOf(environment, profileId);
        CertProfile profile = authorities.profile(profileId);
        BigInteger serial = CertificateIssuer.randomSerial();
        UUID id = UUID.randomUUID();
        CertificateIssuer.Signed signed = issuer(ca).issueSigned(profile, request, serial);
        String fingerprint = CertificateDigests.sha256(signed.der());
        String subject = new X500Principal(signed.subjectDer()).getName();
        Map<String, Object> params = new HashMap<>();
        params.put("id", id);
        params.put("serial", serial.toString(16));
        params.put("ca", ca.name());
        params.put("profile", profileId.name());
        params.put("environment", environment.name());
        params.put("channel", channel.name());
        params.put("subject", subject);
        params.put("notBefore", Timestamp.from(request.notBefore()));
        params.put("notAfter", Timestamp.from(signed.notAfter()));
        params.put("publicKey", CertificateDigests.publicKey(request.publicKey()));
        params.put("der", signed.der());
        params.put("fingerprint", fingerprint);
        params.put("structure", product == null ? null : product.structureId());
        params.put("offer", product == null ? null : product.offer());
        params.put("usage", product == null ? null : product.usage());
        params.put("service", product == null ? null : product.serviceApplicatif());
        params.put("dns", product == null ? "{}" : "{" + String.join(",", product.dnsNames()) + "}");
        params.put("actor", product == null ? null : product.actorEmail());
        params.put("cc", product == null ? null : product.ccEmail());
        params.put("requestedBy", product == null ? null : product.requestedBy());
        params.put("code", product == null ? null : product.revocationCodeHash());
        params.put("terms", product == null ? null : Timestamp.from(product.termsAcceptedAt()));
        params.put("renews", product == null ? null : product.renews());
        params.put("generated", product != null && product.keyGeneratedOnline());
        // at the commit when the caller defers its writes (an order): the certificate, its mail and its audit event
        // then go to the database in one round trip
        writes.insert("""
                insert into certificate (id, serial_number, ca_name, profile, environment, channel, status, subject,
                                         not_before, not_after, public_key_sha256, der, fingerprint_sha256,
                                         structure_id, offer, usage, service_applicatif, dns_names, actor_email,
                                         cc_email, requested_by, revocation_code_hash, terms_accepted_at, renews,
                                         key_generated_online)
                values (:id, :serial, :ca, :profile, :environment, :channel, 'ACTIVE', :subject,
                        :notBefore, :notAfter, :publicKey, :der, :fingerprint,
                        :structure, :offer, :usage, :service, :dns::text[], :actor,
                        :cc, :requestedBy, :code, :terms, :renews,
                        :generated)
                """, params);
        return new IssuedCertificate(id, serial.toString(16), ca.name(), signed.der(), signed.notAfter(), subject,
                fingerprint);
    }
}
