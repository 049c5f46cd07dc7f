package org.openigc.server.authority;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the CA key store password comes from: a file named in configuration, else the environment variable
 * {@code OPENIGC_CA_PASSWORD}, else — in the embedded default only — a random password generated once into
 * {@code <data-dir>/secrets/ca-password} (0600). It is never logged.
 */
final class CaSecrets {
    private static final Logger log = LoggerFactory.getLogger(CaSecrets.class);
    static final String ENVIRONMENT_VARIABLE = "OPENIGC_CA_PASSWORD";

    private CaSecrets() {
    }

    static char[] caPassword(Path passwordFile, Path dataDir, boolean mayGenerate) {
        if (passwordFile != null) {
            return read(passwordFile);
        }
        String fromEnvironment = System.getenv(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.strip().toCharArray();
        }
        Path generated = dataDir.resolve("secrets").resolve("ca-password");
        if (Files.isRegularFile(generated)) {
            return read(generated);
        }
        if (!mayGenerate) {
            throw new IllegalStateException("No CA key store password: set openigc.ca.password-file or "
                    + ENVIRONMENT_VARIABLE + " (a password is generated only with the embedded database)");
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Files.createDirectories(generated.getParent());
            Files.writeString(Files.createFile(generated,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), password);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + generated, e);
        }
        log.warn("event=ca-password-generated file={} note=\"embedded default: a random CA key store password was "
                + "generated and stored with mode 0600; set openigc.ca.password-file or {} in production\"",
                generated, ENVIRONMENT_VARIABLE);
        return password.toCharArray();
    }

    /** The PKCS#11 user PIN: a file named in configuration, else env {@code OPENIGC_PKCS11_PIN}. */
    static char[] pkcs11Pin(Path pinFile) {
        if (pinFile != null) {
            return read(pinFile);
        }
        String fromEnvironment = System.getenv("OPENIGC_PKCS11_PIN");
        if (fromEnvironment == null || fromEnvironment.isBlank()) {
            throw new IllegalStateException("No PKCS#11 PIN: set openigc.ca.pkcs11.pin-file or OPENIGC_PKCS11_PIN");
        }
        return fromEnvironment.strip().toCharArray();
    }

    private static char[] read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the secret file " + file, e);
        }
    }
}
