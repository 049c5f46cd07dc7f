package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OcspTest {
    private static final Instant THIS_UPDATE = TestPki.NOW;
    private static final Instant NEXT_UPDATE = THIS_UPDATE.plus(Duration.ofHours(12));

    // ---- request parsing --------------------------------------------------------------------------------------

    @Test
    void parsesOpensslRequestsWithAndWithoutNonceAndMatchesTheIssuer(@TempDir Path dir) throws Exception {
        Map<CaRole, CaKey> hierarchy = TestPki.ecHierarchy();
        CaKey ca = hierarchy.get(CaRole.ORGANISATIONS);
        X509Certificate leaf = TestPki.issue(hierarchy, ProfileId.ORG_AUTH_CLI, KeyAlgorithm.EC_P256.generate().getPublic());
        TestPki.writePem(dir.resolve("issuer.pem"), ca.certificate());
        TestPki.writePem(dir.resolve("leaf.pem"), leaf);

        openssl(dir, "ocsp", "-issuer", "issuer.pem", "-cert", "leaf.pem", "-reqout", "plain.der", "-no_nonce");
        ParsedOcspRequest plain = OcspRequests.parse(Files.readAllBytes(dir.resolve("plain.der")));
        assertThat(plain.nonce()).isNull();
        assertThat(plain.ids()).hasSize(1);
        OcspCertId id = plain.ids().getFirst();
        assertThat(id.hashAlgorithmOid()).isEqualTo(OcspCertId.SHA1);
        assertThat(id.serial()).isEqualTo(leaf.getSerialNumber());
        assertThat(id.matches(ca.certificate())).isTrue();
        assertThat(id.matches(hierarchy.get(CaRole.PERSONNES).certificate())).isFalse();
        assertThat(id.matches(hierarchy.get(CaRole.ROOT).certificate())).isFalse();
        assertThat(id).isEqualTo(OcspCertId.of(ca.certificate(), leaf.getSerialNumber(), OcspCertId.SHA1));

        openssl(dir, "ocsp", "-sha256", "-issuer", "issuer.pem", "-cert", "leaf.pem", "-reqout", "nonce.der");
        ParsedOcspRequest withNonce = OcspRequests.parse(Files.readAllBytes(dir.resolve("nonce.der")));
        assertThat(withNonce.ids().getFirst().hashAlgorithmOid()).isEqualTo(OcspCertId.SHA256);
        assertThat(withNonce.ids().getFirst().issuerNameHash()).hasSize(32);
        assertThat(withNonce.ids().getFirst().matches(ca.certificate())).isTrue();
        assertThat(withNonce.ids().getFirst().matches(TestPki.rsaHierarchy().get(CaRole.ORGANISATIONS).certificate()))
                .isFalse();
        // openssl's nonce: an OCTET STRING of 16 random octets, kept whole to be echoed
        assertThat(withNonce.nonce()).hasSize(18).startsWith(0x04, 0x10);
    }

    @Test
    void refusesWhatIsNotExactlyOneOcspRequest() throws Exception {
        byte[] valid = request(3, null).getEncoded();
        List<byte[]> bad = List.of(
                new byte[0],
                "GET /ocsp HTTP/1.1".getBytes(),
                Arrays.copyOf(valid, valid.length / 2),
                Arrays.copyOf(valid, valid.length + 2), // trailing zeros
                TestPki.ecHierarchy().get(CaRole.ROOT).certificate().getEncoded(),
                new OCSPReqBuilder().build().getEncoded(), // asks about nothing
                request(1, nonceExtension(new byte[33], false)).getEncoded(),
                request(1, nonceExtension(new byte[0], false)).getEncoded(),
                request(1, new Extensions(new Extension(new ASN1ObjectIdentifier("1.2.3.4"), true,
                        new byte[] {5, 0}))).getEncoded());
        for (byte[] der : bad) {
            assertThatThrownBy(() -> OcspRequests.parse(der)).isInstanceOfSatisfying(CaException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.OCSP_MALFORMED_REQUEST));
        }
        assertThatThrownBy(() -> OcspRequests.parse(null)).isInstanceOfSatisfying(CaException.class,
                e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.OCSP_MALFORMED_REQUEST));
        assertThat(OcspRequests.parse(valid).ids()).hasSize(3);
    }

    @Test
    void acceptsARawNonceAndEchoesItAsReceived() throws Exception {
        byte[] raw = {1, 2, 3, 4, 5, 6, 7, 8};
        ParsedOcspRequest parsed = OcspRequests.parse(request(1, nonceExtension(raw, true)).getEncoded());
        assertThat(parsed.nonce()).isEqualTo(raw);
        byte[] wrapped = new DEROctetString(new byte[32]).getEncoded();
        assertThat(OcspRequests.parse(request(1, nonceExtension(new byte[32], false)).getEncoded()).nonce())
                .isEqualTo(wrapped);
    }

    @Test
    void limitsTheNumberOfCertIds() throws Exception {
        assertThat(OcspRequests.parse(request(OcspRequests.DEFAULT_MAX_IDS, null).getEncoded()).ids()).hasSize(10);
        assertThatThrownBy(() -> OcspRequests.parse(request(OcspRequests.DEFAULT_MAX_IDS + 1, null).getEncoded()))
                .isInstanceOfSatisfying(CaException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.OCSP_TOO_MANY_REQUESTS));
        assertThatThrownBy(() -> OcspRequests.parse(request(3, null).getEncoded(), 2))
                .isInstanceOfSatisfying(CaException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.OCSP_TOO_MANY_REQUESTS));
        assertThat(OcspRequests.parse(request(3, null).getEncoded(), 3).ids()).hasSize(3);
    }

    // ---- responder certificate --------------------------------------------------------------------------------

    @Test
    void issuesTheDelegatedResponderCertificate(@TempDir Path dir) throws Exception {
        CaKey ca = TestPki.rsaHierarchy().get(CaRole.PERSONNES);
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        X509Certificate certificate = OcspResponderCertificate.issue(ca, keys.getPublic(), THIS_UPDATE,
                OcspResponderCertificate.DEFAULT_VALIDITY);
        certificate.verify(ca.certificate().getPublicKey());
        assertThat(certificate.getNotAfter().toInstant()).isEqualTo(THIS_UPDATE.plus(Duration.ofDays(30)));
        assertThat(certificate.getSubjectX500Principal().getName())
                .isEqualTo("CN=AC IGC-SANTE PERSONNES OCSP,OU=IGC-SANTE,OU=0002 187512751,O=OpenIGC Demo,C=FR");

        TestPki.writePem(dir.resolve("responder.pem"), certificate);
        String text = openssl(dir, "x509", "-in", "responder.pem", "-noout", "-text");
        assertThat(OpensslIssuanceTest.extension(text, "X509v3 Extended Key Usage:")).isEqualTo("OCSP Signing");
        assertThat(OpensslIssuanceTest.extension(text, "X509v3 Key Usage: critical")).isEqualTo("Digital Signature");
        assertThat(OpensslIssuanceTest.extension(text, "X509v3 Basic Constraints:")).isEqualTo("CA:FALSE");
        assertThat(text).contains("OCSP No Check: \n");
        assertThat(text).doesNotContain("CRL Distribution Points").doesNotContain("Authority Information Access");

        assertThatThrownBy(() -> OcspResponderCertificate.issue(ca, keys.getPublic(), THIS_UPDATE, Duration.ofDays(91)))
                .isInstanceOfSatisfying(CaException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.REQUEST_INVALID));
        assertThatThrownBy(() -> OcspResponderCertificate.issue(ca, keys.getPublic(), THIS_UPDATE, Duration.ZERO))
                .isInstanceOf(CaException.class);
    }

    // ---- responses, checked by openssl ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} hierarchy")
    @ValueSource(strings = {"EC", "RSA"})
    void opensslVerifiesSignedResponsesWithTheirStatusesAndNonce(String kind, @TempDir Path dir) throws Exception {
        Map<CaRole, CaKey> hierarchy = kind.equals("EC") ? TestPki.ecHierarchy() : TestPki.rsaHierarchy();
        CaKey ca = hierarchy.get(CaRole.ORGANISATIONS);
        CaKey responder = OcspResponderCertificate.responder(ca, KeyAlgorithm.EC_P256.generate(), null,
                THIS_UPDATE.minusSeconds(60), OcspResponderCertificate.DEFAULT_VALIDITY);
        X509Certificate good = TestPki.issue(hierarchy, ProfileId.ORG_AUTH_CLI, TestPki.rsaHolder().getPublic());
        X509Certificate revoked = TestPki.issue(hierarchy, ProfileId.ORG_SIGN, TestPki.rsaHolder().getPublic());
        TestPki.writePem(dir.resolve("root.pem"), hierarchy.get(CaRole.ROOT).certificate());
        TestPki.writePem(dir.resolve("issuer.pem"), ca.certificate());
        TestPki.writePem(dir.resolve("good.pem"), good);
        TestPki.writePem(dir.resolve("revoked.pem"), revoked);
        Instant revokedAt = THIS_UPDATE.minusSeconds(3600);

        openssl(dir, "ocsp", "-issuer", "issuer.pem", "-cert", "good.pem", "-cert", "revoked.pem", "-reqout", "req.der");
        ParsedOcspRequest request = OcspRequests.parse(Files.readAllBytes(dir.resolve("req.der")));
        assertThat(request.nonce()).isNotNull();
        List<SingleStatus> statuses = new ArrayList<>();
        for (OcspCertId id : request.ids()) {
            assertThat(id.matches(ca.certificate())).isTrue();
            statuses.add(id.serial().equals(revoked.getSerialNumber())
                    ? SingleStatus.revoked(id, revokedAt, RevocationReason.KEY_COMPROMISE, THIS_UPDATE, NEXT_UPDATE)
                    : SingleStatus.good(id, THIS_UPDATE, NEXT_UPDATE));
        }
        Files.write(dir.resolve("resp.der"), new OcspResponseSigner(responder).sign(statuses, request.nonce(),
                THIS_UPDATE));

        // with the request read back, openssl compares the nonces ("Nonce Verify error" and exit 1 if they differ)
        String verified = openssl(dir, "ocsp", "-reqin", "req.der", "-respin", "resp.der", "-CAfile", "root.pem",
                "-verify_other", "issuer.pem", "-resp_text");
        assertThat(verified).contains("Response verify OK").doesNotContain("WARNING").doesNotContain("Nonce Verify");
        assertThat(verified).contains("Cert Status: good").contains("Cert Status: revoked")
                .contains("Revocation Reason: keyCompromise (0x1)").contains("OCSP Nonce:");
        // with -cert, openssl builds a request of its own (hence -no_nonce) and prints each certificate's status
        String output = openssl(dir, "ocsp", "-respin", "resp.der", "-no_nonce", "-issuer", "issuer.pem",
                "-cert", "good.pem", "-cert", "revoked.pem", "-CAfile", "root.pem", "-verify_other", "issuer.pem");
        assertThat(output).contains("Response verify OK");
        assertThat(output).contains("good.pem: good\n");
        assertThat(output).contains("revoked.pem: revoked\n");
        assertThat(output).contains("\tReason: keyCompromise\n");
        assertThat(output).containsPattern("\tRevocation Time: \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4} GMT");

        // the delegated responder, trusted directly
        TestPki.writePem(dir.resolve("responder.pem"), responder.certificate());
        String direct = openssl(dir, "ocsp", "-respin", "resp.der", "-issuer", "issuer.pem", "-cert", "good.pem",
                "-CAfile", "root.pem", "-VAfile", "responder.pem", "-no_nonce");
        assertThat(direct).contains("Response verify OK").contains("good.pem: good\n");
    }

    @Test
    void opensslVerifiesAResponseWithoutNonceSignedByTheCaItself(@TempDir Path dir) throws Exception {
        Map<CaRole, CaKey> hierarchy = TestPki.ecHierarchy();
        CaKey ca = hierarchy.get(CaRole.PERSONNES);
        X509Certificate leaf = TestPki.issue(hierarchy, ProfileId.CPX_AUTH, KeyAlgorithm.EC_P256.generate().getPublic());
        TestPki.writePem(dir.resolve("root.pem"), hierarchy.get(CaRole.ROOT).certificate());
        TestPki.writePem(dir.resolve("issuer.pem"), ca.certificate());
        TestPki.writePem(dir.resolve("leaf.pem"), leaf);
        openssl(dir, "ocsp", "-issuer", "issuer.pem", "-cert", "leaf.pem", "-reqout", "req.der", "-no_nonce");
        ParsedOcspRequest request = OcspRequests.parse(Files.readAllBytes(dir.resolve("req.der")));
        byte[] response = new OcspResponseSigner(ca).sign(List.of(SingleStatus.revoked(request.ids().getFirst(),
                THIS_UPDATE.minusSeconds(10), null, THIS_UPDATE, null)), request.nonce(), THIS_UPDATE);
        Files.write(dir.resolve("resp.der"), response);

        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(response).getResponseObject();
        assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)).isNull();

        String output = openssl(dir, "ocsp", "-respin", "resp.der", "-no_nonce", "-issuer", "issuer.pem",
                "-cert", "leaf.pem", "-CAfile", "root.pem");
        assertThat(output).contains("Response verify OK").contains("leaf.pem: revoked\n").doesNotContain("Reason:");
    }

    @Test
    void theResponseNamesTheResponderByKeyHashCarriesItsCertificateAndEchoesTheNonce() throws Exception {
        CaKey ca = TestPki.ecHierarchy().get(CaRole.ORGANISATIONS);
        CaKey responder = OcspResponderCertificate.responder(ca, KeyAlgorithm.EC_P256.generate(), null, THIS_UPDATE,
                Duration.ofDays(7));
        OcspCertId id = OcspCertId.of(ca.certificate(), TestPki.serial(1), OcspCertId.SHA256);
        byte[] nonce = new DEROctetString(new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6}).getEncoded();
        OCSPResp response = new OCSPResp(new OcspResponseSigner(responder).sign(
                List.of(SingleStatus.unknown(id, THIS_UPDATE, NEXT_UPDATE)), nonce, THIS_UPDATE));

        assertThat(response.getStatus()).isZero();
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responder.certificate())))
                .isTrue();
        byte[] keyBits = SubjectPublicKeyInfo.getInstance(responder.certificate().getPublicKey().getEncoded())
                .getPublicKeyData().getBytes();
        assertThat(basic.getResponderId().toASN1Primitive().getKeyHash())
                .isEqualTo(MessageDigest.getInstance("SHA-1").digest(keyBits));
        assertThat(basic.getCerts()).containsExactly(new JcaX509CertificateHolder(responder.certificate()));
        assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets())
                .isEqualTo(nonce);
        assertThat(basic.getProducedAt().toInstant()).isEqualTo(THIS_UPDATE);
        assertThat(basic.getResponses()).singleElement().satisfies(single -> {
            assertThat(single.getCertStatus()).isInstanceOf(org.bouncycastle.cert.ocsp.UnknownStatus.class);
            assertThat(single.getCertID().getSerialNumber()).isEqualTo(TestPki.serial(1));
            assertThat(single.getCertID().getHashAlgOID().getId()).isEqualTo(OcspCertId.SHA256);
            assertThat(single.getNextUpdate().toInstant()).isEqualTo(NEXT_UPDATE);
        });
    }

    @Test
    void refusesToAnswerForAnotherCa() {
        CaKey ca = TestPki.ecHierarchy().get(CaRole.ORGANISATIONS);
        CaKey responder = OcspResponderCertificate.responder(ca, KeyAlgorithm.EC_P256.generate(), null, THIS_UPDATE,
                Duration.ofDays(7));
        OcspCertId other = OcspCertId.of(TestPki.ecHierarchy().get(CaRole.PERSONNES).certificate(), BigInteger.TEN,
                OcspCertId.SHA1);
        OcspResponseSigner signer = new OcspResponseSigner(responder);
        assertThat(signer.servedCa()).isEqualTo(ca.certificate());
        assertThatThrownBy(() -> signer.sign(List.of(SingleStatus.good(other, THIS_UPDATE, NEXT_UPDATE)), null,
                THIS_UPDATE)).isInstanceOfSatisfying(CaException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.REQUEST_INVALID));
        assertThatThrownBy(() -> SingleStatus.good(other, THIS_UPDATE, THIS_UPDATE)).isInstanceOf(CaException.class);
        assertThatThrownBy(() -> new SingleStatus(other, CertStatus.REVOKED, null, null, THIS_UPDATE, null))
                .isInstanceOf(CaException.class);
    }

    @Test
    void errorResponsesAreUnsignedStatusesOnly(@TempDir Path dir) throws Exception {
        record Case(byte[] der, int status, String opensslName) {
        }
        for (Case c : List.of(new Case(OcspResponseSigner.malformedRequest(), 1, "malformedrequest"),
                new Case(OcspResponseSigner.internalError(), 2, "internalerror"),
                new Case(OcspResponseSigner.tryLater(), 3, "trylater"),
                new Case(OcspResponseSigner.unauthorized(), 6, "unauthorized"))) {
            OCSPResp response = new OCSPResp(c.der());
            assertThat(response.getStatus()).isEqualTo(c.status());
            assertThat(response.getResponseObject()).isNull();
            assertThat(c.der()).hasSize(5); // SEQUENCE { ENUMERATED status } and nothing else
            Files.write(dir.resolve("error.der"), c.der());
            assertThat(TestPki.openssl(dir, "ocsp", "-respin", "error.der").output())
                    .contains("Responder Error: " + c.opensslName() + " (" + c.status() + ")");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static String openssl(Path dir, String... arguments) {
        TestPki.Result result = TestPki.openssl(dir, arguments);
        assertThat(result.exitCode()).as(String.join(" ", arguments) + "\n" + result.output()).isZero();
        return result.output();
    }

    /** A BouncyCastle request for {@code count} serials of the EC ORGANISATIONS CA. */
    private static org.bouncycastle.cert.ocsp.OCSPReq request(int count, Extensions extensions) throws Exception {
        X509Certificate issuer = TestPki.ecHierarchy().get(CaRole.ORGANISATIONS).certificate();
        OCSPReqBuilder builder = new OCSPReqBuilder();
        for (int i = 1; i <= count; i++) {
            builder.addRequest(new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), TestPki.serial(i)));
        }
        if (extensions != null) {
            builder.setRequestExtensions(extensions);
        }
        return builder.build();
    }

    private static Extensions nonceExtension(byte[] nonce, boolean raw) throws Exception {
        byte[] value = raw ? nonce : new DEROctetString(nonce).getEncoded();
        return new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, value));
    }
}
