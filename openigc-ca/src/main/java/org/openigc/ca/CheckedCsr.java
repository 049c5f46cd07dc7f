package org.openigc.ca;

import java.security.PublicKey;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * A CSR whose signature and key passed the checks. Its subject is named {@code insecureSubject} because it is
 * requester-supplied: the platform builds the certificate subject itself and never copies this one.
 *
 * @param keyInfo the request's own key structure, whose DER is {@code publicKey.getEncoded()}: the certificate can
 *                carry it without parsing the key's encoding again
 * @param keyDescription e.g. {@code EC P-256}, {@code RSA 2048}
 */
public record CheckedCsr(PublicKey publicKey, SubjectPublicKeyInfo keyInfo, String keyDescription,
                         X500Name insecureSubject, byte[] der) {
    public CheckedCsr {
        der = der.clone();
    }

    @Override
    public byte[] der() {
        return der.clone();
    }
}
