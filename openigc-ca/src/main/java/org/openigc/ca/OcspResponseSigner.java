package org.openigc.ca;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs OCSP responses (RFC 6960 §4.2) for one responder: either a delegated responder (its certificate issued by
 * the CA with id-kp-OCSPSigning, see {@link OcspResponderCertificate}; chain = responder, CA, …, root) or the CA
 * itself. The responderID is by key hash and the responder's certificate is included, so clients can check a
 * delegated responder without fetching anything.
 */
public final class OcspResponseSigner {
    private final CaKey responder;
    private final X509Certificate servedCa;
    private final RespID responderId;
    private final X509CertificateHolder[] certificates;

    public OcspResponseSigner(CaKey responder) {
        this.responder = responder;
        this.servedCa = isDelegated(responder.certificate()) ? caOf(responder) : responder.certificate();
        try {
            DigestCalculator sha1 = new JcaDigestCalculatorProviderBuilder().build()
                    .get(RespID.HASH_SHA1);
            // byKey: SHA-1 of the responder key's BIT STRING value (RFC 6960 §4.2.1 KeyHash)
            this.responderId = new RespID(
                    SubjectPublicKeyInfo.getInstance(responder.certificate().getPublicKey().getEncoded()), sha1);
            this.certificates = new X509CertificateHolder[] {new JcaX509CertificateHolder(responder.certificate())};
        } catch (OperatorCreationException | OCSPException | CertificateEncodingException e) {
            throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot prepare the OCSP responder " + responder.name(), e);
        }
    }

    /** The CA whose certificates this responder answers for. */
    public X509Certificate servedCa() {
        return servedCa;
    }

    /**
     * @param statuses   one per CertID of the request, in the request's order; each must name the served CA
     * @param nonce      the request's nonce as {@link ParsedOcspRequest#nonce()} gives it, echoed; null for none
     * @return a DER OCSPResponse with status successful and a signed BasicOCSPResponse
     */
    public byte[] sign(List<SingleStatus> statuses, byte[] nonce, Instant producedAt) {
        if (statuses.isEmpty()) {
            throw new CaException(CaErrorCode.REQUEST_INVALID, "an OCSP response answers at least one CertID");
        }
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(responderId);
        for (SingleStatus status : statuses) {
            if (!status.id().matches(servedCa)) {
                // a client would reject the whole response: refuse to sign it rather than let it fail there
                throw new CaException(CaErrorCode.REQUEST_INVALID, "responder " + responder.name()
                        + " does not answer for " + status.id());
            }
            builder.addResponse(status.id().toCertificateId(), certificateStatus(status), date(status.thisUpdate()),
                    status.nextUpdate() == null ? null : date(status.nextUpdate()), null);
        }
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(
                    new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, nonce)));
        }
        try {
            BasicOCSPResp basic = builder.build(responder.signer(), certificates, date(producedAt));
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot sign the OCSP response", e);
        }
    }

    /** The request could not be parsed (also what {@link CaErrorCode#OCSP_TOO_MANY_REQUESTS} is answered with). */
    public static byte[] malformedRequest() {
        return unsigned(OCSPRespBuilder.MALFORMED_REQUEST);
    }

    /** The responder failed; the client should try another responder or later. */
    public static byte[] internalError() {
        return unsigned(OCSPRespBuilder.INTERNAL_ERROR);
    }

    /** The request names a CA this responder does not serve. */
    public static byte[] unauthorized() {
        return unsigned(OCSPRespBuilder.UNAUTHORIZED);
    }

    /** The responder is temporarily unable to answer. */
    public static byte[] tryLater() {
        return unsigned(OCSPRespBuilder.TRY_LATER);
    }

    /** RFC 6960 §2.3: error responses are not signed and carry no responseBytes. */
    private static byte[] unsigned(int status) {
        try {
            return new OCSPRespBuilder().build(status, null).getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException("cannot encode an OCSP error response", e);
        }
    }

    private static CertificateStatus certificateStatus(SingleStatus status) {
        return switch (status.status()) {
            case GOOD -> CertificateStatus.GOOD;
            case UNKNOWN -> new UnknownStatus();
            case REVOKED -> new RevokedStatus(new RevokedInfo(new ASN1GeneralizedTime(date(status.revokedAt())),
                    status.reason() == null || status.reason() == RevocationReason.UNSPECIFIED
                            ? null : CRLReason.lookup(status.reason().code())));
        };
    }

    static boolean isDelegated(X509Certificate certificate) {
        try {
            List<String> ekus = certificate.getExtendedKeyUsage();
            return ekus != null && ekus.contains(KeyPurposeId.id_kp_OCSPSigning.getId());
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static X509Certificate caOf(CaKey responder) {
        if (responder.chain().size() < 2) {
            throw new CaException(CaErrorCode.KEYSTORE,
                    "delegated OCSP responder " + responder.name() + " needs its CA's certificate in its chain");
        }
        return responder.chain().get(1);
    }

    /** OCSP times are GeneralizedTime without fractions (RFC 6960 §4.2.2.1 via RFC 5280). */
    private static Date date(Instant instant) {
        return Date.from(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
