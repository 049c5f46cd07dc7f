package org.openigc.ca;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Checks a PKCS#10 request before anything is built from it: parsable (PEM or DER), signature valid, key RSA ≥ 2048
 * or EC P-256/P-384, signature algorithm not SHA-1 or MD5. Each failure has its own {@link CaErrorCode}.
 */
public final class CsrChecker {
    /** A real CSR is a few kilobytes; anything far larger is refused before parsing. */
    public static final int MAX_CSR_BYTES = 64 * 1024;
    public static final int MIN_RSA_BITS = 2048;

    private static final Set<String> PEM_TYPES = Set.of("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");

    private static final Map<ASN1ObjectIdentifier, String> ALLOWED_CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "P-256",
            SECObjectIdentifiers.secp384r1, "P-384");

    private static final Set<ASN1ObjectIdentifier> WEAK_SIGNATURES = Set.of(
            PKCSObjectIdentifiers.sha1WithRSAEncryption,
            PKCSObjectIdentifiers.md5WithRSAEncryption,
            PKCSObjectIdentifiers.md2WithRSAEncryption,
            PKCSObjectIdentifiers.md4WithRSAEncryption,
            X9ObjectIdentifiers.ecdsa_with_SHA1,
            X9ObjectIdentifiers.id_dsa_with_sha1);

    private CsrChecker() {
    }

    /** Accepts PEM text or DER bytes. */
    public static CheckedCsr check(byte[] pemOrDer) {
        if (pemOrDer == null || pemOrDer.length == 0) {
            throw CaException.badCsr(CaErrorCode.CSR_UNPARSABLE, "the CSR is empty");
        }
        if (pemOrDer.length > MAX_CSR_BYTES) {
            throw CaException.badCsr(CaErrorCode.CSR_TOO_LARGE,
                    "the CSR is larger than " + MAX_CSR_BYTES + " bytes");
        }
        // strip(): looksLikePem skips leading whitespace, and BouncyCastle's PemReader misses an indented BEGIN line
        byte[] der = looksLikePem(pemOrDer)
                ? pemToDer(new String(pemOrDer, StandardCharsets.US_ASCII).strip())
                : pemOrDer;
        Parsed parsed = parse(der);
        PKCS10CertificationRequest request = parsed.request();
        AlgorithmIdentifier signatureAlgorithm = request.getSignatureAlgorithm();
        if (WEAK_SIGNATURES.contains(signatureAlgorithm.getAlgorithm()) || weakPss(signatureAlgorithm)) {
            throw CaException.badCsr(CaErrorCode.CSR_WEAK_SIGNATURE_ALGORITHM,
                    "the CSR is signed with SHA-1 or MD5, which are not accepted; use SHA-256 or stronger");
        }
        SubjectPublicKeyInfo keyInfo = request.getSubjectPublicKeyInfo();
        String keyDescription = checkKey(keyInfo);
        byte[] keyDer;
        PublicKey publicKey;
        try {
            keyDer = keyInfo.getEncoded(ASN1Encoding.DER);
            publicKey = publicKey(keyInfo, keyDer);
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            throw CaException.badCsr(CaErrorCode.CSR_UNPARSABLE, "the CSR's public key cannot be decoded");
        }
        if (publicKey instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw CaException.badCsr(CaErrorCode.CSR_RSA_TOO_SHORT,
                    "RSA keys must have at least " + MIN_RSA_BITS + " bits; this one has " + rsa.getModulus().bitLength());
        }
        if (!SignatureVerifier.verify(signatureAlgorithm, parsed.signedInfo(), request.getSignature(), publicKey)) {
            throw CaException.badCsr(CaErrorCode.CSR_BAD_SIGNATURE,
                    "the CSR's signature does not match its public key");
        }
        if (publicKey instanceof RSAPublicKey rsa) {
            keyDescription = "RSA " + rsa.getModulus().bitLength();
        } else if (!(publicKey instanceof ECPublicKey)) {
            throw CaException.badCsr(CaErrorCode.CSR_KEY_TYPE_NOT_ALLOWED, "only RSA and EC keys are accepted");
        }
        // the structure goes on into the certificate only if it is exactly the decoded key's encoding (a provider
        // may re-encode, e.g. a compressed EC point); otherwise the certificate takes the key's own encoding
        SubjectPublicKeyInfo issuedKey = Arrays.equals(keyDer, publicKey.getEncoded()) ? keyInfo : null;
        return new CheckedCsr(publicKey, issuedKey, keyDescription, request.getSubject(), der);
    }

    /**
     * A parsed request and the bytes its signature covers: the CertificationRequestInfo exactly as received, as
     * OpenSSL and Go verify it; for a DER request these are the bytes of its re-encoding, which cost ≈ 1 µs more.
     */
    record Parsed(PKCS10CertificationRequest request, byte[] signedInfo) {
    }

    static Parsed parse(byte[] der) {
        try (ASN1InputStream in = new ASN1InputStream(der, true)) {
            // lazy: the outer SEQUENCE keeps each element's bytes until it is read, so the info's bytes are at hand
            ASN1Sequence outer = ASN1Sequence.getInstance(in.readObject());
            if (outer == null || in.available() != 0) {
                throw new IOException("not exactly one ASN.1 object");
            }
            byte[] signedInfo = outer.getObjectAt(0).toASN1Primitive().getEncoded();
            // the info itself is parsed in full (not lazily), so a malformed field inside it is refused here
            CertificationRequest request = new CertificationRequest(
                    CertificationRequestInfo.getInstance(ASN1Primitive.fromByteArray(signedInfo)),
                    AlgorithmIdentifier.getInstance(outer.getObjectAt(1)), (DERBitString) outer.getObjectAt(2));
            return new Parsed(new PKCS10CertificationRequest(request), signedInfo);
        } catch (IOException | RuntimeException e) {
            throw CaException.badCsr(CaErrorCode.CSR_UNPARSABLE, "the CSR is not a valid PKCS#10 structure");
        }
    }

    /** The key factories of the preferred provider, looked up once per thread (checkKey admits only these two). */
    private static final ThreadLocal<KeyFactory[]> KEY_FACTORIES = ThreadLocal.withInitial(() -> {
        try {
            return new KeyFactory[] {KeyFactory.getInstance("EC"), KeyFactory.getInstance("RSA")};
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no EC or RSA key factory", e);
        }
    });

    /**
     * The key as the preferred provider's own object: BouncyCastle's {@code JcaPEMKeyConverter} asks for an "ECDSA"
     * factory, which only BouncyCastle has, and the native verifier then converts that key on every use.
     */
    static PublicKey publicKey(SubjectPublicKeyInfo keyInfo, byte[] keyDer) throws java.security.GeneralSecurityException {
        boolean ec = X9ObjectIdentifiers.id_ecPublicKey.equals(keyInfo.getAlgorithm().getAlgorithm());
        KeyFactory factory = KEY_FACTORIES.get()[ec ? 0 : 1];
        return factory.generatePublic(new X509EncodedKeySpec(keyDer));
    }

    /** RSASSA-PSS names its hash in the parameters, and absent parameters mean SHA-1 (RFC 4055). */
    private static boolean weakPss(AlgorithmIdentifier algorithm) {
        if (!PKCSObjectIdentifiers.id_RSASSA_PSS.equals(algorithm.getAlgorithm())) {
            return false;
        }
        RSASSAPSSparams parameters;
        try {
            parameters = RSASSAPSSparams.getInstance(algorithm.getParameters());
        } catch (RuntimeException e) {
            throw CaException.badCsr(CaErrorCode.CSR_UNPARSABLE, "the CSR's RSASSA-PSS parameters cannot be decoded");
        }
        ASN1ObjectIdentifier hash = parameters == null
                ? RSASSAPSSparams.DEFAULT_HASH_ALGORITHM.getAlgorithm()
                : parameters.getHashAlgorithm().getAlgorithm();
        return OIWObjectIdentifiers.idSHA1.equals(hash) || PKCSObjectIdentifiers.md5.equals(hash);
    }

    private static String checkKey(SubjectPublicKeyInfo keyInfo) {
        ASN1ObjectIdentifier algorithm = keyInfo.getAlgorithm().getAlgorithm();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            return "RSA";
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            X962Parameters parameters;
            try {
                parameters = X962Parameters.getInstance(keyInfo.getAlgorithm().getParameters());
            } catch (RuntimeException e) {
                throw CaException.badCsr(CaErrorCode.CSR_UNPARSABLE, "the CSR's EC parameters cannot be decoded");
            }
            String curve = parameters.isNamedCurve()
                    ? ALLOWED_CURVES.get(ASN1ObjectIdentifier.getInstance(parameters.getParameters()))
                    : null;
            if (curve == null) {
                throw CaException.badCsr(CaErrorCode.CSR_EC_CURVE_NOT_ALLOWED,
                        "EC keys must be on curve P-256 or P-384");
            }
            return "EC " + curve;
        }
        throw CaException.badCsr(CaErrorCode.CSR_KEY_TYPE_NOT_ALLOWED,
                "only RSA (≥ " + MIN_RSA_BITS + " bits) and EC P-256/P-384 keys are accepted; this key is " + algorithm.getId());
    }

    private static boolean looksLikePem(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        return i < bytes.length && bytes[i] == '-';
    }

    private static byte[] pemToDer(String pem) {
        PemObject object;
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            object = reader.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw CaException.badCsr(CaErrorCode.CSR_UNPARSABLE, "the PEM text cannot be decoded");
        }
        if (object == null) {
            throw CaException.badCsr(CaErrorCode.CSR_UNPARSABLE, "no PEM block found");
        }
        if (!PEM_TYPES.contains(object.getType())) {
            throw CaException.badCsr(CaErrorCode.CSR_WRONG_PEM_TYPE,
                    "expected a 'CERTIFICATE REQUEST' PEM block, found '" + object.getType() + "'");
        }
        return object.getContent();
    }
}
