package org.openigc.server.authority;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.HexFormat;

/** SHA-256 fingerprints as stored and shown: lower-case hex. */
public final class CertificateDigests {
    private CertificateDigests() {
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Identifies a key across certificates: one key, one active certificate. */
    public static String publicKey(PublicKey key) {
        return sha256(key.getEncoded());
    }
}
