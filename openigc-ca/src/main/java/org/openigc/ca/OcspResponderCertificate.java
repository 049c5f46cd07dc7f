package org.openigc.ca;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * Issues the certificate of a CA's delegated OCSP responder (RFC 6960 §4.2.2.2): subject = the CA's with
 * {@code CN=<CA CN> OCSP}; keyUsage digitalSignature (critical); extendedKeyUsage id-kp-OCSPSigning alone, not
 * critical; id-pkix-ocsp-nocheck; CA:FALSE; a short validity.
 *
 * <p>Why the EKU is not critical: RFC 6960 only asks that id-kp-OCSPSigning be present, and OCSP clients look for it
 * whether or not it is critical; RFC 5280 leaves criticality to the CA, and the CA/Browser Forum's OCSP responder
 * profile (BR 7.1.2.8) makes it non-critical, which also spares software that does not process EKU from rejecting
 * the certificate. id-pkix-ocsp-nocheck means clients do not check this certificate's own revocation (nothing could
 * answer for it but itself), hence no CRL or AIA pointers and a lifetime of days: the defence against a compromised
 * responder key is that its certificate soon expires.
 */
public final class OcspResponderCertificate {
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);
    /** Longest lifetime accepted: with no-check, expiry is the only revocation a responder certificate has. */
    public static final Duration MAX_VALIDITY = Duration.ofDays(90);

    private OcspResponderCertificate() {
    }

    /** The responder certificate for {@code responderKey}, signed by {@code ca}. */
    public static X509Certificate issue(CaKey ca, PublicKey responderKey, Instant notBefore, Duration validity) {
        if (validity == null || validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new CaException(CaErrorCode.REQUEST_INVALID,
                    "an OCSP responder certificate lives more than nothing and at most " + MAX_VALIDITY.toDays() + " days");
        }
        Instant start = notBefore.truncatedTo(ChronoUnit.SECONDS);
        Instant end = start.plus(validity);
        Instant caEnd = ca.certificate().getNotAfter().toInstant();
        if (end.isAfter(caEnd)) {
            end = caEnd; // never outlive the CA
        }
        if (!end.isAfter(start)) {
            throw new CaException(CaErrorCode.REQUEST_INVALID, "CA " + ca.name() + " has expired");
        }
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(),
                    CertificateIssuer.randomSerial(), Date.from(start), Date.from(end), subject(ca), responderKey);
            builder.addExtension(Extension.basicConstraints, false, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
            builder.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(responderKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    CertificateIssuer.authorityKeyIdentifier(ca.certificate()));
            return new JcaX509CertificateConverter().getCertificate(builder.build(ca.signer()));
        } catch (IOException | GeneralSecurityException e) {
            throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot issue the OCSP responder certificate of " + ca.name(), e);
        }
    }

    /**
     * A ready responder for {@link OcspResponseSigner}: named {@code <ca name>-ocsp}, its chain the new certificate
     * followed by the CA's chain.
     *
     * @param keyProvider the provider owning {@code keys}' private key (a token's), or null
     */
    public static CaKey responder(CaKey ca, KeyPair keys, Provider keyProvider, Instant notBefore, Duration validity) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(issue(ca, keys.getPublic(), notBefore, validity));
        chain.addAll(ca.chain());
        return new CaKey(ca.name() + "-ocsp", keys.getPrivate(), keyProvider, chain);
    }

    /** The CA's subject, RDN for RDN, with {@code OCSP} appended to its CN. */
    static X500Name subject(CaKey ca) {
        X500Name caName = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        for (RDN rdn : caName.getRDNs()) {
            AttributeTypeAndValue[] values = rdn.getTypesAndValues();
            for (int i = 0; i < values.length; i++) {
                if (values[i].getType().equals(BCStyle.CN)) {
                    String cn = ASN1String.class.cast(values[i].getValue()).getString(); // raw, not RFC 4514-escaped
                    values[i] = new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String(cn + " OCSP"));
                }
            }
            name.addMultiValuedRDN(values);
        }
        return name.build();
    }
}
