package org.openigc.certdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCipherTest {
    @TempDir
    Path directory;

    @Test
    void theKeyFileIsCreatedOnceWithOwnerOnlyPermissionsAndReused() throws Exception {
        Path file = directory.resolve("secrets").resolve("certdc-data.key");
        DataCipher first = DataCipher.fromKeyFile(file);
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        UUID row = UUID.randomUUID();
        byte[] sealed = first.encrypt(row, "DUPONT".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(DataCipher.fromKeyFile(file).decrypt(row, sealed), StandardCharsets.UTF_8)).isEqualTo("DUPONT");
        assertThat(first.toString()).doesNotContain(Files.readString(file).strip());
    }

    @Test
    void aCiphertextIsBoundToItsRowAndToItsKey() {
        DataCipher cipher = new DataCipher(new byte[32]);
        UUID row = UUID.randomUUID();
        byte[] sealed = cipher.encrypt(row, "secret".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("secret");
        assertThat(cipher.encrypt(row, "secret".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(sealed);
        assertThatThrownBy(() -> cipher.decrypt(UUID.randomUUID(), sealed)).isInstanceOf(IllegalStateException.class);
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> new DataCipher(other).decrypt(row, sealed)).isInstanceOf(IllegalStateException.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(row, sealed)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theIndexIsKeyedAndPerPurpose() {
        DataCipher cipher = new DataCipher(new byte[32]);
        byte[] ipp = "466656".getBytes(StandardCharsets.UTF_8);
        assertThat(cipher.index("ipp", ipp)).isEqualTo(cipher.index("ipp", ipp)).hasSize(64).doesNotContain("466656");
        assertThat(cipher.index("ipp", ipp)).isNotEqualTo(cipher.index("deposit-body", ipp));
        byte[] other = new byte[32];
        other[5] = 9;
        assertThat(new DataCipher(other).index("ipp", ipp)).isNotEqualTo(cipher.index("ipp", ipp));
    }
}
