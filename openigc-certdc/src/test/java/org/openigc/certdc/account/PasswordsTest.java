package org.openigc.certdc.account;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class PasswordsTest {
    private final Passwords passwords = new Passwords();

    @Test
    void newHashesAreArgon2AndBcryptHashesStillMatchButAskForARehash() {
        String hash = passwords.hash("Un-Mot-De-Passe-1");
        assertThat(hash).startsWith("{argon2}");
        assertThat(passwords.matches("Un-Mot-De-Passe-1", hash)).isTrue();
        assertThat(passwords.matches("un-mot-de-passe-1", hash)).isFalse();
        assertThat(passwords.needsRehash(hash)).isFalse();
        String legacy = "{bcrypt}" + new BCryptPasswordEncoder(4).encode("Ancien-Mot-2passe");
        assertThat(passwords.matches("Ancien-Mot-2passe", legacy)).isTrue();
        assertThat(passwords.needsRehash(legacy)).isTrue();
    }

    @Test
    void theRulesAreNamed() {
        assertThat(passwords.check("Court-1", "gsi-abc", null)).containsExactly("certdc.password.tooShort");
        assertThat(passwords.check("x".repeat(129), "gsi-abc", null)).containsExactly("certdc.password.tooLong");
        assertThat(passwords.check("toutenminuscule", "gsi-abc", null)).contains("certdc.password.classes");
        assertThat(passwords.check("Mon-gsi-abc-2026", "gsi-abc", null)).contains("certdc.password.containsLogin");
        assertThat(passwords.check("Password123!", "gsi-abc", null)).contains("certdc.password.wellKnown");
        String current = passwords.hash("Actuel-Mot-2passe");
        assertThat(passwords.check("Actuel-Mot-2passe", "gsi-abc", current)).contains("certdc.password.same");
        assertThat(passwords.check("Bon-Mot-de-passe-9", "gsi-abc", current)).isEmpty();
    }

    @Test
    void generatedPasswordsFollowTheRulesAndDiffer() {
        String first = Passwords.generate();
        assertThat(first).hasSize(16);
        assertThat(passwords.check(first, "gsi-abc", null)).isEmpty();
        assertThat(Passwords.generate()).isNotEqualTo(first);
        assertThat(first).doesNotContain("0", "O", "1", "l", "I");
    }

    @Test
    void aRateLimiterCountsWithinItsWindow() {
        RateLimiter limiter = new RateLimiter();
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("k", 3, java.time.Duration.ofMinutes(1))).isTrue();
        }
        assertThat(limiter.tryAcquire("k", 3, java.time.Duration.ofMinutes(1))).isFalse();
        assertThat(limiter.tryAcquire("other", 3, java.time.Duration.ofMinutes(1))).isTrue();
        assertThat(limiter.tryAcquire("short", 1, java.time.Duration.ofNanos(1))).isTrue();
        assertThat(limiter.tryAcquire("short", 1, java.time.Duration.ofNanos(1))).isTrue();
    }
}
