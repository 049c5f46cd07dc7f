package org.openigc.certdc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encryption at rest of the nominative fields (AES-256-GCM) and the keyed index that lets a doctor search by IPP
 * without the IPP being stored in clear (HMAC-SHA256). The key lives in a file outside the database, generated once
 * with mode 0600 and never logged; the encryption and index keys are derived from it for their single purpose.
 *
 * <p>Format of a ciphertext: version byte {@code 1}, 12-byte nonce, GCM ciphertext with its 16-byte tag. The row id
 * is bound as associated data, so a ciphertext moved to another row does not decrypt.
 */
public final class DataCipher {
    private static final Logger log = LoggerFactory.getLogger(DataCipher.class);
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec encryptionKey;
    private final SecretKeySpec indexKey;

    public DataCipher(byte[] masterKey) {
        if (masterKey.length != 32) {
            throw new IllegalArgumentException("the CertDC data key must be 32 bytes");
        }
        this.encryptionKey = new SecretKeySpec(derive(masterKey, "certdc/encryption/v1"), "AES");
        this.indexKey = new SecretKeySpec(derive(masterKey, "certdc/ipp-index/v1"), "HmacSHA256");
    }

    /** Reads the key file, or creates it (32 random bytes, base64, mode 0600) when it does not exist yet. */
    public static DataCipher fromKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] key = new byte[32];
                RANDOM.nextBytes(key);
                try {
                    Files.writeString(Files.createFile(file,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                            Base64.getEncoder().encodeToString(key));
                    log.warn("event=certdc-data-key-generated file={} note=\"keep this file: without it the stored "
                            + "deposits cannot be read; it is never stored in the database\"", file);
                } catch (FileAlreadyExistsException raced) {
                    // another node created it first: read theirs
                }
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            return new DataCipher(key);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the CertDC data key file " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the CertDC data key file " + file + " does not hold a base64 32-byte key");
        }
    }

    public byte[] encrypt(UUID rowId, byte[] plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(rowId));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    public byte[] decrypt(UUID rowId, byte[] ciphertext) {
        if (ciphertext.length < 1 + NONCE_BYTES + TAG_BITS / 8 || ciphertext[0] != VERSION) {
            throw new IllegalStateException("not a CertDC ciphertext");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, encryptionKey,
                    new GCMParameterSpec(TAG_BITS, ciphertext, 1, NONCE_BYTES));
            cipher.updateAAD(aad(rowId));
            return cipher.doFinal(ciphertext, 1 + NONCE_BYTES, ciphertext.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt a CertDC record (wrong key or tampered row)", e);
        }
    }

    /** The keyed index of a value (an IPP, a request body): hex HMAC-SHA256, useless without the key. */
    public String index(String purpose, byte[] value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(indexKey);
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(value));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] aad(UUID rowId) {
        return ByteBuffer.allocate(16).putLong(rowId.getMostSignificantBits()).putLong(rowId.getLeastSignificantBits())
                .array();
    }

    private static byte[] derive(byte[] master, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            byte[] derived = mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(derived, 32);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "DataCipher[AES-256-GCM]";
    }
}
