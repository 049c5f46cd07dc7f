package org.openigc.ca;

import java.io.ByteArrayOutputStream;
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
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
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
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.asn1.x509.PrivateKeyUsagePeriod;
import org.bouncycastle.operator.ContentSigner;

/**
 * Issues end-entity certificates for one CA. The order is fixed: build the to-be-signed certificate from the profile
 * and the request, check those exact bytes against the profile with {@link ProfileChecker}, then sign them. A
 * certificate that does not pass the checker is never signed.
 */
public final class CertificateIssuer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CaKey ca;
    private final CaUrls urls;
    private final JcaX509ExtensionUtils extensionUtils;

    public CertificateIssuer(CaKey ca, CaUrls urls) {
        this.ca = ca;
        this.urls = urls;
        try {
            this.extensionUtils = new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 digest unavailable for key identifiers", e);
        }
    }

    public CaKey ca() {
        return ca;
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

    public X509Certificate issue(CertProfile profile, IssuanceRequest request, BigInteger serial) {
        if (profile.id().issuer() == CaRole.ROOT) {
            throw new CaException(CaErrorCode.PROFILE_INVALID, "roots do not issue end-entity certificates");
        }
        Instant notBefore = request.notBefore();
        Instant notAfter = request.notAfter() != null ? request.notAfter() : notAfter(profile, notBefore);
        if (notAfter.isAfter(ca.certificate().getNotAfter().toInstant())) {
            // never outlive the issuer: clamp to the CA's own end
            notAfter = ca.certificate().getNotAfter().toInstant();
        }
        // checked after the clamp: a CA that ends before notBefore must not issue a certificate ending before it starts
        if (!notAfter.isAfter(notBefore)) {
            throw new CaException(CaErrorCode.REQUEST_INVALID, "notAfter must be after notBefore");
        }
        X500Name subject = SubjectNames.build(profile.layout(), request.subject());
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), serial,
                    Date.from(notBefore), Date.from(notAfter), subject, request.publicKey());
            builder.addExtension(Extension.basicConstraints, false, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(profile.keyUsageBits(request.publicKey())));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(profile.extendedKeyUsages().toArray(KeyPurposeId[]::new)));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensionUtils.createSubjectKeyIdentifier(request.publicKey()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(ca.certificate()));
            builder.addExtension(Extension.certificatePolicies, false, policies(profile));
            builder.addExtension(Extension.cRLDistributionPoints, false, crlDistributionPoint(urls.crlUrl()));
            builder.addExtension(Extension.authorityInfoAccess, false, authorityInfoAccess(urls));
            GeneralNames altNames = altNames(profile, request);
            if (altNames != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, altNames);
            }
            if (profile.privateKeyUsagePeriod()) {
                builder.addExtension(Extension.privateKeyUsagePeriod, false, privateKeyUsagePeriod(notBefore, notAfter));
            }
            CheckingSigner signer = new CheckingSigner(ca.signer(), profile, request);
            X509CertificateHolder holder = builder.build(signer);
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (IOException | CertificateException e) {
            throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot build the certificate: " + e.getMessage(), e);
        }
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

    /** Receives the to-be-signed bytes, checks them against the profile, and only then signs them. */
    private static final class CheckingSigner implements ContentSigner {
        private final ContentSigner delegate;
        private final CertProfile profile;
        private final IssuanceRequest request;
        private final ByteArrayOutputStream tbs = new ByteArrayOutputStream(1024);

        CheckingSigner(ContentSigner delegate, CertProfile profile, IssuanceRequest request) {
            this.delegate = delegate;
            this.profile = profile;
            this.request = request;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return delegate.getAlgorithmIdentifier();
        }

        @Override
        public OutputStream getOutputStream() {
            return tbs;
        }

        @Override
        public byte[] getSignature() {
            byte[] bytes = tbs.toByteArray();
            ProfileChecker.check(TBSCertificate.getInstance(bytes), profile, request);
            try (OutputStream out = delegate.getOutputStream()) {
                out.write(bytes);
            } catch (IOException e) {
                throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot feed the signer", e);
            }
            return delegate.getSignature();
        }
    }

}
