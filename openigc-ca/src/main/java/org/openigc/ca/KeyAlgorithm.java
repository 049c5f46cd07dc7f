package org.openigc.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Key types the platform generates: CA keys and online-generated end-entity keys. */
public enum KeyAlgorithm {
    EC_P256("EC", 256), EC_P384("EC", 384), RSA_2048("RSA", 2048), RSA_3072("RSA", 3072), RSA_4096("RSA", 4096);

    private final String family;
    private final int size;

    KeyAlgorithm(String family, int size) {
        this.family = family;
        this.size = size;
    }

    public KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(family);
            if (family.equals("EC")) {
                generator.initialize(new ECGenParameterSpec(size == 256 ? "secp256r1" : "secp384r1"));
            } else {
                generator.initialize(size);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new CaException(CaErrorCode.KEYSTORE, "cannot generate a " + this + " key", e);
        }
    }
}
