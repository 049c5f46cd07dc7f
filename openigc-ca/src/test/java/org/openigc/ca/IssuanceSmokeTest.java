package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.util.List;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;

import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;

class IssuanceSmokeTest {
    @Test
    void issuesAnOrgAuthCliCertificateChainingToItsRoot() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Map<CaRole, CaKey> cas = CaHierarchy.create(Environment.TEST, new CaNaming("OpenIGC Demo", "187512751"),
                KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P256, now, n -> CaUrls.under("http://localhost:8080", n),
                (name, algorithm) -> algorithm.generate(), null);
        CaKey organisations = cas.get(CaRole.ORGANISATIONS);
        CertProfile profile = profile(ProfileId.ORG_AUTH_CLI);
        KeyPair holder = KeyAlgorithm.EC_P256.generate();
        X509Certificate certificate = new CertificateIssuer(organisations,
                CaUrls.under("http://localhost:8080", organisations.name()))
                .issue(profile, IssuanceRequest.of(holder.getPublic(),
                        SubjectData.organisation("INSI-AUTO", "1750712184", "CHU DEMO", "Paris (75)"), now),
                        CertificateIssuer.randomSerial());
        certificate.verify(organisations.certificate().getPublicKey());
        organisations.certificate().verify(cas.get(CaRole.ROOT).certificate().getPublicKey());
        assertThat(certificate.getSubjectX500Principal().getName())
                .isEqualTo("CN=INSI-AUTO,OU=1750712184,O=CHU DEMO,ST=Paris (75),C=FR");
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(Instant.parse("2029-01-01T00:00:00Z"));
        assertThat(organisations.certificate().getBasicConstraints()).isZero();
    }

    @Test
    void theCheckerRefusesASslCertificateWhoseCnIsNotADnsName() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Map<CaRole, CaKey> cas = CaHierarchy.create(Environment.PRODUCTION, new CaNaming("OpenIGC Demo", "187512751"),
                KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P256, now, n -> CaUrls.under("http://localhost:8080", n),
                (name, algorithm) -> algorithm.generate(), null);
        CertProfile profile = profile(ProfileId.SERV_SSL_SERVEUR);
        CertificateIssuer issuer = new CertificateIssuer(cas.get(CaRole.ORGANISATIONS), CaUrls.under("http://x", "p"));
        IssuanceRequest request = IssuanceRequest.of(KeyAlgorithm.EC_P256.generate().getPublic(),
                SubjectData.organisation("Proxy DMP", "1750712184", "CHU DEMO", "Paris (75)"), now)
                .withDnsNames(java.util.List.of("dmp.chu-demo.fr"));
        assertThatThrownBy(() -> issuer.issue(profile, request, CertificateIssuer.randomSerial()))
                .isInstanceOfSatisfying(CaException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.PROFILE_CHECK_FAILED));
    }

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static CaKey organisations() {
        return CaHierarchy.create(Environment.PRODUCTION, new CaNaming("OpenIGC Demo", "187512751"),
                KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P256, NOW, n -> CaUrls.under("http://localhost:8080", n),
                (name, algorithm) -> algorithm.generate(), null).get(CaRole.ORGANISATIONS);
    }

    @Test
    void issueSignedReportsTheEndOfValidityAndSubjectTheCertificateCarries() throws Exception {
        CaKey ca = organisations();
        CertificateIssuer issuer = issuerOf(ca);
        CertProfile profile = profile(ProfileId.ORG_AUTH_CLI);
        KeyPair holder = KeyAlgorithm.EC_P256.generate();
        // a start with milliseconds: the certificate carries whole seconds
        java.time.Instant start = NOW.plusMillis(123);
        for (String organisation : List.of("CHU DEMO, Site + Annexe", "Clinique é")) {
            IssuanceRequest request = IssuanceRequest.of(holder.getPublic(), SubjectData.organisation("INSI-AUTO",
                    "1750712184", organisation, "Paris (75)"), start);
            CertificateIssuer.Signed signed = issuer.issueSigned(profile, request, CertificateIssuer.randomSerial());
            X509Certificate certificate = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(signed.der()));
            assertThat(signed.notAfter()).isEqualTo(certificate.getNotAfter().toInstant());
            assertThat(new javax.security.auth.x500.X500Principal(signed.subjectDer()))
                    .isEqualTo(certificate.getSubjectX500Principal());
            assertThat(new javax.security.auth.x500.X500Principal(signed.subjectDer()).getName())
                    .isEqualTo(certificate.getSubjectX500Principal().getName());
        }
    }

    @Test
    void issueDerGivesTheDerOfASignedCertificateThatTheJdkReads() throws Exception {
        CaKey ca = organisations();
        CertificateIssuer issuer = issuerOf(ca);
        CertProfile profile = profile(ProfileId.ORG_AUTH_CLI);
        KeyPair holder = KeyAlgorithm.EC_P256.generate();
        IssuanceRequest request = IssuanceRequest.of(holder.getPublic(),
                SubjectData.organisation("INSI-AUTO", "1750712184", "CHU DEMO, Site + Annexe", "Paris (75)"), NOW);
        // twice through the same issuer: the profile's extensions are encoded once and reused
        for (int i = 0; i < 2; i++) {
            java.math.BigInteger serial = CertificateIssuer.randomSerial();
            byte[] der = issuer.issueDer(profile, request, serial);
            X509Certificate certificate = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
            certificate.verify(ca.certificate().getPublicKey());
            assertThat(certificate.getEncoded()).isEqualTo(der);
            assertThat(certificate.getSerialNumber()).isEqualTo(serial);
            assertThat(certificate.getSubjectX500Principal().getName())
                    .isEqualTo("CN=INSI-AUTO,OU=1750712184,O=CHU DEMO\\, Site \\+ Annexe,ST=Paris (75),C=FR");
            assertThat(certificate.getPublicKey().getEncoded()).isEqualTo(holder.getPublic().getEncoded());
            assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
            assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
            assertThat(certificate.getCriticalExtensionOIDs()).containsExactly("2.5.29.15");
            assertThat(certificate.getExtensionValue("2.5.29.32")).isNotNull();
            // the SKI is the SHA-1 of the subject key's bit string (RFC 5280 §4.2.1.2 method 1), as BouncyCastle's
            assertThat(certificate.getExtensionValue("2.5.29.14")).isEqualTo(new Extension(Extension.subjectKeyIdentifier,
                    false, new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils().createSubjectKeyIdentifier(
                    holder.getPublic()).getEncoded()).getExtnValue().getEncoded());
            assertThat(issuer.issue(profile, request, serial).getSubjectX500Principal())
                    .isEqualTo(certificate.getSubjectX500Principal());
        }
    }

    @Test
    void aRequestedValidityLongerThanTheProfileIsRefusedByTheCheckerAndNothingIsSigned() {
        CaKey ca = organisations();
        CertificateIssuer issuer = issuerOf(ca);
        CertProfile profile = profile(ProfileId.ORG_AUTH_CLI);
        IssuanceRequest request = IssuanceRequest.of(KeyAlgorithm.EC_P256.generate().getPublic(),
                SubjectData.organisation("INSI-AUTO", "1750712184", "CHU DEMO", "Paris (75)"), NOW)
                .withNotAfter(NOW.plus(java.time.Duration.ofDays(3 * 366 + 1)));
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> issuer.issueDer(profile, request, CertificateIssuer.randomSerial()))
                    .isInstanceOfSatisfying(CaException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(CaErrorCode.PROFILE_CHECK_FAILED);
                        assertThat(e.getMessage()).contains("validity longer than the profile's P3Y");
                    });
        }
    }

    @Test
    void aCheckedCsrsKeyStructureIsTheKeyTheCertificateCarries() throws Exception {
        CaKey ca = organisations();
        CertificateIssuer issuer = issuerOf(ca);
        CertProfile profile = profile(ProfileId.ORG_AUTH_CLI);
        for (KeyPair holder : List.of(KeyAlgorithm.EC_P256.generate(), TestPki.rsaHolder())) {
            CheckedCsr checked = CsrChecker.check(CsrCheckerTest.csr(holder,
                    holder.getPublic().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA", null));
            byte[] der = issuer.issueDer(profile, IssuanceRequest.of(checked,
                    SubjectData.organisation("INSI-AUTO", "1750712184", "CHU DEMO", "Paris (75)"), NOW),
                    CertificateIssuer.randomSerial());
            X509Certificate certificate = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
            certificate.verify(ca.certificate().getPublicKey());
            assertThat(certificate.getPublicKey().getEncoded()).isEqualTo(holder.getPublic().getEncoded());
        }
    }

    @Test
    void aKeyStructureOtherThanTheRequestsKeyIsRefusedByTheChecker() {
        CaKey ca = organisations();
        CertificateIssuer issuer = issuerOf(ca);
        CertProfile profile = profile(ProfileId.ORG_AUTH_CLI);
        // the structure is what the certificate would carry; the checker compares it with the request's key
        IssuanceRequest request = new IssuanceRequest(KeyAlgorithm.EC_P256.generate().getPublic(),
                SubjectPublicKeyInfo.getInstance(KeyAlgorithm.EC_P256.generate().getPublic().getEncoded()),
                SubjectData.organisation("INSI-AUTO", "1750712184", "CHU DEMO", "Paris (75)"), List.of(), List.of(),
                NOW, null);
        assertThatThrownBy(() -> issuer.issueDer(profile, request, CertificateIssuer.randomSerial()))
                .isInstanceOfSatisfying(CaException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(CaErrorCode.PROFILE_CHECK_FAILED);
                    assertThat(e.getMessage()).contains("public key differs from the request's");
                });
    }

    @Test
    void certificatesIssuedInTurnEachCarryTheirOwnValidity() throws Exception {
        // the issuer reuses the last encoded second of each validity field: going back and forth must not mix them
        CaKey ca = organisations();
        CertificateIssuer issuer = issuerOf(ca);
        CertProfile profile = profile(ProfileId.ORG_AUTH_CLI);
        java.security.PublicKey key = KeyAlgorithm.EC_P256.generate().getPublic();
        SubjectData subject = SubjectData.organisation("INSI-AUTO", "1750712184", "CHU DEMO", "Paris (75)");
        List<IssuanceRequest> requests = List.of(IssuanceRequest.of(key, subject, NOW),
                IssuanceRequest.of(key, subject, NOW.plusMillis(999)),
                IssuanceRequest.of(key, subject, NOW.plusSeconds(1)),
                IssuanceRequest.of(key, subject, NOW).withNotAfter(NOW.plus(java.time.Duration.ofDays(30))),
                IssuanceRequest.of(key, subject, NOW),
                IssuanceRequest.of(key, subject, NOW.minusSeconds(86_400)));
        for (IssuanceRequest request : requests) {
            X509Certificate certificate = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(
                            issuer.issueDer(profile, request, CertificateIssuer.randomSerial())));
            Instant notBefore = request.notBefore().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            Instant notAfter = request.notAfter() != null ? request.notAfter()
                    : CertificateIssuer.notAfter(profile, notBefore);
            assertThat(certificate.getNotBefore().toInstant()).isEqualTo(notBefore);
            assertThat(certificate.getNotAfter().toInstant()).isEqualTo(notAfter);
        }
    }

    private static CertificateIssuer issuerOf(CaKey ca) {
        return new CertificateIssuer(ca, CaUrls.under("http://localhost:8080", ca.name()));
    }

    private static CertProfile profile(ProfileId id) {
        return CertProfile.defaults("1.2.250.1.999.1", "https://example.org/pc").get(id);
    }
}
