package org.openigc.server.certificates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.openigc.server.config.OpenIgcProperties;
import org.openigc.server.database.EmbeddedDatabaseConfiguration.EmbeddedDatabaseMarker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Storage of the user-chosen revocation codes. Codes are short and chosen by people, so a leaked database must not
 * let them be guessed offline, and guesses online are rate-limited by {@link CertificateService}.
 *
 * <p>With a secret key (a "pepper": {@code openigc.revocation-code.key-file}, or generated once into
 * {@code <data-dir>/secrets/revocation-code.key} with the embedded database) a code is stored as
 * {@code v2$<iterations>$<salt>$<PBKDF2-HMAC-SHA256(HMAC-SHA256(key, code), salt, iterations)>}: the database alone
 * is useless for guessing (the key never goes into it), so the per-code stretching can be light (default 64
 * iterations, ≈ 30 µs) instead of the 4,096 iterations (≈ 2 ms of CPU per order, the largest single cost of an
 * issuance) that a database-only scheme needs. Without a key (an external database and no key file) codes keep the
 * database-only scheme: salted PBKDF2-HMAC-SHA256 with 4,096 iterations. Both forms are always verified, so codes
 * stored before a key was configured keep working. Every node must use the same key file.
 */
@Component
class RevocationCodes {
    private static final Logger log = LoggerFactory.getLogger(RevocationCodes.class);
    private static final String V2 = "v2$";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pbkdf2PasswordEncoder legacy = new Pbkdf2PasswordEncoder("", 16, 4096,
            Pbkdf2PasswordEncoder.SecretKeyFactoryAlgorithm.PBKDF2WithHmacSHA256);
    private final byte[] key;
    private final int iterations;
    /** Keyed once per thread: looking the algorithms up and keying them cost more than the 64 iterations. */
    private final ThreadLocal<Stretcher> stretchers = ThreadLocal.withInitial(this::stretcher);

    private record Stretcher(Mac hmac, SecretKeyFactory pbkdf2) {
    }

    @Autowired
    RevocationCodes(OpenIgcProperties properties, ObjectProvider<EmbeddedDatabaseMarker> embedded,
                    @Value("${openigc.revocation-code.key-file:}") String keyFile,
                    @Value("${openigc.revocation-code.iterations:64}") int iterations) {
        if (iterations < 1 || iterations > 1_000_000) {
            throw new IllegalArgumentException("openigc.revocation-code.iterations must be between 1 and 1000000");
        }
        this.iterations = iterations;
        this.key = key(keyFile.isBlank() ? null : Path.of(keyFile), properties.dataDir(),
                embedded.getIfAvailable() != null);
    }

    /** For tests: a given key (null = database-only scheme). */
    RevocationCodes(byte[] key, int iterations) {
        this.key = key == null ? null : key.clone();
        this.iterations = iterations;
    }

    String encode(String code) {
        if (key == null) {
            return legacy.encode(code);
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return V2 + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(stretch(code, salt, iterations));
    }

    boolean matches(String code, String stored) {
        if (code == null || stored == null) {
            return false;
        }
        if (!stored.startsWith(V2)) {
            return legacy.matches(code, stored);
        }
        if (key == null) {
            return false; // stored with a key this node does not have
        }
        String[] parts = stored.split("\\$");
        if (parts.length != 4) {
            return false;
        }
        try {
            int rounds = Integer.parseInt(parts[1]);
            if (rounds < 1 || rounds > 1_000_000) {
                return false;
            }
            Base64.Decoder b64 = Base64.getDecoder();
            return MessageDigest.isEqual(stretch(code, b64.decode(parts[2]), rounds), b64.decode(parts[3]));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private byte[] stretch(String code, byte[] salt, int rounds) {
        Stretcher stretcher = stretchers.get();
        // doFinal leaves the HMAC keyed and ready for the next code
        byte[] keyed = stretcher.hmac().doFinal(code.getBytes(StandardCharsets.UTF_8));
        char[] password = Base64.getEncoder().encodeToString(keyed).toCharArray();
        try {
            return stretcher.pbkdf2().generateSecret(new PBEKeySpec(password, salt, rounds, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 refused its parameters", e);
        }
    }

    private Stretcher stretcher() {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            return new Stretcher(hmac, SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 / PBKDF2 unavailable", e);
        }
    }

    private static byte[] key(Path keyFile, Path dataDir, boolean mayGenerate) {
        Path file = keyFile != null ? keyFile : dataDir.resolve("secrets").resolve("revocation-code.key");
        try {
            if (Files.isRegularFile(file)) {
                byte[] read = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
                if (read.length < 32) {
                    throw new IllegalStateException("the revocation-code key " + file + " must hold at least 32 bytes (base64)");
                }
                return read;
            }
            if (keyFile != null) {
                throw new IllegalStateException("openigc.revocation-code.key-file " + keyFile + " does not exist");
            }
            if (!mayGenerate) {
                log.info("event=revocation-code-scheme scheme=pbkdf2-4096 note=\"no openigc.revocation-code.key-file\"");
                return null;
            }
            byte[] generated = new byte[32];
            RANDOM.nextBytes(generated);
            Files.createDirectories(file.getParent());
            Files.writeString(Files.createFile(file,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                    Base64.getEncoder().encodeToString(generated), StandardCharsets.US_ASCII);
            log.warn("event=revocation-code-key-generated file={} note=\"embedded default: back it up with the data "
                    + "directory; codes stored with it cannot be checked without it\"", file);
            return generated;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write the revocation-code key " + file, e);
        }
    }
}
