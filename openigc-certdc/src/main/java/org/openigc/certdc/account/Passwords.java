package org.openigc.certdc.account;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Password hashing and rules. Hashes go through Spring Security's {@link DelegatingPasswordEncoder}: new hashes are
 * Argon2id ({@code {argon2}…}), bcrypt hashes ({@code {bcrypt}…}) are still accepted and re-hashed at the next
 * login. Rules: 12 to 128 characters, at least three of lower case / upper case / digit / other, not containing the
 * identifier, not a well-known password, different from the current one.
 */
public final class Passwords {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 128;
    private static final Set<String> WELL_KNOWN = Set.of("motdepasse123", "motdepasse1234", "password1234",
            "azertyuiop123", "azerty123456", "123456789abc", "certdc123456", "bonjour12345", "soleil123456",
            "motdepasse!1", "password123!", "azertyuiop1!");
    /** No look-alikes (0/O, 1/l/I) in generated passwords: they are typed from a mail. */
    private static final String LOWER = "abcdefghijkmnopqrstuvwxyz";
    private static final String UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private static final String DIGITS = "23456789";
    private static final String OTHER = "-_.!?+";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PasswordEncoder encoder;

    public Passwords() {
        this.encoder = new DelegatingPasswordEncoder("argon2", Map.of(
                "argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                "bcrypt", new BCryptPasswordEncoder(12)));
    }

    public PasswordEncoder encoder() {
        return encoder;
    }

    public String hash(String password) {
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        return hash != null && password != null && encoder.matches(password, hash);
    }

    public boolean needsRehash(String hash) {
        return encoder.upgradeEncoding(hash);
    }

    /**
     * The rules a new password breaks, as message keys ({@code certdc.password.*}); empty when acceptable.
     *
     * @param currentHash the current hash, to refuse re-using it; may be null
     */
    public List<String> check(String password, String login, String currentHash) {
        List<String> broken = new ArrayList<>();
        if (password == null || password.length() < MIN_LENGTH) {
            broken.add("certdc.password.tooShort");
            return broken;
        }
        if (password.length() > MAX_LENGTH) {
            broken.add("certdc.password.tooLong");
            return broken;
        }
        int classes = 0;
        classes += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
        classes += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
        classes += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
        classes += password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0;
        if (classes < 3) {
            broken.add("certdc.password.classes");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (login != null && login.length() >= 3 && lower.contains(login.toLowerCase(Locale.ROOT))) {
            broken.add("certdc.password.containsLogin");
        }
        if (WELL_KNOWN.contains(lower)) {
            broken.add("certdc.password.wellKnown");
        }
        if (currentHash != null && matches(password, currentHash)) {
            broken.add("certdc.password.same");
        }
        return broken;
    }

    /** A one-time initial password: 16 characters with every class, no look-alikes. */
    public static String generate() {
        StringBuilder password = new StringBuilder();
        String all = LOWER + UPPER + DIGITS + OTHER;
        password.append(pick(LOWER)).append(pick(UPPER)).append(pick(DIGITS)).append(pick(OTHER));
        while (password.length() < 16) {
            password.append(pick(all));
        }
        for (int i = password.length() - 1; i > 0; i--) {
            int j = RANDOM.nextInt(i + 1);
            char c = password.charAt(i);
            password.setCharAt(i, password.charAt(j));
            password.setCharAt(j, c);
        }
        return password.toString();
    }

    private static char pick(String alphabet) {
        return alphabet.charAt(RANDOM.nextInt(alphabet.length()));
    }
}
