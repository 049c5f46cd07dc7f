package org.openigc.ca;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * Signers for software CA keys that reuse one initialised {@link Signature} per thread and key: {@code initSign}
 * costs as much as a P-256 signature with a native provider (the key is converted to the provider's own form on
 * every init), and every certificate, CRL and OCSP answer is signed by one of a handful of keys. {@code sign()}
 * leaves the object ready for the next message; a signer abandoned before {@code getSignature()} (an exception
 * mid-way) is detected and its object replaced, so leftover bytes never reach another signature.
 */
final class ReusableSigners {
    private static final int SLOTS = 4;
    private static final ThreadLocal<Slot[]> PER_THREAD = ThreadLocal.withInitial(() -> new Slot[SLOTS]);

    private ReusableSigners() {
    }

    private static final class Slot {
        final PrivateKey key;
        final String algorithm;
        final Signature signature;
        final AlgorithmIdentifier identifier;
        boolean inUse;

        Slot(PrivateKey key, String algorithm) throws GeneralSecurityException {
            this.key = key;
            this.algorithm = algorithm;
            this.signature = Signature.getInstance(algorithm);
            this.signature.initSign(key);
            this.identifier = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm);
        }
    }

    /** A signer to be used by the calling thread only, once: write the message, then {@code getSignature()}. */
    static ContentSigner signer(PrivateKey key, String algorithm) {
        Slot[] slots = PER_THREAD.get();
        int found = -1;
        for (int i = 0; i < SLOTS; i++) {
            if (slots[i] != null && slots[i].key == key && slots[i].algorithm.equals(algorithm)) {
                found = i;
                break;
            }
        }
        Slot slot;
        try {
            if (found >= 0 && !slots[found].inUse) {
                slot = slots[found];
            } else {
                // new key, or the cached object is still in use (nested or abandoned): a fresh one replaces it
                slot = new Slot(key, algorithm);
                int at = found >= 0 ? found : SLOTS - 1;
                System.arraycopy(slots, 0, slots, 1, at);
                slots[0] = slot;
            }
        } catch (GeneralSecurityException e) {
            throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot create a signer: " + e.getMessage(), e);
        }
        slot.inUse = true;
        Signature signature = slot.signature;
        OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                try {
                    signature.update(bytes, offset, length);
                } catch (SignatureException e) {
                    throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot feed the signer", e);
                }
            }
        };
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return slot.identifier;
            }

            @Override
            public OutputStream getOutputStream() {
                return stream;
            }

            @Override
            public byte[] getSignature() {
                try {
                    byte[] value = signature.sign(); // resets the object to its initSign state
                    slot.inUse = false;
                    return value;
                } catch (SignatureException e) {
                    throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot sign: " + e.getMessage(), e);
                }
            }
        };
    }
}
