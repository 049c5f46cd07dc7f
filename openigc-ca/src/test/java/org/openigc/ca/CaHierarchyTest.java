package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaHierarchyTest {
    private static final String KU = Extension.keyUsage.getId();
    private static final String BC = Extension.basicConstraints.getId();

    @Test
    void testAndProductionNeverCrossVerify(@TempDir Path dir) throws Exception {
        // same algorithms on both sides, so only the keys and names can tell them apart
        Map<CaRole, CaKey> test = TestPki.hierarchy(Environment.TEST, KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P256);
        Map<CaRole, CaKey> production = TestPki.hierarchy(Environment.PRODUCTION, KeyAlgorithm.EC_P256,
                KeyAlgorithm.EC_P256);
        for (CaRole role : List.of(CaRole.ORGANISATIONS, CaRole.PERSONNES)) {
            X509Certificate testIntermediate = test.get(role).certificate();
            X509Certificate productionIntermediate = production.get(role).certificate();
            testIntermediate.verify(test.get(CaRole.ROOT).certificate().getPublicKey());
            productionIntermediate.verify(production.get(CaRole.ROOT).certificate().getPublicKey());
            assertThatThrownBy(() -> testIntermediate.verify(production.get(CaRole.ROOT).certificate().getPublicKey()))
                    .isInstanceOf(SignatureException.class);
            assertThatThrownBy(() -> productionIntermediate.verify(test.get(CaRole.ROOT).certificate().getPublicKey()))
                    .isInstanceOf(SignatureException.class);
            assertThat(testIntermediate.getIssuerX500Principal())
                    .isNotEqualTo(production.get(CaRole.ROOT).certificate().getSubjectX500Principal());
        }
        for (CaRole role : CaRole.values()) {
            assertThat(test.get(role).certificate().getSubjectX500Principal().getName())
                    .contains("CN=TEST " + role.defaultCommonName()).contains("OU=IGC-SANTE TEST");
            assertThat(production.get(role).certificate().getSubjectX500Principal().getName())
                    .startsWith("CN=" + role.defaultCommonName() + ",OU=IGC-SANTE,");
        }

        X509Certificate testLeaf = TestPki.issue(test, ProfileId.ORG_AUTH_CLI, KeyAlgorithm.EC_P256.generate().getPublic());
        TestPki.writePem(dir.resolve("leaf.pem"), testLeaf);
        TestPki.writePem(dir.resolve("test-intermediate.pem"), test.get(CaRole.ORGANISATIONS).certificate());
        TestPki.writePem(dir.resolve("test-root.pem"), test.get(CaRole.ROOT).certificate());
        TestPki.writePem(dir.resolve("prod-root.pem"), production.get(CaRole.ROOT).certificate());
        TestPki.writePem(dir.resolve("prod-intermediate.pem"), production.get(CaRole.ORGANISATIONS).certificate());
        assertThat(TestPki.openssl(dir, "verify", "-CAfile", "test-root.pem", "-untrusted", "test-intermediate.pem",
                "leaf.pem").output()).isEqualTo("leaf.pem: OK\n");
        for (String[] wrong : new String[][] {{"prod-root.pem", "test-intermediate.pem"},
                {"prod-root.pem", "prod-intermediate.pem"}, {"test-root.pem", "prod-intermediate.pem"}}) {
            TestPki.Result result = TestPki.openssl(dir, "verify", "-CAfile", wrong[0], "-untrusted", wrong[1],
                    "leaf.pem");
            assertThat(result.exitCode()).as(String.join(" ", wrong)).isNotZero();
            assertThat(result.output()).contains("error");
        }
    }

    @Test
    void rootAndIntermediatesHaveTheirConstraints() throws Exception {
        for (Map<CaRole, CaKey> hierarchy : List.of(TestPki.ecHierarchy(), TestPki.rsaHierarchy())) {
            X509Certificate root = hierarchy.get(CaRole.ROOT).certificate();
            root.verify(root.getPublicKey());
            assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE); // CA:TRUE, no path length
            assertThat(root.getCriticalExtensionOIDs()).contains(KU, BC);
            assertThat(root.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
            assertThat(root.getNotAfter().toInstant())
                    .isEqualTo(TestPki.NOW.atOffset(ZoneOffset.UTC).plusYears(20).toInstant());
            assertThat(hierarchy.get(CaRole.ROOT).chain()).containsExactly(root);

            for (CaRole role : List.of(CaRole.ORGANISATIONS, CaRole.PERSONNES)) {
                CaKey ca = hierarchy.get(role);
                X509Certificate intermediate = ca.certificate();
                assertThat(ca.chain()).containsExactly(intermediate, root);
                intermediate.verify(root.getPublicKey());
                assertThat(intermediate.getBasicConstraints()).isZero(); // CA:TRUE, pathlen:0
                assertThat(intermediate.getCriticalExtensionOIDs()).contains(KU, BC);
                // keyCertSign and cRLSign only
                assertThat(intermediate.getKeyUsage()).containsExactly(false, false, false, false, false, true, true,
                        false, false);
                assertThat(intermediate.getNotAfter()).isBefore(root.getNotAfter());
                AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.fromExtensions(
                        new JcaX509CertificateHolder(intermediate).getExtensions());
                assertThat(aki.getKeyIdentifier()).isEqualTo(SubjectKeyIdentifier.fromExtensions(
                        new JcaX509CertificateHolder(root).getExtensions()).getKeyIdentifier());
                // key identifier only: re-certifying the root key must not orphan the intermediates
                assertThat(aki.getAuthorityCertIssuer()).isNull();
                assertThat(aki.getAuthorityCertSerialNumber()).isNull();
            }
        }
    }

    @Test
    void anIntermediateCannotCertifyAnotherCa(@TempDir Path dir) throws Exception {
        Map<CaRole, CaKey> hierarchy = TestPki.ecHierarchy();
        CaKey organisations = hierarchy.get(CaRole.ORGANISATIONS);
        KeyPair subCaKeys = KeyAlgorithm.EC_P256.generate();
        Instant now = TestPki.NOW;
        X509Certificate subCa = CaHierarchy.build(new X500Name("C=FR,CN=Rogue sub-CA"), organisations.certificate(),
                X500Name.getInstance(organisations.certificate().getSubjectX500Principal().getEncoded()),
                subCaKeys.getPublic(), organisations.signer(), now, now.plusSeconds(86400 * 365), 0,
                TestPki.urls(organisations.name()));
        CaKey rogue = new CaKey("rogue", subCaKeys.getPrivate(), null,
                List.of(subCa, organisations.certificate(), hierarchy.get(CaRole.ROOT).certificate()));
        X509Certificate leaf = new CertificateIssuer(rogue, TestPki.urls("rogue")).issue(
                TestPki.PROFILES.get(ProfileId.ORG_AUTH_CLI), TestPki.request(ProfileId.ORG_AUTH_CLI,
                        KeyAlgorithm.EC_P256.generate().getPublic()), CertificateIssuer.randomSerial());
        TestPki.writePem(dir.resolve("root.pem"), hierarchy.get(CaRole.ROOT).certificate());
        TestPki.writePem(dir.resolve("untrusted.pem"), organisations.certificate(), subCa);
        TestPki.writePem(dir.resolve("leaf.pem"), leaf);
        TestPki.Result result = TestPki.openssl(dir, "verify", "-CAfile", "root.pem", "-untrusted", "untrusted.pem",
                "leaf.pem");
        assertThat(result.output()).contains("path length constraint exceeded");
        assertThat(result.exitCode()).isNotZero();
    }

    @Test
    void opensslAcceptsTheIntermediatesStrictly(@TempDir Path dir) throws Exception {
        for (Map<CaRole, CaKey> hierarchy : List.of(TestPki.ecHierarchy(), TestPki.rsaHierarchy())) {
            TestPki.writePem(dir.resolve("root.pem"), hierarchy.get(CaRole.ROOT).certificate());
            TestPki.writePem(dir.resolve("intermediates.pem"), hierarchy.get(CaRole.ORGANISATIONS).certificate());
            TestPki.Result result = TestPki.openssl(dir, "verify", "-x509_strict", "-CAfile", "root.pem",
                    "intermediates.pem");
            assertThat(result.output()).isEqualTo("intermediates.pem: OK\n");
            String text = TestPki.openssl(dir, "x509", "-in", "intermediates.pem", "-noout", "-text").output();
            assertThat(text).contains("X509v3 Basic Constraints: critical\n                CA:TRUE, pathlen:0\n");
            assertThat(text).contains("X509v3 Key Usage: critical\n                Certificate Sign, CRL Sign\n");
            String root = hierarchy.get(CaRole.ROOT).name();
            assertThat(text).contains("URI:" + TestPki.BASE_URL + "/crl/" + root + ".crl");
            assertThat(text).contains("CA Issuers - URI:" + TestPki.BASE_URL + "/ca/" + root + ".crt");
        }
    }
}
