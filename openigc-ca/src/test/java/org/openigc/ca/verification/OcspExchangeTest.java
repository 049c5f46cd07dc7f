package org.openigc.ca.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentSigner;
import org.junit.jupiter.api.Test;
import org.openigc.ca.CaKey;
import org.openigc.ca.CaRole;
import org.openigc.ca.KeyAlgorithm;

/** The OCSP client against responses signed with real CA keys by BouncyCastle's responder builder. */
class OcspExchangeTest {
    private static final Instant NOW = VerificationFixture.NOW;
    private final VerificationFixture fixture = new VerificationFixture();
    private final CaKey ca = fixture.test.get(CaRole.ORGANISATIONS);
    private final X509Certificate leaf = fixture.orgAuthCli(fixture.test);

    private byte[] respond(OcspExchange.Request request, CertificateStatus status, ContentSigner signer,
                           X509CertificateHolder[] chain, byte[] nonce, Instant thisUpdate, Instant nextUpdate)
            throws Exception {
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded())));
        builder.addResponse(request.certificateId(), status, Date.from(thisUpdate),
                nextUpdate == null ? null : Date.from(nextUpdate), null);
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(OcspExchange.nonceExtension(nonce)));
        }
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
                builder.build(signer, chain, Date.from(thisUpdate))).getEncoded();
    }

    private byte[] respond(OcspExchange.Request request, CertificateStatus status) throws Exception {
        return respond(request, status, ca.signer(), null, request.nonce(), NOW.minusSeconds(1), NOW.plusSeconds(600));
    }

    @Test
    void theRequestIsDerWithTheCertificateIdAndANonce() throws Exception {
        OcspExchange.Request request = OcspExchange.request(leaf, ca.certificate());
        var parsed = new org.bouncycastle.cert.ocsp.OCSPReq(request.der());
        assertThat(parsed.getRequestList()).hasSize(1);
        assertThat(parsed.getRequestList()[0].getCertID().getSerialNumber()).isEqualTo(leaf.getSerialNumber());
        assertThat(parsed.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)).isNotNull();
        assertThat(OcspExchange.request(leaf, ca.certificate()).nonce()).isNotEqualTo(request.nonce());
    }

    @Test
    void goodRevokedAndUnknownAreRead() throws Exception {
        OcspExchange.Request request = OcspExchange.request(leaf, ca.certificate());
        assertThat(OcspExchange.evaluate(respond(request, CertificateStatus.GOOD), request, ca.certificate(), NOW).state())
                .isEqualTo(RevocationStatus.State.GOOD);
        RevocationStatus revoked = OcspExchange.evaluate(respond(request,
                new RevokedStatus(Date.from(NOW.minusSeconds(30)), CRLReason.keyCompromise)), request, ca.certificate(), NOW);
        assertThat(revoked.state()).isEqualTo(RevocationStatus.State.REVOKED);
        assertThat(revoked.reason()).isEqualTo(CRLReason.keyCompromise);
        assertThat(OcspExchange.evaluate(respond(request, new UnknownStatus()), request, ca.certificate(), NOW).state())
                .isEqualTo(RevocationStatus.State.UNKNOWN);
    }

    @Test
    void aResponseWithoutNonceIsAcceptedAsPreSignedResponsesAre() throws Exception {
        OcspExchange.Request request = OcspExchange.request(leaf, ca.certificate());
        byte[] response = respond(request, CertificateStatus.GOOD, ca.signer(), null, null, NOW.minusSeconds(60),
                NOW.plusSeconds(3600));
        assertThat(OcspExchange.evaluate(response, request, ca.certificate(), NOW).good()).isTrue();
    }

    @Test
    void aResponseSignedByAnotherKeyIsRefused() throws Exception {
        OcspExchange.Request request = OcspExchange.request(leaf, ca.certificate());
        KeyPair other = KeyAlgorithm.EC_P256.generate();
        byte[] forged = respond(request, CertificateStatus.GOOD, CaKey.signer(other.getPrivate(), other.getPublic(), null),
                null, request.nonce(), NOW, NOW.plusSeconds(600));
        assertUnavailable(() -> OcspExchange.evaluate(forged, request, ca.certificate(), NOW));
        // the other environment's CA with the same role is another key too
        X509Certificate productionCa = fixture.production.get(CaRole.ORGANISATIONS).certificate();
        assertUnavailable(() -> OcspExchange.evaluate(respondUnchecked(request), request, productionCa, NOW));
    }

    @Test
    void aDelegatedResponderIssuedByTheCaForOcspSigningIsAccepted() throws Exception {
        OcspExchange.Request request = OcspExchange.request(leaf, ca.certificate());
        KeyPair responderKeys = KeyAlgorithm.EC_P256.generate();
        X509CertificateHolder responder = responderCertificate(responderKeys, true);
        byte[] response = respond(request, CertificateStatus.GOOD,
                CaKey.signer(responderKeys.getPrivate(), responderKeys.getPublic(), null),
                new X509CertificateHolder[] {responder}, request.nonce(), NOW, NOW.plusSeconds(600));
        assertThat(OcspExchange.evaluate(response, request, ca.certificate(), NOW).good()).isTrue();

        KeyPair notAResponder = KeyAlgorithm.EC_P256.generate();
        byte[] refused = respond(request, CertificateStatus.GOOD,
                CaKey.signer(notAResponder.getPrivate(), notAResponder.getPublic(), null),
                new X509CertificateHolder[] {responderCertificate(notAResponder, false)}, request.nonce(), NOW,
                NOW.plusSeconds(600));
        assertUnavailable(() -> OcspExchange.evaluate(refused, request, ca.certificate(), NOW));
    }

    @Test
    void anotherNonceAnotherCertificateOrAStaleAnswerIsRefused() throws Exception {
        OcspExchange.Request request = OcspExchange.request(leaf, ca.certificate());
        byte[] otherNonce = respond(request, CertificateStatus.GOOD, ca.signer(), null, new byte[16], NOW, NOW.plusSeconds(60));
        assertUnavailable(() -> OcspExchange.evaluate(otherNonce, request, ca.certificate(), NOW));

        OcspExchange.Request other = OcspExchange.request(fixture.orgAuthCli(fixture.test), ca.certificate());
        byte[] aboutOther = respond(other, CertificateStatus.GOOD, ca.signer(), null, null, NOW, NOW.plusSeconds(60));
        assertUnavailable(() -> OcspExchange.evaluate(aboutOther, request, ca.certificate(), NOW));

        byte[] stale = respond(request, CertificateStatus.GOOD, ca.signer(), null, null,
                NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(1)));
        assertUnavailable(() -> OcspExchange.evaluate(stale, request, ca.certificate(), NOW));

        byte[] unsuccessful = new OCSPRespBuilder().build(OCSPRespBuilder.TRY_LATER, null).getEncoded();
        assertUnavailable(() -> OcspExchange.evaluate(unsuccessful, request, ca.certificate(), NOW));
        assertUnavailable(() -> OcspExchange.evaluate("<html>".getBytes(), request, ca.certificate(), NOW));
    }

    @Test
    void theCrlIsCheckedBeforeItIsBelieved() throws Exception {
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), Date.from(NOW.minusSeconds(60)));
        builder.setNextUpdate(Date.from(NOW.plusSeconds(3600)));
        builder.addCRLEntry(leaf.getSerialNumber(), Date.from(NOW.minusSeconds(120)), CRLReason.superseded);
        byte[] crl = builder.build(ca.signer()).getEncoded();
        RevocationStatus revoked = CrlCheck.evaluate(crl, leaf, ca.certificate(), NOW);
        assertThat(revoked.state()).isEqualTo(RevocationStatus.State.REVOKED);
        assertThat(revoked.reason()).isEqualTo(CRLReason.superseded);
        assertThat(CrlCheck.evaluate(crl, fixture.orgAuthCli(fixture.test), ca.certificate(), NOW).good()).isTrue();
        assertUnavailable(() -> CrlCheck.evaluate(crl, leaf, ca.certificate(), NOW.plus(Duration.ofDays(1))));
        assertUnavailable(() -> CrlCheck.evaluate(crl, leaf, fixture.production.get(CaRole.ORGANISATIONS).certificate(), NOW));
    }

    @Test
    void theCertificateNamesItsResponderAndCrl() {
        assertThat(CertificateLocations.ocspUrl(leaf)).hasValue(VerificationFixture.BASE + "/ocsp");
        assertThat(CertificateLocations.crlUrls(leaf)).isNotEmpty()
                .allSatisfy(url -> assertThat(url).startsWith(VerificationFixture.BASE + "/crl/"));
    }

    private byte[] respondUnchecked(OcspExchange.Request request) throws Exception {
        return respond(request, CertificateStatus.GOOD);
    }

    private X509CertificateHolder responderCertificate(KeyPair keys, boolean ocspSigning) throws Exception {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), BigInteger.TEN,
                Date.from(NOW.minusSeconds(3600)), Date.from(NOW.plusSeconds(3600)),
                new X500Name("CN=OCSP responder"), keys.getPublic());
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(ocspSigning ? KeyPurposeId.id_kp_OCSPSigning : KeyPurposeId.id_kp_clientAuth));
        X509CertificateHolder holder = builder.build(ca.signer());
        new JcaX509CertificateConverter().getCertificate(holder).verify(ca.certificate().getPublicKey());
        return holder;
    }

    private static void assertUnavailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(VerificationException.class,
                e -> assertThat(e.failure()).isEqualTo(VerificationFailure.STATUS_UNAVAILABLE));
    }
}
