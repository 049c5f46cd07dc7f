package org.openigc.ca;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extensions;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.PolicyQualifierInfo;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.asn1.x509.PrivateKeyUsagePeriod;
import org.bouncycastle.operator.ContentSigner;

/**
 * Issues end-entity certificates for one CA. The order is fixed: build the to-be-signed certificate from the profile
 * and the request, check that structure against the profile with {@link ProfileChecker}, then encode it once and
 * sign those bytes. A certificate that does not pass the checker is never signed.
 * Thread-safe: one instance per CA can serve every thread.
 */
public final class CertificateIssuer {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<java.security.MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return java.security.MessageDigest.getInstance("SHA-1");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 digest unavailable for key identifiers", e);
        }
    });

    /** The JDK's factory (the one {@code JcaX509CertificateConverter} finds), looked up once per thread. */
    private static final ThreadLocal<CertificateFactory> CERTIFICATE_FACTORY = ThreadLocal.withInitial(() -> {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("no X.509 certificate factory", e);
        }
    });

    private final CaKey ca;
    private final CaUrls urls;
    private final Instant caNotAfter;
    private final java.util.Map<CertProfile, FixedExtensions> fixedByProfile = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<AlgorithmIdentifier, byte[]> signatureAlgorithms =
            new java.util.concurrent.ConcurrentHashMap<>();
    // the same for every certificate of this CA: computed once
    private final X500Name issuerName;
    private final Extension authorityKeyIdentifier;
    private final Extension crlDistributionPoints;
    private final Extension authorityInfoAccess;
    // the validity times last encoded: certificates issued within the same second share them (an encoded time is
    // immutable), and encoding one costs BouncyCastle a parse of its bytes
    private volatile EncodedTime lastNotBefore = new EncodedTime(Long.MIN_VALUE, null);
    private volatile EncodedTime lastNotAfter = new EncodedTime(Long.MIN_VALUE, null);

    private record EncodedTime(long epochSecond, Time time) {
        /** This one if {@code instant} falls in its second, else a new encoding (times are whole seconds). */
        EncodedTime of(Instant instant) {
            return instant.getEpochSecond() == epochSecond ? this
                    : new EncodedTime(instant.getEpochSecond(), CrlBuilder.time(instant));
        }
    }

    public CertificateIssuer(CaKey ca, CaUrls urls) {
        this.ca = ca;
        this.urls = urls;
        try {
            this.caNotAfter = ca.certificate().getNotAfter().toInstant();
            this.issuerName = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
            this.authorityKeyIdentifier = new Extension(Extension.authorityKeyIdentifier, false,
                    authorityKeyIdentifier(ca.certificate()).getEncoded(ASN1Encoding.DER));
            this.crlDistributionPoints = new Extension(Extension.cRLDistributionPoints, false,
                    crlDistributionPoint(urls.crlUrl()).getEncoded(ASN1Encoding.DER));
            this.authorityInfoAccess = new Extension(Extension.authorityInfoAccess, false,
                    authorityInfoAccess(urls).getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the extensions of " + ca.name(), e);
        }
    }

    public CaKey ca() {
        return ca;
    }

    public CaUrls urls() {
        return urls;
    }

    /** A random positive serial of 16 bytes (the top bit cleared so the DER INTEGER stays 16 bytes or fewer). */
    public static BigInteger randomSerial() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        bytes[0] &= 0x7F;
        bytes[0] |= 0x01; // never a short serial
        return new BigInteger(1, bytes);
    }

    /** The end of validity the profile gives for a certificate starting at {@code notBefore}. */
    public static Instant notAfter(CertProfile profile, Instant notBefore) {
        return notBefore.atOffset(ZoneOffset.UTC).plus(profile.validity()).toInstant();
    }

    /** The certificate as a JDK object, for callers that need one: {@link #issueDer} parsed by the JDK's factory. */
    public X509Certificate issue(CertProfile profile, IssuanceRequest request, BigInteger serial) {
        byte[] der = issueDer(profile, request, serial);
        try {
            return (X509Certificate) CERTIFICATE_FACTORY.get().generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot read the certificate back: " + e.getMessage(), e);
        }
    }

    /**
     * Issues one certificate and returns its DER encoding (what is stored and served): parsing it into an
     * {@link X509Certificate} costs more than building it, so only callers that need the object ask for it.
     */
    public byte[] issueDer(CertProfile profile, IssuanceRequest request, BigInteger serial) {
        return build(profile, request, serial).der();
    }

    /**
     * What {@link #issueSigned} returns: the certificate's DER and, without parsing it back, the end of validity it
     * carries (after the clamp to the CA's end, whole seconds) and the DER of its subject name.
     */
    public record Signed(byte[] der, Instant notAfter, byte[] subjectDer) {
    }

    /** {@link #issueDer}, with the facts callers record about the certificate (see {@link Signed}). */
    public Signed issueSigned(CertProfile profile, IssuanceRequest request, BigInteger serial) {
        Built built = build(profile, request, serial);
        try {
            return new Signed(built.der(), built.notAfter(), built.subject().getEncoded(ASN1Encoding.DER));
        } catch (IOException e) {
            throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot encode the subject: " + e.getMessage(), e);
        }
    }

    /** A signed certificate and what {@link Signed} reports of it; the subject's DER only for callers who ask. */
    private record Built(byte[] der, Instant notAfter, X500Name subject) {
    }

    private Built build(CertProfile profile, IssuanceRequest request, BigInteger serial) {
        if (profile.id().issuer() == CaRole.ROOT) {
            throw new CaException(CaErrorCode.PROFILE_INVALID, "roots do not issue end-entity certificates");
        }
        Instant notBefore = request.notBefore();
        Instant notAfter = request.notAfter() != null ? request.notAfter() : notAfter(profile, notBefore);
        if (notAfter.isAfter(caNotAfter)) {
            // never outlive the issuer: clamp to the CA's own end
            notAfter = caNotAfter;
        }
        // checked after the clamp: a CA that ends before notBefore must not issue a certificate ending before it starts
        if (!notAfter.isAfter(notBefore)) {
            throw new CaException(CaErrorCode.REQUEST_INVALID, "notAfter must be after notBefore");
        }
        X500Name subject = SubjectNames.build(profile.layout(), request.subject());
        try {
            ContentSigner signer = ca.signer();
            SubjectPublicKeyInfo publicKey = request.keyInfo() != null ? request.keyInfo()
                    : SubjectPublicKeyInfo.getInstance(request.publicKey().getEncoded());
            V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
            tbs.setSerialNumber(new ASN1Integer(serial));
            tbs.setSignature(signer.getAlgorithmIdentifier());
            tbs.setIssuer(issuerName);
            EncodedTime cachedStart = lastNotBefore;
            EncodedTime cachedEnd = lastNotAfter;
            EncodedTime start = cachedStart.of(notBefore);
            EncodedTime end = cachedEnd.of(notAfter);
            if (start != cachedStart) {
                lastNotBefore = start; // written only when it changes: threads on other cores keep their copy
            }
            if (end != cachedEnd) {
                lastNotAfter = end;
            }
            tbs.setStartDate(start.time());
            tbs.setEndDate(end.time());
            tbs.setSubject(subject);
            tbs.setSubjectPublicKeyInfo(publicKey);
            FixedExtensions fixed = fixedExtensions(profile);
            List<Extension> extensions = new ArrayList<>(11);
            extensions.add(fixed.basicConstraints());
            extensions.add(fixed.keyUsage(profile.keyUsageBits(request.publicKey())));
            extensions.add(fixed.extendedKeyUsage());
            extensions.add(new Extension(Extension.subjectKeyIdentifier, false,
                    new SubjectKeyIdentifier(keyIdentifier(publicKey)).getEncoded(ASN1Encoding.DER)));
            extensions.add(authorityKeyIdentifier);
            extensions.add(fixed.certificatePolicies());
            extensions.add(crlDistributionPoints);
            extensions.add(authorityInfoAccess);
            GeneralNames altNames = altNames(profile, request);
            if (altNames != null) {
                extensions.add(new Extension(Extension.subjectAlternativeName, false,
                        altNames.getEncoded(ASN1Encoding.DER)));
            }
            if (profile.privateKeyUsagePeriod()) {
                extensions.add(new Extension(Extension.privateKeyUsagePeriod, false,
                        privateKeyUsagePeriod(notBefore, notAfter).getEncoded(ASN1Encoding.DER)));
            }
            tbs.setExtensions(new Extensions(extensions.toArray(Extension[]::new)));
            TBSCertificate certificate = tbs.generateTBSCertificate();
            // checked before signed, on the very object that is encoded next (DER is a function of it): the checker
            // reads it through the ASN.1 structure alone and shares no code with the lines above
            ProfileChecker.check(certificate, profile, request);
            // into a buffer sized for a certificate: getEncoded() grows one from 32 bytes, copying it each time
            java.io.ByteArrayOutputStream encoded = new java.io.ByteArrayOutputStream(2048);
            certificate.encodeTo(encoded, ASN1Encoding.DER);
            byte[] tbsDer = encoded.toByteArray();
            try (OutputStream out = signer.getOutputStream()) {
                out.write(tbsDer);
            }
            byte[] signature = new DERBitString(signer.getSignature()).getEncoded(ASN1Encoding.DER);
            // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }, around the signed bytes
            return new Built(CrlBuilder.sequenceOf(tbsDer, signatureAlgorithmDer(signer), signature),
                    notAfter.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), certificate.getSubject());
        } catch (IOException e) {
            throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot build the certificate: " + e.getMessage(), e);
        }
    }

    /** The extensions that depend on the profile alone, encoded once per profile (a CA issues for a handful). */
    private record FixedExtensions(Extension basicConstraints, Extension extendedKeyUsage,
                                   Extension certificatePolicies, java.util.Map<Integer, Extension> keyUsages) {
        /** The keyUsage extension of these bits: a profile has one set of bits per key type it serves. */
        Extension keyUsage(int bits) throws IOException {
            Extension keyUsage = keyUsages.get(bits);
            if (keyUsage == null) {
                keyUsage = new Extension(Extension.keyUsage, true, new KeyUsage(bits).getEncoded(ASN1Encoding.DER));
                if (keyUsages.size() < 16) {
                    keyUsages.put(bits, keyUsage);
                }
            }
            return keyUsage;
        }
    }

    private FixedExtensions fixedExtensions(CertProfile profile) throws IOException {
        FixedExtensions fixed = fixedByProfile.get(profile);
        if (fixed == null) {
            fixed = new FixedExtensions(
                    new Extension(Extension.basicConstraints, false,
                            new BasicConstraints(false).getEncoded(ASN1Encoding.DER)),
                    new Extension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(profile.extendedKeyUsages().toArray(KeyPurposeId[]::new))
                                    .getEncoded(ASN1Encoding.DER)),
                    new Extension(Extension.certificatePolicies, false,
                            policies(profile).getEncoded(ASN1Encoding.DER)),
                    new java.util.concurrent.ConcurrentHashMap<>());
            if (fixedByProfile.size() < 64) {
                fixedByProfile.put(profile, fixed);
            }
        }
        return fixed;
    }

    private byte[] signatureAlgorithmDer(ContentSigner signer) throws IOException {
        AlgorithmIdentifier algorithm = signer.getAlgorithmIdentifier();
        byte[] der = signatureAlgorithms.get(algorithm);
        if (der == null) {
            der = algorithm.getEncoded(ASN1Encoding.DER);
            signatureAlgorithms.put(algorithm, der);
        }
        return der;
    }

    /** RFC 5280 §4.2.1.2 method (1): the SHA-1 of the subjectPublicKey BIT STRING's value, as BouncyCastle computes it. */
    private static byte[] keyIdentifier(SubjectPublicKeyInfo subjectPublicKeyInfo) {
        return SHA1.get().digest(subjectPublicKeyInfo.getPublicKeyData().getBytes());
    }

    /**
     * The keyIdentifier alone, equal to the issuer's SKI. {@code JcaX509ExtensionUtils.createAuthorityKeyIdentifier(cert)}
     * adds the issuer's own issuer name and serial, which ties every certificate to one CA certificate: re-certifying
     * the same CA key (new serial) would then break path building in clients that compare them, as openssl does.
     */
    static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate issuer) {
        try {
            byte[] ski = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
            if (ski != null) {
                return new AuthorityKeyIdentifier(SubjectKeyIdentifier.getInstance(
                        JcaX509ExtensionUtils.parseExtensionValue(ski)).getKeyIdentifier());
            }
            return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.getPublicKey());
        } catch (IOException | GeneralSecurityException e) {
            throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot compute the authority key identifier", e);
        }
    }

    static CertificatePolicies policies(CertProfile profile) {
        PolicyQualifierInfo cps = new PolicyQualifierInfo(profile.cpsUri());
        return new CertificatePolicies(new PolicyInformation(profile.policyOid(), new DERSequence(cps)));
    }

    static CRLDistPoint crlDistributionPoint(String crlUrl) {
        GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl));
        return new CRLDistPoint(new DistributionPoint[] {
                new DistributionPoint(new DistributionPointName(names), null, null)});
    }

    static AuthorityInformationAccess authorityInfoAccess(CaUrls urls) {
        return new AuthorityInformationAccess(new AccessDescription[] {
                new AccessDescription(X509ObjectIdentifiers.id_ad_ocsp,
                        new GeneralName(GeneralName.uniformResourceIdentifier, urls.ocspUrl())),
                new AccessDescription(X509ObjectIdentifiers.id_ad_caIssuers,
                        new GeneralName(GeneralName.uniformResourceIdentifier, urls.caIssuersUrl()))});
    }

    private static GeneralNames altNames(CertProfile profile, IssuanceRequest request) {
        return switch (profile.altNames()) {
            case NONE -> {
                if (!request.dnsNames().isEmpty() || !request.emailAddresses().isEmpty()) {
                    throw new CaException(CaErrorCode.REQUEST_INVALID,
                            "profile " + profile.id() + " carries no subject alternative names");
                }
                yield null;
            }
            case DNS -> {
                if (request.dnsNames().isEmpty()) {
                    throw new CaException(CaErrorCode.REQUEST_INVALID, "at least one DNS name is required");
                }
                yield new GeneralNames(request.dnsNames().stream()
                        .map(n -> new GeneralName(n.matches("[0-9.]+") ? GeneralName.iPAddress : GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new));
            }
            case EMAIL -> request.emailAddresses().isEmpty() ? null : new GeneralNames(request.emailAddresses().stream()
                    .map(e -> new GeneralName(GeneralName.rfc822Name, e)).toArray(GeneralName[]::new));
        };
    }

    private static PrivateKeyUsagePeriod privateKeyUsagePeriod(Instant notBefore, Instant notAfter) {
        return PrivateKeyUsagePeriod.getInstance(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                new DERTaggedObject(false, 0, new ASN1GeneralizedTime(Date.from(notBefore))),
                new DERTaggedObject(false, 1, new ASN1GeneralizedTime(Date.from(notAfter)))}));
    }
}
