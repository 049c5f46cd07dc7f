package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Pkcs11CaStore} against a real SoftHSM2 token, created fresh for the run. Fails, never skips, when SoftHSM2 is
 * missing: CI installs it, and a PKCS#11 store that is never exercised is not known to work.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Pkcs11CaStoreTest {
    private static final Path LIBRARY = Stream.of("/usr/lib/softhsm/libsofthsm2.so",
                    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so", "/usr/lib64/pkcs11/libsofthsm2.so")
            .map(Path::of).filter(Files::isRegularFile).findFirst().orElse(Path.of("/usr/lib/softhsm/libsofthsm2.so"));
    private static final char[] PIN = "4321".toCharArray();

    private static long slot;
    private static Pkcs11CaStore store;
    private static Map<CaRole, CaKey> hierarchy;

    @BeforeAll
    static void freshToken() throws Exception {
        if (!Files.isRegularFile(LIBRARY)) {
            fail("SoftHSM2 is not installed (no " + LIBRARY + "): run `apt-get install -y softhsm2`, as CI does");
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            fail("SOFTHSM2_CONF is not set: run this test through Maven, whose surefire configuration "
                    + "(openigc-ca/pom.xml) points it at target/softhsm/softhsm2.conf");
        }
        // SoftHSM2 reads this file when the JVM first loads the library, which no test has done yet
        Path confFile = Path.of(conf);
        Path tokens = confFile.resolveSibling("tokens");
        if (Files.exists(tokens)) {
            try (Stream<Path> old = Files.walk(tokens)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(tokens);
        Files.writeString(confFile, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
                + "log.level = ERROR\n", StandardCharsets.US_ASCII);
        String output = softhsm(conf, "--init-token", "--free", "--label", "openigc-test", "--so-pin", "87654321",
                "--pin", new String(PIN));
        Matcher reassigned = Pattern.compile("reassigned to slot (\\d+)").matcher(output);
        assertThat(reassigned.find()).as(output).isTrue();
        slot = Long.parseLong(reassigned.group(1));
    }

    private static String softhsm(String conf, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("softhsm2-util"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SOFTHSM2_CONF", conf);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return fail("softhsm2-util is not installed: run `apt-get install -y softhsm2`, as CI does", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    @Order(1)
    void aWrongPinOrLibraryIsAKeystoreErrorAtStartUp() {
        // first: once a store is logged in, the token counts the whole JVM as logged in and asks no PIN
        assertThatThrownBy(() -> new Pkcs11CaStore(LIBRARY, slot, "0000".toCharArray()))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.KEYSTORE));
        assertThatThrownBy(() -> new Pkcs11CaStore(Path.of("/nonexistent/libpkcs11.so"), slot, PIN))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.KEYSTORE));
        assertThatThrownBy(() -> new Pkcs11CaStore(LIBRARY, 424242, PIN))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.KEYSTORE));
    }

    @Test
    @Order(2)
    void createsAHierarchyInsideTheTokenAndIssuesWithIt(@TempDir Path dir) throws Exception {
        store = new Pkcs11CaStore(LIBRARY, slot, PIN);
        // root EC P-384 (SHA384withECDSA in the token), intermediates RSA 2048 (SHA256withRSA in the token)
        hierarchy = CaHierarchy.create(Environment.TEST, TestPki.NAMING, KeyAlgorithm.EC_P384, KeyAlgorithm.RSA_2048,
                TestPki.NOW, TestPki::urls, store::generateKeyPair, store.provider());
        hierarchy.values().forEach(store::save);
        assertThat(store.names()).containsExactly("test-organisations", "test-personnes", "test-root");
        assertThat(store.exists("test-root")).isTrue();
        assertThat(store.exists("prod-root")).isFalse();

        CaKey organisations = store.load("test-organisations");
        assertThat(organisations.chain()).isEqualTo(hierarchy.get(CaRole.ORGANISATIONS).chain());
        assertThat(organisations.provider()).isSameAs(store.provider());
        assertThat(organisations.privateKey().getEncoded()).isNull();
        for (String name : store.names()) {
            // what the token says about the key object itself
            assertThat(store.tokenPrivateKey(name).toString()).contains("token object, sensitive, unextractable");
        }

        X509Certificate leaf = issue(organisations);
        TestPki.writePem(dir.resolve("root.pem"), store.load("test-root").certificate());
        TestPki.writePem(dir.resolve("intermediate.pem"), organisations.certificate());
        TestPki.writePem(dir.resolve("leaf.pem"), leaf);
        assertThat(TestPki.openssl(dir, "verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", "root.pem",
                "-untrusted", "intermediate.pem", "leaf.pem").output()).isEqualTo("leaf.pem: OK\n");

        // CRL and OCSP signed inside the token, the OCSP responder's key in the token too
        X509CRLHolder crl = new X509CRLHolder(CrlBuilder.build(organisations, BigInteger.ONE, TestPki.NOW,
                TestPki.NOW.plusSeconds(3600), List.of(new RevokedEntry(leaf.getSerialNumber(), TestPki.NOW,
                        RevocationReason.SUPERSEDED))));
        assertThat(crl.isSignatureValid(new JcaContentVerifierProviderBuilder().build(organisations.certificate())))
                .isTrue();
        CaKey responder = OcspResponderCertificate.responder(organisations,
                store.generateKeyPair("test-organisations-ocsp", KeyAlgorithm.EC_P256), store.provider(), TestPki.NOW,
                Duration.ofDays(30));
        store.save(responder);
        OcspCertId id = OcspCertId.of(organisations.certificate(), leaf.getSerialNumber(), OcspCertId.SHA1);
        BasicOCSPResp response = (BasicOCSPResp) new OCSPResp(new OcspResponseSigner(store.load(responder.name()))
                .sign(List.of(SingleStatus.good(id, TestPki.NOW, null)), null, TestPki.NOW)).getResponseObject();
        assertThat(response.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responder.certificate())))
                .isTrue();
    }

    @Test
    @Order(3)
    void aSecondStoreOnTheSameTokenFindsTheKeys() throws Exception {
        Pkcs11CaStore other = new Pkcs11CaStore(LIBRARY, slot, PIN);
        CaKey personnes = other.load("test-personnes");
        issue(personnes);
        assertThat(other.names()).contains("test-organisations-ocsp");
        assertThatThrownBy(() -> other.load("prod-root")).isInstanceOfSatisfying(CaException.class,
                e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.KEYSTORE));
    }

    @Test
    @Order(4)
    void refusesToOverwriteAKeyOfTheSameName() {
        CaKey root = hierarchy.get(CaRole.ROOT);
        var otherKeys = store.generateKeyPair("test-root", KeyAlgorithm.EC_P256);
        CaKey impostor = new CaKey("test-root", otherKeys.getPrivate(), store.provider(), List.of(
                CaHierarchy.build(new org.bouncycastle.asn1.x500.X500Name("CN=impostor"), null,
                        new org.bouncycastle.asn1.x500.X500Name("CN=impostor"), otherKeys.getPublic(),
                        CaKey.signer(otherKeys.getPrivate(), otherKeys.getPublic(), store.provider()), TestPki.NOW,
                        TestPki.NOW.plusSeconds(3600), -1, null)));
        assertThatThrownBy(() -> store.save(impostor)).isInstanceOfSatisfying(CaException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(CaErrorCode.KEYSTORE);
            assertThat(e.getMessage()).contains("different key");
        });
        assertThat(store.load("test-root").certificate()).isEqualTo(root.certificate());
        // and a software key is not this store's to save
        assertThatThrownBy(() -> store.save(TestPki.ecHierarchy().get(CaRole.ROOT)))
                .isInstanceOfSatisfying(CaException.class, e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.KEYSTORE));
    }

    @Test
    @Order(5)
    void keepsSigningAfterTheTokenLoggedUsOut() throws Exception {
        CaKey organisations = store.load("test-organisations");
        issue(organisations);
        java.security.PrivateKey raw = store.tokenPrivateKey("test-organisations");
        ((AuthProvider) store.tokenProvider()).logout();
        // what a plain SunPKCS11 key does now
        assertThatThrownBy(() -> {
            java.security.Signature signature = java.security.Signature.getInstance("SHA256withRSA",
                    store.tokenProvider());
            signature.initSign(raw);
            signature.update(new byte[] {1});
            signature.sign();
        }).isInstanceOfAny(java.security.GeneralSecurityException.class, java.security.ProviderException.class);
        issue(organisations);
        assertThat(store.names()).contains("test-root"); // hidden while logged out: the store logged in again
    }

    @Test
    @Order(6)
    void keepsSigningAfterAnotherApplicationComponentLogsOut() throws Exception {
        CaKey root = store.load("test-root");
        Provider intruder = Security.getProvider("SunPKCS11").configure("--name = intruder\nlibrary = " + LIBRARY
                + "\nslot = " + slot + "\n");
        KeyStore keyStore = KeyStore.getInstance("PKCS11", intruder);
        keyStore.load(null, PIN);
        ((AuthProvider) intruder).logout(); // PKCS#11 logins are per process: this logs the store out as well
        X509CRLHolder crl = new X509CRLHolder(CrlBuilder.build(root, BigInteger.TEN, TestPki.NOW,
                TestPki.NOW.plusSeconds(60), List.of()));
        assertThat(crl.isSignatureValid(new JcaContentVerifierProviderBuilder().build(root.certificate()))).isTrue();
    }

    @Test
    @Order(7)
    void keepsSigningAfterThePkcs11LibraryIsFinalised() throws Exception {
        CaKey organisations = store.load("test-organisations");
        Provider before = store.tokenProvider();
        // what a crashed HSM client library or an HSM restart leaves behind: every handle and session gone
        finalizeLibrary(before);
        X509Certificate leaf = issue(organisations);
        assertThat(store.tokenProvider()).isNotSameAs(before);
        leaf.verify(organisations.certificate().getPublicKey());
        // keys looked up again by name in the re-initialised library
        issue(store.load("test-personnes"));
        assertThat(store.tokenPrivateKey("test-root").toString()).contains("unextractable");

        // a store opened while the library is finalised loads it afresh
        finalizeLibrary(store.tokenProvider());
        Pkcs11CaStore reopened = new Pkcs11CaStore(LIBRARY, slot, PIN);
        issue(reopened.load("test-organisations")).verify(organisations.certificate().getPublicKey());
    }

    /** C_Finalize on the JDK's wrapper of the library, as the provider's configuration names it. */
    private static void finalizeLibrary(Provider provider) throws Exception {
        String library = provider.getInfo().replaceAll("(?s).*using library (\\S+).*", "$1");
        Class<?> wrapper = Class.forName("sun.security.pkcs11.wrapper.PKCS11");
        Class<?> initArgs = Class.forName("sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS");
        Object pkcs11 = wrapper.getMethod("getInstance", String.class, String.class, initArgs, boolean.class)
                .invoke(null, library, null, null, true);
        wrapper.getMethod("C_Finalize", Object.class).invoke(pkcs11, (Object) null);
    }

    private static X509Certificate issue(CaKey ca) throws Exception {
        ProfileId id = ca.name().contains("personnes") ? ProfileId.PRO_AUTH : ProfileId.ORG_AUTH_CLI;
        X509Certificate certificate = new CertificateIssuer(ca, TestPki.urls(ca.name())).issue(TestPki.PROFILES.get(id),
                TestPki.request(id, KeyAlgorithm.EC_P256.generate().getPublic()), CertificateIssuer.randomSerial());
        certificate.verify(ca.certificate().getPublicKey());
        return certificate;
    }
}
