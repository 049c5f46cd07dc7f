package org.openigc.ca.verification;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The client side of RFC 6960, without the transport: builds a request for one certificate (with a nonce) and
 * checks the DER response a responder sent back — response status, signature by the issuing CA or by a responder
 * it delegated (id-kp-OCSPSigning), the certificate identifier, the nonce when echoed, and freshness.
 */
public final class OcspExchange {
    /** Content type of requests (POST body) and responses. */
    public static final String REQUEST_CONTENT_TYPE = "application/ocsp-request";
    public static final String RESPONSE_CONTENT_TYPE = "application/ocsp-response";
    /** Clock skew tolerated between the responder and us. */
    static final Duration SKEW = Duration.ofMinutes(5);
    /** A response without nextUpdate is accepted only this long after its thisUpdate. */
    static final Duration MAX_AGE_WITHOUT_NEXT_UPDATE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private OcspExchange() {
    }

    /** One prepared request: its DER bytes and what the answer must match. */
    public record Request(byte[] der, CertificateID certificateId, byte[] nonce) {
        public Request {
            der = der.clone();
            nonce = nonce.clone();
        }

        @Override
        public byte[] der() {
            return der.clone();
        }
    }

    /** A request about {@code certificate}, issued by {@code issuer}, with a random 16-byte nonce. */
    public static Request request(X509Certificate certificate, X509Certificate issuer) {
        try {
            CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build()
                    .get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer), certificate.getSerialNumber());
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            OCSPReq request = new OCSPReqBuilder().addRequest(id)
                    .setRequestExtensions(new Extensions(nonceExtension(nonce)))
                    .build();
            return new Request(request.getEncoded(), id, nonce);
        } catch (OperatorCreationException | OCSPException | CertificateEncodingException | IOException e) {
            throw new IllegalStateException("cannot build an OCSP request", e);
        }
    }

    /**
     * Reads and checks a responder's answer to {@code request}.
     *
     * @return the status of the certificate (GOOD, REVOKED or UNKNOWN)
     * @throws VerificationException {@link VerificationFailure#STATUS_UNAVAILABLE} when the response cannot be
     *                               trusted (unsuccessful status, bad signature, other certificate, nonce mismatch,
     *                               stale)
     */
    public static RevocationStatus evaluate(byte[] responseDer, Request request, X509Certificate issuer, Instant now) {
        BasicOCSPResp basic;
        try {
            OCSPResp response = new OCSPResp(responseDer);
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                throw unavailable("OCSP responder answered status " + response.getStatus());
            }
            if (!(response.getResponseObject() instanceof BasicOCSPResp b)) {
                throw unavailable("OCSP response is not a basic response");
            }
            basic = b;
        } catch (IOException | OCSPException | RuntimeException e) {
            if (e instanceof VerificationException v) {
                throw v;
            }
            throw unavailable("unreadable OCSP response: " + e.getMessage());
        }
        verifySignature(basic, issuer, now);
        Extension nonce = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null && !Arrays.equals(nonceOf(nonce), request.nonce())) {
            throw unavailable("OCSP response nonce does not match the request");
        }
        for (SingleResp single : basic.getResponses()) {
            if (!single.getCertID().equals(request.certificateId())) {
                continue;
            }
            Instant thisUpdate = single.getThisUpdate().toInstant();
            Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
            if (thisUpdate.isAfter(now.plus(SKEW))) {
                throw unavailable("OCSP response produced in the future: " + thisUpdate);
            }
            if (nextUpdate != null ? nextUpdate.isBefore(now.minus(SKEW))
                    : thisUpdate.isBefore(now.minus(MAX_AGE_WITHOUT_NEXT_UPDATE))) {
                throw unavailable("stale OCSP response (thisUpdate " + thisUpdate + ")");
            }
            CertificateStatus status = single.getCertStatus();
            if (status == CertificateStatus.GOOD) {
                return new RevocationStatus(RevocationStatus.State.GOOD, null, -1, thisUpdate, nextUpdate, "ocsp");
            }
            if (status instanceof RevokedStatus revoked) {
                return new RevocationStatus(RevocationStatus.State.REVOKED, revoked.getRevocationTime().toInstant(),
                        revoked.hasRevocationReason() ? revoked.getRevocationReason() : -1, thisUpdate, nextUpdate,
                        "ocsp");
            }
            if (status instanceof UnknownStatus) {
                return new RevocationStatus(RevocationStatus.State.UNKNOWN, null, -1, thisUpdate, nextUpdate, "ocsp");
            }
        }
        throw unavailable("OCSP response does not answer for the requested certificate");
    }

    /** The nonce extension as RFC 8954 writes it: extnValue holds the DER of an OCTET STRING with the nonce. */
    public static Extension nonceExtension(byte[] nonce) {
        try {
            return new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                    new DEROctetString(new DEROctetString(nonce).getEncoded()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The nonce of an extension, also when a responder put the raw bytes in extnValue (seen in the wild). */
    static byte[] nonceOf(Extension extension) {
        byte[] value = extension.getExtnValue().getOctets();
        try {
            if (value.length > 1 && value[0] == 0x04 && ASN1Primitive.fromByteArray(value) instanceof ASN1OctetString inner) {
                return inner.getOctets();
            }
        } catch (IOException | RuntimeException e) {
            // not DER: the raw form
        }
        return value;
    }

    /** Signed by the issuing CA itself, or by a responder certificate that CA issued for OCSP signing. */
    private static void verifySignature(BasicOCSPResp basic, X509Certificate issuer, Instant now) {
        if (signedBy(basic, issuer.getPublicKey())) {
            return;
        }
        for (X509CertificateHolder holder : basic.getCerts()) {
            X509Certificate responder;
            try {
                responder = new JcaX509CertificateConverter().getCertificate(holder);
                responder.verify(issuer.getPublicKey());
                List<String> usages = responder.getExtendedKeyUsage();
                if (usages == null || !usages.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                    continue;
                }
                responder.checkValidity(Date.from(now));
            } catch (GeneralSecurityException e) {
                continue;
            }
            if (signedBy(basic, responder.getPublicKey())) {
                return;
            }
        }
        throw unavailable("OCSP response not signed by the issuing CA or a responder it authorised");
    }

    private static boolean signedBy(BasicOCSPResp basic, PublicKey key) {
        try {
            return basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
        } catch (OCSPException | OperatorCreationException | RuntimeException e) {
            return false;
        }
    }

    private static VerificationException unavailable(String message) {
        return new VerificationException(VerificationFailure.STATUS_UNAVAILABLE, message);
    }
}
