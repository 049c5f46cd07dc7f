package org.openigc.ca;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPRequest;
import org.bouncycastle.asn1.ocsp.Request;
import org.bouncycastle.asn1.ocsp.TBSRequest;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

/**
 * Parses DER OCSP requests (RFC 6960 §4.1) from untrusted clients. Anything that is not exactly one well-formed
 * OCSPRequest is {@link CaErrorCode#OCSP_MALFORMED_REQUEST}; more CertIDs than the configured maximum is
 * {@link CaErrorCode#OCSP_TOO_MANY_REQUESTS}, so one request cannot make the responder look up and sign thousands of
 * statuses. The request's optional signature is ignored: the responder answers anyone.
 */
public final class OcspRequests {
    /** CertIDs one request may carry; clients send one, a few for a chain. */
    public static final int DEFAULT_MAX_IDS = 10;

    /** RFC 8954 §2.1: a nonce is 1 to 32 octets. */
    public static final int MAX_NONCE_OCTETS = 32;

    private OcspRequests() {
    }

    public static ParsedOcspRequest parse(byte[] der) {
        return parse(der, DEFAULT_MAX_IDS);
    }

    public static ParsedOcspRequest parse(byte[] der, int maxIds) {
        if (maxIds < 1) {
            throw new IllegalArgumentException("maxIds must be at least 1");
        }
        if (der == null || der.length == 0) {
            throw malformed("the request is empty");
        }
        TBSRequest tbs;
        ASN1Sequence requestList;
        try {
            // fromByteArray refuses trailing bytes, which OCSPRequest.getInstance(byte[]) would silently ignore
            tbs = OCSPRequest.getInstance(ASN1Primitive.fromByteArray(der)).getTbsRequest();
            requestList = tbs.getRequestList();
        } catch (IOException | RuntimeException e) {
            throw malformed("the request is not a DER OCSPRequest");
        }
        if (requestList.size() == 0) {
            throw malformed("the request asks about no certificate");
        }
        if (requestList.size() > maxIds) {
            throw new CaException(CaErrorCode.OCSP_TOO_MANY_REQUESTS,
                    "the request asks about " + requestList.size() + " certificates; at most " + maxIds + " are answered");
        }
        List<OcspCertId> ids = new ArrayList<>(requestList.size());
        byte[] nonce;
        try {
            for (ASN1Encodable element : requestList) {
                CertID id = Request.getInstance(element).getReqCert();
                ids.add(new OcspCertId(id.getHashAlgorithm().getAlgorithm().getId(), id.getIssuerNameHash().getOctets(),
                        id.getIssuerKeyHash().getOctets(), id.getSerialNumber().getValue()));
            }
            nonce = nonce(tbs.getRequestExtensions());
        } catch (CaException e) {
            throw e;
        } catch (RuntimeException e) {
            throw malformed("a CertID or an extension of the request is malformed");
        }
        return new ParsedOcspRequest(ids, nonce);
    }

    private static byte[] nonce(Extensions extensions) {
        if (extensions == null) {
            return null;
        }
        for (ASN1ObjectIdentifier oid : extensions.getCriticalExtensionOIDs()) {
            if (!OCSPObjectIdentifiers.id_pkix_ocsp_nonce.equals(oid)) {
                throw malformed("the request has an unknown critical extension " + oid.getId());
            }
        }
        Extension extension = extensions.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (extension == null) {
            return null;
        }
        byte[] value = extension.getExtnValue().getOctets();
        // RFC 8954 wants the nonce inside an OCTET STRING (openssl, BouncyCastle); some old clients put raw bytes
        byte[] nonce = value;
        try {
            nonce = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(value)).getOctets();
        } catch (IOException | RuntimeException e) {
            // raw bytes: measured as they are
        }
        if (nonce.length < 1 || nonce.length > MAX_NONCE_OCTETS) {
            throw malformed("the nonce must be 1 to " + MAX_NONCE_OCTETS + " octets, not " + nonce.length);
        }
        return value;
    }

    private static CaException malformed(String message) {
        return new CaException(CaErrorCode.OCSP_MALFORMED_REQUEST, message);
    }
}
