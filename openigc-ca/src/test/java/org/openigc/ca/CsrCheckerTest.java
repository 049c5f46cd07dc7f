package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.DLSequence;
import org.bouncycastle.asn1.DLSet;
import org.bouncycastle.asn1.DLTaggedObject;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per error code of {@link CsrChecker}, then the keys and encodings it must accept. */
class CsrCheckerTest {
    /** Test-only: the JDK no longer generates secp256k1 keys. Passed explicitly, never registered. */
    private static final Provider BC = new BouncyCastleProvider();
    private static final X500Name SUBJECT = new X500Name("CN=whatever the requester says");

    private static KeyPair ecP256;

    @BeforeAll
    static void keys() {
        ecP256 = KeyAlgorithm.EC_P256.generate();
    }

    // ---- one rejection per error code ------------------------------------------------------------------------

    @Test
    void emptyOrGarbageIsUnparsable() {
        assertRefused(new byte[0], CaErrorCode.CSR_UNPARSABLE);
        assertRefused(null, CaErrorCode.CSR_UNPARSABLE);
        assertRefused("not a CSR at all".getBytes(StandardCharsets.US_ASCII), CaErrorCode.CSR_UNPARSABLE);
        assertRefused(new byte[] {0x30, (byte) 0x82, 0x7f, 0x7f, 0x02}, CaErrorCode.CSR_UNPARSABLE);
        assertRefused("-----BEGIN CERTIFICATE REQUEST-----\n!!!\n-----END CERTIFICATE REQUEST-----\n"
                .getBytes(StandardCharsets.US_ASCII), CaErrorCode.CSR_UNPARSABLE);
        byte[] der = csr(ecP256, "SHA256withECDSA", null);
        assertRefused(java.util.Arrays.copyOf(der, der.length - 10), CaErrorCode.CSR_UNPARSABLE);
    }

    @Test
    void aCertificateInPemIsTheWrongPemType() throws Exception {
        byte[] pem = TestPki.pem(TestPki.ecHierarchy().get(CaRole.ROOT).certificate())
                .getBytes(StandardCharsets.US_ASCII);
        assertRefused(pem, CaErrorCode.CSR_WRONG_PEM_TYPE);
    }

    @Test
    void aFlippedSignatureByteIsABadSignature() {
        for (KeyPair keys : List.of(ecP256, TestPki.rsaHolder())) {
            byte[] der = csr(keys, keys.getPublic().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA",
                    null);
            der[der.length - 5] ^= 0x01; // inside the signature BIT STRING, which ends the CSR
            assertRefused(der, CaErrorCode.CSR_BAD_SIGNATURE);
        }
    }

    @Test
    void theVerifierReusedOnAThreadKeepsNoStateBetweenRequests() {
        // good and bad requests of both key types in turn on one thread: each verdict is its own request's
        KeyPair rsa = TestPki.rsaHolder();
        byte[] goodEc = csr(ecP256, "SHA256withECDSA", null);
        byte[] goodRsa = csr(rsa, "SHA256withRSA", null);
        byte[] badEc = goodEc.clone();
        badEc[badEc.length - 5] ^= 0x01;
        byte[] badRsa = goodRsa.clone();
        badRsa[badRsa.length - 5] ^= 0x01;
        byte[] otherKey = csr(KeyAlgorithm.EC_P256.generate(), "SHA256withECDSA", null);
        for (int i = 0; i < 3; i++) {
            assertThat(CsrChecker.check(goodEc).publicKey().getEncoded()).isEqualTo(ecP256.getPublic().getEncoded());
            assertRefused(badEc, CaErrorCode.CSR_BAD_SIGNATURE);
            assertThat(CsrChecker.check(otherKey).publicKey().getEncoded())
                    .isNotEqualTo(ecP256.getPublic().getEncoded());
            assertRefused(badRsa, CaErrorCode.CSR_BAD_SIGNATURE);
            assertThat(CsrChecker.check(goodRsa).publicKey().getEncoded()).isEqualTo(rsa.getPublic().getEncoded());
        }
    }

    @Test
    void aCsrWhoseSubjectWasChangedAfterSigningIsABadSignature() throws Exception {
        PKCS10CertificationRequest real = new PKCS10CertificationRequest(csr(ecP256, "SHA256withECDSA", null));
        PKCS10CertificationRequest other = new PKCS10CertificationRequest(csr(KeyAlgorithm.EC_P256.generate(),
                "SHA256withECDSA", null));
        // the other key's request carrying this key's signature
        byte[] spliced = new PKCS10CertificationRequest(new org.bouncycastle.asn1.pkcs.CertificationRequest(
                other.toASN1Structure().getCertificationRequestInfo(), real.getSignatureAlgorithm(),
                new org.bouncycastle.asn1.DERBitString(real.getSignature()))).getEncoded();
        assertRefused(spliced, CaErrorCode.CSR_BAD_SIGNATURE);
    }

    @Test
    void aLetterChangedInTheSubjectAfterSigningIsABadSignature() {
        byte[] der = csr(ecP256, "SHA256withECDSA", null);
        int at = indexOf(der, "whatever".getBytes(StandardCharsets.US_ASCII));
        der[at] = 'W'; // still a valid UTF8String: the request parses, only the signed bytes changed
        assertRefused(der, CaErrorCode.CSR_BAD_SIGNATURE);
    }

    // ---- the bytes the signature covers ----------------------------------------------------------------------

    @Test
    void theSignatureIsCheckedOverTheInfoAsReceivedWhichForDerIsItsReEncoding() throws Exception {
        for (KeyPair keys : List.of(ecP256, TestPki.rsaHolder())) {
            byte[] der = csr(keys, keys.getPublic().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA",
                    null);
            byte[] signedInfo = CsrChecker.parse(der).signedInfo();
            assertThat(signedInfo).isEqualTo(parse(der).toASN1Structure().getCertificationRequestInfo()
                    .getEncoded(ASN1Encoding.DER));
            // and they are the request's own bytes, right after the outer SEQUENCE's tag and length
            int header = 2 + ((der[1] & 0x80) == 0 ? 0 : der[1] & 0x7F);
            assertThat(Arrays.copyOfRange(der, header, header + signedInfo.length)).isEqualTo(signedInfo);
        }
    }

    @Test
    void aRequestWhoseInfoIsNotDerIsCheckedOverTheBytesItCarries() throws Exception {
        // two attributes in the order DER would not sort them: BouncyCastle parses the request, and its signature
        // covers these bytes, not their DER re-encoding (the check OpenSSL and Go make)
        Attribute first = new Attribute(PKCSObjectIdentifiers.pkcs_9_at_unstructuredName,
                new DERSet(new DERUTF8String("a longer unstructured name")));
        Attribute second = new Attribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                new DERSet(new DERUTF8String("b")));
        byte[] info = null;
        for (ASN1Encodable[] order : List.of(new ASN1Encodable[] {first, second}, new ASN1Encodable[] {second, first})) {
            byte[] candidate = new DLSequence(new ASN1Encodable[] {new ASN1Integer(0), SUBJECT,
                    SubjectPublicKeyInfo.getInstance(ecP256.getPublic().getEncoded()),
                    new DLTaggedObject(false, 0, new DLSet(order))}).getEncoded(ASN1Encoding.DL);
            if (!Arrays.equals(candidate, CertificationRequestInfo.getInstance(candidate).getEncoded(ASN1Encoding.DER))) {
                info = candidate;
            }
        }
        assertThat(info).as("one of the two orders is not DER").isNotNull();
        byte[] reEncoded = CertificationRequestInfo.getInstance(info).getEncoded(ASN1Encoding.DER);

        byte[] signedAsSent = request(info, sign(info));
        assertThat(CsrChecker.parse(signedAsSent).signedInfo()).isEqualTo(info);
        assertThat(CsrChecker.check(signedAsSent).publicKey().getEncoded()).isEqualTo(ecP256.getPublic().getEncoded());
        // signed over the DER form but sent in another: the signature does not cover what was sent
        assertRefused(request(info, sign(reEncoded)), CaErrorCode.CSR_BAD_SIGNATURE);
    }

    @Test
    void theCheckedKeyStructureIsTheKeysOwnEncoding() throws Exception {
        for (KeyPair keys : List.of(ecP256, TestPki.rsaHolder())) {
            CheckedCsr checked = CsrChecker.check(csr(keys,
                    keys.getPublic().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA", null));
            assertThat(checked.keyInfo().getEncoded(ASN1Encoding.DER)).isEqualTo(checked.publicKey().getEncoded())
                    .isEqualTo(keys.getPublic().getEncoded());
        }
    }

    @Test
    void rsa1024IsTooShort() throws Exception {
        assertRefused(csr(generate("RSA", 1024, null), "SHA256withRSA", null), CaErrorCode.CSR_RSA_TOO_SHORT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp521r1", "secp256k1", "secp224r1"})
    void curvesOtherThanP256AndP384AreRefused(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
        generator.initialize(new ECGenParameterSpec(curve));
        assertRefused(csr(generator.generateKeyPair(), "SHA256withECDSA", BC), CaErrorCode.CSR_EC_CURVE_NOT_ALLOWED);
    }

    @Test
    void dsaAndEd25519KeysAreRefused() throws Exception {
        assertRefused(csr(generate("DSA", 2048, null), "SHA256withDSA", null), CaErrorCode.CSR_KEY_TYPE_NOT_ALLOWED);
        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertRefused(csr(ed25519, "Ed25519", null), CaErrorCode.CSR_KEY_TYPE_NOT_ALLOWED);
    }

    @Test
    void sha1AndMd5SignaturesAreWeak() throws Exception {
        assertRefused(csr(TestPki.rsaHolder(), "SHA1withRSA", null), CaErrorCode.CSR_WEAK_SIGNATURE_ALGORITHM);
        assertRefused(csr(TestPki.rsaHolder(), "MD5withRSA", null), CaErrorCode.CSR_WEAK_SIGNATURE_ALGORITHM);
        assertRefused(csr(ecP256, "SHA1withECDSA", null), CaErrorCode.CSR_WEAK_SIGNATURE_ALGORITHM);
    }

    @Test
    void rsaPssOverSha1IsWeakAndOverSha256Accepted(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.pem");
        openssl(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key.toString());
        for (String digest : List.of("sha1", "sha256")) {
            openssl(dir, "req", "-new", "-key", "key.pem", "-subj", "/CN=pss", "-" + digest, "-sigopt",
                    "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32", "-out", "pss.csr");
            byte[] pem = Files.readAllBytes(dir.resolve("pss.csr"));
            if (digest.equals("sha1")) {
                assertRefused(pem, CaErrorCode.CSR_WEAK_SIGNATURE_ALGORITHM);
            } else {
                assertThat(CsrChecker.check(pem).keyDescription()).isEqualTo("RSA 2048");
            }
        }
    }

    @Test
    void moreThan64KiBIsTooLargeBeforeAnythingIsParsed() {
        byte[] pem = (TestPki.pem(parse(csr(ecP256, "SHA256withECDSA", null))) + "\n".repeat(64 * 1024))
                .getBytes(StandardCharsets.US_ASCII);
        assertRefused(pem, CaErrorCode.CSR_TOO_LARGE);
        assertRefused(new byte[CsrChecker.MAX_CSR_BYTES + 1], CaErrorCode.CSR_TOO_LARGE);
    }

    // ---- acceptance ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {2048, 3072, 4096})
    void acceptsRsaKeysInPemAndDer(int bits) throws Exception {
        KeyPair keys = bits == 2048 ? TestPki.rsaHolder() : generate("RSA", bits, null);
        byte[] der = csr(keys, "SHA256withRSA", null);
        for (byte[] encoded : List.of(der, TestPki.pem(parse(der)).getBytes(StandardCharsets.US_ASCII))) {
            CheckedCsr checked = CsrChecker.check(encoded);
            assertThat(checked.keyDescription()).isEqualTo("RSA " + bits);
            assertThat(checked.publicKey()).isEqualTo(keys.getPublic());
            assertThat(checked.der()).isEqualTo(der);
            assertThat(checked.insecureSubject()).isEqualTo(SUBJECT);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"EC_P256", "EC_P384"})
    void acceptsP256AndP384InPemAndDer(String algorithm) throws Exception {
        KeyPair keys = KeyAlgorithm.valueOf(algorithm).generate();
        byte[] der = csr(keys, algorithm.equals("EC_P256") ? "SHA256withECDSA" : "SHA384withECDSA", null);
        String expected = algorithm.equals("EC_P256") ? "EC P-256" : "EC P-384";
        assertThat(CsrChecker.check(der).keyDescription()).isEqualTo(expected);
        assertThat(CsrChecker.check(("\n  " + TestPki.pem(parse(der))).getBytes(StandardCharsets.US_ASCII))
                .keyDescription()).isEqualTo(expected);
    }

    @Test
    void acceptsCsrsMadeByOpensslReq(@TempDir Path dir) throws Exception {
        record Made(List<String> keyOptions, String description) {
        }
        for (Made made : List.of(
                new Made(List.of("-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"), "RSA 2048"),
                new Made(List.of("-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"), "RSA 3072"),
                new Made(List.of("-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"), "EC P-256"),
                new Made(List.of("-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"), "EC P-384"))) {
            List<String> genpkey = new java.util.ArrayList<>(List.of("genpkey", "-out", "key.pem"));
            genpkey.addAll(made.keyOptions());
            openssl(dir, genpkey.toArray(String[]::new));
            for (String form : List.of("PEM", "DER")) {
                openssl(dir, "req", "-new", "-key", "key.pem", "-subj", "/C=FR/O=CHU DEMO/CN=INSI-AUTO", "-sha256",
                        "-outform", form, "-out", "req.csr");
                CheckedCsr checked = CsrChecker.check(Files.readAllBytes(dir.resolve("req.csr")));
                assertThat(checked.keyDescription()).as(made + " " + form).isEqualTo(made.description());
                assertThat(checked.insecureSubject().toString()).isEqualTo("C=FR,O=CHU DEMO,CN=INSI-AUTO");
            }
        }
        // openssl's old "NEW CERTIFICATE REQUEST" PEM label is accepted too
        openssl(dir, "req", "-new", "-key", "key.pem", "-subj", "/CN=x", "-out", "req.csr");
        String legacy = Files.readString(dir.resolve("req.csr")).replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
        assertThat(CsrChecker.check(legacy.getBytes(StandardCharsets.US_ASCII)).keyDescription()).isEqualTo("EC P-384");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static void assertRefused(byte[] csr, CaErrorCode expected) {
        assertThatThrownBy(() -> CsrChecker.check(csr)).isInstanceOfSatisfying(CaException.class,
                e -> assertThat(e.errorCode()).as(e.getMessage()).isEqualTo(expected));
    }

    static byte[] csr(KeyPair keys, String signatureAlgorithm, Provider provider) {
        try {
            JcaContentSignerBuilder signer = new JcaContentSignerBuilder(signatureAlgorithm);
            if (provider != null) {
                signer.setProvider(provider);
            }
            return new JcaPKCS10CertificationRequestBuilder(SUBJECT, keys.getPublic())
                    .build(signer.build(keys.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static PKCS10CertificationRequest parse(byte[] der) {
        try {
            return new PKCS10CertificationRequest(der);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ecP256's SHA256withECDSA signature over {@code bytes}. */
    private static byte[] sign(byte[] bytes) throws Exception {
        java.security.Signature signature = java.security.Signature.getInstance("SHA256withECDSA");
        signature.initSign(ecP256.getPrivate());
        signature.update(bytes);
        return signature.sign();
    }

    /** A request of the given info bytes (kept as they are) and signature. */
    private static byte[] request(byte[] info, byte[] signature) throws Exception {
        return new DLSequence(new ASN1Encodable[] {ASN1Primitive.fromByteArray(info),
                new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256), new DERBitString(signature)})
                .getEncoded(ASN1Encoding.DL);
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    private static KeyPair generate(String algorithm, int bits, Provider provider) throws Exception {
        KeyPairGenerator generator = provider == null ? KeyPairGenerator.getInstance(algorithm)
                : KeyPairGenerator.getInstance(algorithm, provider);
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private static void openssl(Path dir, String... arguments) {
        TestPki.Result result = TestPki.openssl(dir, arguments);
        assertThat(result.exitCode()).as(String.join(" ", arguments) + "\n" + result.output()).isZero();
    }
}
