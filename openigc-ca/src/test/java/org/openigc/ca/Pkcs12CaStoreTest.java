package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pkcs12CaStoreTest {
    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    @Test
    void savesAndLoadsKeyAndChainThatStillSign(@TempDir Path dir) throws Exception {
        Pkcs12CaStore store = new Pkcs12CaStore(dir.resolve("keys"), PASSWORD);
        CaKey ec = TestPki.ecHierarchy().get(CaRole.ORGANISATIONS);
        CaKey rsa = TestPki.rsaHierarchy().get(CaRole.ROOT);
        store.save(ec);
        store.save(rsa);

        assertThat(store.names()).containsExactly(rsa.name(), ec.name()); // prod-root, test-organisations
        assertThat(store.exists(ec.name())).isTrue();
        assertThat(store.exists("test-personnes")).isFalse();
        for (CaKey original : new CaKey[] {ec, rsa}) {
            CaKey loaded = store.load(original.name());
            assertThat(loaded.name()).isEqualTo(original.name());
            assertThat(loaded.chain()).isEqualTo(original.chain());
            assertThat(loaded.privateKey().getEncoded()).isEqualTo(original.privateKey().getEncoded());
            assertThat(loaded.provider()).isNull();
            Signature signature = Signature.getInstance(loaded.signatureAlgorithm());
            signature.initSign(loaded.privateKey());
            signature.update(new byte[] {1, 2, 3});
            byte[] signed = signature.sign();
            signature.initVerify(original.certificate().getPublicKey());
            signature.update(new byte[] {1, 2, 3});
            assertThat(signature.verify(signed)).isTrue();
        }
    }

    @Test
    void writesFilesReadableByTheOwnerOnlyAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Pkcs12CaStore store = new Pkcs12CaStore(dir, PASSWORD);
        CaKey ca = TestPki.ecHierarchy().get(CaRole.PERSONNES);
        store.save(ca);
        store.save(ca); // replaced atomically
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.fileOf(ca.name()))))
                .isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("test-personnes.p12");
        }
    }

    @Test
    void aWrongPasswordIsAKeystoreError(@TempDir Path dir) {
        CaKey ca = TestPki.ecHierarchy().get(CaRole.ROOT);
        new Pkcs12CaStore(dir, PASSWORD).save(ca);
        assertThatThrownBy(() -> new Pkcs12CaStore(dir, "wrong".toCharArray()).load(ca.name()))
                .isInstanceOfSatisfying(CaException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(CaErrorCode.KEYSTORE);
                    assertThat(e.getMessage()).contains("wrong password");
                });
    }

    @Test
    void aMissingOrDamagedFileIsAKeystoreError(@TempDir Path dir) throws Exception {
        Pkcs12CaStore store = new Pkcs12CaStore(dir, PASSWORD);
        assertThatThrownBy(() -> store.load("nothing")).isInstanceOfSatisfying(CaException.class,
                e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.KEYSTORE));
        CaKey ca = TestPki.ecHierarchy().get(CaRole.ROOT);
        store.save(ca);
        byte[] bytes = Files.readAllBytes(store.fileOf(ca.name()));
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(store.fileOf(ca.name()), bytes);
        assertThatThrownBy(() -> store.load(ca.name())).isInstanceOfSatisfying(CaException.class,
                e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.KEYSTORE));
    }
}
