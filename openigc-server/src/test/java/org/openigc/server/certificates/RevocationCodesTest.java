package org.openigc.server.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;

class RevocationCodesTest {
    private static final byte[] KEY = filled(7);

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }

    @Test
    void keyedCodesMatchOnlyTheSameCodeUnderTheSameKey() {
        RevocationCodes codes = new RevocationCodes(KEY, 64);
        String stored = codes.encode("mon-code-de-revocation");
        assertThat(stored).startsWith("v2$64$").doesNotContain("mon-code");
        assertThat(codes.matches("mon-code-de-revocation", stored)).isTrue();
        assertThat(codes.matches("mon-code-de-revocatioN", stored)).isFalse();
        assertThat(codes.matches("", stored)).isFalse();
        // salted: the same code twice gives two different stored values
        assertThat(codes.encode("mon-code-de-revocation")).isNotEqualTo(stored);
        // another key (another platform, or a stolen database without the key file) cannot check it
        assertThat(new RevocationCodes(filled(8), 64).matches("mon-code-de-revocation", stored)).isFalse();
        assertThat(new RevocationCodes(null, 64).matches("mon-code-de-revocation", stored)).isFalse();
    }

    @Test
    void iterationsAreReadFromTheStoredValue() {
        String stored = new RevocationCodes(KEY, 500).encode("code-de-test-1");
        assertThat(new RevocationCodes(KEY, 64).matches("code-de-test-1", stored)).isTrue();
    }

    @Test
    void codesStoredWithTheDatabaseOnlySchemeStillMatch() {
        String legacy = new Pbkdf2PasswordEncoder("", 16, 4096,
                Pbkdf2PasswordEncoder.SecretKeyFactoryAlgorithm.PBKDF2WithHmacSHA256).encode("ancien-code-123");
        assertThat(new RevocationCodes(KEY, 64).matches("ancien-code-123", legacy)).isTrue();
        assertThat(new RevocationCodes(KEY, 64).matches("ancien-code-124", legacy)).isFalse();
        // without a key, new codes use that scheme
        RevocationCodes keyless = new RevocationCodes(null, 64);
        String stored = keyless.encode("sans-cle-123");
        assertThat(stored).doesNotStartWith("v2$");
        assertThat(keyless.matches("sans-cle-123", stored)).isTrue();
    }

    @Test
    void malformedStoredValuesNeverMatch() {
        RevocationCodes codes = new RevocationCodes(KEY, 64);
        for (String bad : new String[] {"v2$", "v2$x$AA$AA", "v2$0$AA$AA", "v2$64$!!$AA", "v2$64$AA", null}) {
            assertThat(codes.matches("code-quelconque", bad)).as(String.valueOf(bad)).isFalse();
        }
    }
}
