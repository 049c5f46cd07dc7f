package org.openigc.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * Creates one environment's hierarchy: a self-signed root (20 years) and two intermediates, ORGANISATIONS and
 * PERSONNES (CA:TRUE pathlen:0, keyCertSign + cRLSign, both critical).
 */
public final class CaHierarchy {
    private CaHierarchy() {
    }

    /** Where each CA's key pair comes from: generated in memory, or inside a PKCS#11 token. */
    public interface KeyPairSource {
        KeyPair generate(String caName, KeyAlgorithm algorithm);
    }

    /**
     * @param urlsOf the CRL / AIA URLs of a CA by short name (intermediates point at their root's CRL)
     * @return the three CAs keyed by role; private keys are whatever {@code keys} produced
     */
    public static Map<CaRole, CaKey> create(Environment environment, CaNaming naming, KeyAlgorithm rootAlgorithm,
                                            KeyAlgorithm intermediateAlgorithm, Instant now,
                                            Function<String, CaUrls> urlsOf, KeyPairSource keys,
                                            java.security.Provider keyProvider) {
        String rootName = CaNaming.shortName(environment, CaRole.ROOT);
        KeyPair rootKeys = keys.generate(rootName, rootAlgorithm);
        X500Name rootSubject = naming.subject(environment, CaRole.ROOT);
        Instant rootEnd = now.atOffset(ZoneOffset.UTC).plusYears(20).toInstant();
        X509Certificate rootCertificate = build(rootSubject, null, rootSubject, rootKeys.getPublic(),
                CaKey.signer(rootKeys.getPrivate(), rootKeys.getPublic(), keyProvider), now, rootEnd, -1, null);
        CaKey root = new CaKey(rootName, rootKeys.getPrivate(), keyProvider, List.of(rootCertificate));
        Instant intermediateEnd = now.atOffset(ZoneOffset.UTC).plusYears(20).minusDays(1).toInstant();
        CaKey organisations = intermediate(environment, CaRole.ORGANISATIONS, naming, intermediateAlgorithm, root,
                now, intermediateEnd, urlsOf.apply(rootName), keys, keyProvider);
        CaKey personnes = intermediate(environment, CaRole.PERSONNES, naming, intermediateAlgorithm, root,
                now, intermediateEnd, urlsOf.apply(rootName), keys, keyProvider);
        return Map.of(CaRole.ROOT, root, CaRole.ORGANISATIONS, organisations, CaRole.PERSONNES, personnes);
    }

    private static CaKey intermediate(Environment environment, CaRole role, CaNaming naming, KeyAlgorithm algorithm,
                                      CaKey root, Instant now, Instant end, CaUrls rootUrls, KeyPairSource keys,
                                      java.security.Provider keyProvider) {
        String name = CaNaming.shortName(environment, role);
        KeyPair pair = keys.generate(name, algorithm);
        X509Certificate certificate = build(naming.subject(environment, role), root.certificate(),
                X500Name.getInstance(root.certificate().getSubjectX500Principal().getEncoded()),
                pair.getPublic(), root.signer(), now, end, 0, rootUrls);
        return new CaKey(name, pair.getPrivate(), keyProvider, List.of(certificate, root.certificate()));
    }

    static X509Certificate build(X500Name subject, X509Certificate issuerCertificate, X500Name issuer,
                                 PublicKey publicKey, ContentSigner contentSigner, Instant notBefore, Instant notAfter,
                                 int pathLength, CaUrls issuerUrls) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            BigInteger serial = CertificateIssuer.randomSerial();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial,
                    Date.from(notBefore), Date.from(notAfter), subject, publicKey);
            builder.addExtension(Extension.basicConstraints, true,
                    pathLength < 0 ? new BasicConstraints(true) : new BasicConstraints(pathLength));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
            if (issuerCertificate != null) {
                builder.addExtension(Extension.authorityKeyIdentifier, false,
                        CertificateIssuer.authorityKeyIdentifier(issuerCertificate));
                builder.addExtension(Extension.cRLDistributionPoints, false,
                        CertificateIssuer.crlDistributionPoint(issuerUrls.crlUrl()));
                builder.addExtension(Extension.authorityInfoAccess, false,
                        CertificateIssuer.authorityInfoAccess(issuerUrls));
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (IOException | GeneralSecurityException e) {
            throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot build CA certificate " + subject, e);
        }
    }
}
