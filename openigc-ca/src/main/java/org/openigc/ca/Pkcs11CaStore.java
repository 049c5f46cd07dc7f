package org.openigc.ca;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.LoginException;

/**
 * CA keys inside a PKCS#11 token, through the JDK's SunPKCS11 provider (SoftHSM2 in tests, an HSM in production).
 * Keys are generated in the token as private, sensitive, non-extractable token objects; {@link #save} stores the
 * certificate chain next to the key under the CA's name, {@link #load} returns a {@link CaKey} whose
 * {@link CaKey#signer()} signs inside the token.
 *
 * <p>Tokens go away under a running JVM: the user is logged out (by us, another provider on the same token, or the
 * token itself), sessions are lost when an HSM restarts, or the PKCS#11 library is finalised. A SunPKCS11 provider
 * does not recover from any of these by itself, so a {@link CaKey} from this store does not hold a SunPKCS11 key:
 * its private key is a handle naming the key, and its provider ({@link #provider()}) is a small signing provider
 * that hands each signature to the current SunPKCS11 provider. Before each operation the store logs in again if the
 * token logged it out (a logged-out token does not fail, it hides its keys). When an operation fails, the store
 * builds a new SunPKCS11 provider, logs in, finds the key again by name and retries once; a second failure is
 * reported as {@link CaErrorCode#SIGNING_FAILED} or {@link CaErrorCode#KEYSTORE}. Every signature is verified with
 * the CA's public key before it leaves the store.
 *
 * <p>SunPKCS11 selects a slot by number, not by token label, so the store is configured with the slot ID that
 * {@code softhsm2-util --show-slots} or {@code pkcs11-tool -L} prints.
 */
public final class Pkcs11CaStore {
    private static final System.Logger LOG = System.getLogger(Pkcs11CaStore.class.getName());

    /** Signature algorithms {@link CaKey#signatureAlgorithm} may ask for. */
    private static final List<String> SIGNATURE_ALGORITHMS = List.of(
            "SHA256withRSA", "SHA384withRSA", "SHA512withRSA",
            "SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA");

    /** Never reused: see {@link #libraryPath(int)}. */
    private static final AtomicInteger GENERATIONS = new AtomicInteger();

    private final Path library;
    private final long slotId;
    private final char[] pin;
    private final Provider signingProvider;
    private final Object reconnectLock = new Object();
    /** Providers replaced by a reconnection, kept reachable: see {@link #reconnect}. */
    private final List<Provider> retired = Collections.synchronizedList(new ArrayList<>());
    private volatile Connection connection;

    /** A configured, logged-in SunPKCS11 provider and its key store. */
    private record Connection(Provider provider, KeyStore keyStore) {
    }

    /**
     * Connects and logs in at once, so a wrong library, slot or PIN fails at start-up.
     *
     * @param library the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
     * @param slotId  the token's slot ID (not its index in the slot list)
     */
    public Pkcs11CaStore(Path library, long slotId, char[] pin) {
        if (!Files.isRegularFile(library)) {
            throw new CaException(CaErrorCode.KEYSTORE, "PKCS#11 library " + library + " not found");
        }
        this.library = library.toAbsolutePath();
        this.slotId = slotId;
        this.pin = pin.clone();
        this.signingProvider = new SigningProvider(this);
        this.connection = connect(false);
    }

    /** The provider to sign with the keys of this store; it outlives reconnections to the token. */
    public Provider provider() {
        return signingProvider;
    }

    /**
     * Generates a key pair inside the token for CA {@code caName}; usable as a {@link CaHierarchy.KeyPairSource}
     * ({@code store::generateKeyPair}) with {@link #provider()} as the hierarchy's key provider. The key has no
     * name in the token until {@link #save} stores its certificate chain.
     */
    public KeyPair generateKeyPair(String caName, KeyAlgorithm algorithm) {
        return withToken("generate a key for CA " + caName, CaErrorCode.KEYSTORE, token -> {
            boolean rsa = algorithm.name().startsWith("RSA");
            KeyPairGenerator generator = KeyPairGenerator.getInstance(rsa ? "RSA" : "EC", token.provider());
            switch (algorithm) {
                case EC_P256 -> generator.initialize(new ECGenParameterSpec("secp256r1"));
                case EC_P384 -> generator.initialize(new ECGenParameterSpec("secp384r1"));
                case RSA_2048, RSA_3072, RSA_4096 -> generator.initialize(new RSAKeyGenParameterSpec(
                        Integer.parseInt(algorithm.name().substring(4)), RSAKeyGenParameterSpec.F4));
            }
            KeyPair pair = generator.generateKeyPair();
            // a software copy of the public key: certificates are built from it, and it must not depend on a session
            PublicKey publicKey = KeyFactory.getInstance(rsa ? "RSA" : "EC")
                    .generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded()));
            return new KeyPair(publicKey, new TokenKey(this, caName, publicKey, token, pair.getPrivate()));
        });
    }

    /** Stores {@code key}'s certificate chain next to its private key, under {@code key.name()}. */
    public void save(CaKey key) {
        if (!(key.privateKey() instanceof TokenKey tokenKey) || tokenKey.store != this) {
            throw new CaException(CaErrorCode.KEYSTORE, "CA " + key.name() + "'s key was not generated in this token");
        }
        if (!tokenKey.name.equals(key.name())) {
            throw new CaException(CaErrorCode.KEYSTORE,
                    "key generated for CA " + tokenKey.name + " cannot be saved as " + key.name());
        }
        withToken("save CA " + key.name(), CaErrorCode.KEYSTORE, token -> {
            Certificate existing = token.keyStore().getCertificate(key.name());
            if (existing != null && !existing.getPublicKey().equals(key.certificate().getPublicKey())) {
                // SunPKCS11 would delete the existing entry, key included, to make room
                throw new CaException(CaErrorCode.KEYSTORE,
                        "the token already holds a different key named " + key.name());
            }
            // a token key of this very provider: SunPKCS11 labels the existing object instead of copying it
            token.keyStore().setKeyEntry(key.name(), tokenKey.resolve(token), null,
                    key.chain().toArray(Certificate[]::new));
            return null;
        });
    }

    public boolean exists(String caName) {
        return withToken("look up CA " + caName, CaErrorCode.KEYSTORE, token -> token.keyStore().isKeyEntry(caName));
    }

    public CaKey load(String caName) {
        return withToken("load CA " + caName, CaErrorCode.KEYSTORE, token -> {
            Certificate[] chain = token.keyStore().getCertificateChain(caName);
            if (!token.keyStore().isKeyEntry(caName) || chain == null) {
                throw new CaException(CaErrorCode.KEYSTORE, "the token holds no key named " + caName);
            }
            List<X509Certificate> certificates = Arrays.stream(chain).map(c -> (X509Certificate) c).toList();
            TokenKey key = new TokenKey(this, caName, certificates.getFirst().getPublicKey(), null, null);
            key.resolve(token); // fail now, not at the first signature, if the key is not usable
            return new CaKey(caName, key, signingProvider, certificates);
        });
    }

    /** The names of the CA keys in the token, sorted. */
    public List<String> names() {
        return withToken("list the CA keys", CaErrorCode.KEYSTORE, token -> {
            List<String> names = new ArrayList<>();
            for (String alias : Collections.list(token.keyStore().aliases())) {
                if (token.keyStore().isKeyEntry(alias)) {
                    names.add(alias);
                }
            }
            return names.stream().sorted().toList();
        });
    }

    /** The SunPKCS11 provider currently in use; for tests that log it out or check key attributes. */
    Provider tokenProvider() {
        return connection.provider();
    }

    /** The SunPKCS11 private key behind {@code caName}; for tests. */
    PrivateKey tokenPrivateKey(String caName) {
        return withToken("read key " + caName, CaErrorCode.KEYSTORE,
                token -> new TokenKey(this, caName, null, null, null).resolve(token));
    }

    /**
     * Signs in the token, then verifies the signature in software before anyone sees it: a token that lost its
     * state may hand an old object handle to another key, and a faulty device may compute a wrong signature; either
     * counts as a failure, and the retry goes through a fresh connection.
     */
    private byte[] sign(TokenKey key, String algorithm, byte[] data) {
        return withToken("sign with CA key " + key.name, CaErrorCode.SIGNING_FAILED, token -> {
            Signature signature = Signature.getInstance(algorithm, token.provider());
            signature.initSign(key.resolve(token));
            signature.update(data);
            byte[] signed = signature.sign();
            Signature check = Signature.getInstance(algorithm);
            check.initVerify(key.publicKey);
            check.update(data);
            if (!check.verify(signed)) {
                throw new SignatureException("the token's signature does not verify with CA key " + key.name);
            }
            return signed;
        });
    }

    private interface TokenAction<T> {
        T run(Connection token) throws GeneralSecurityException, IOException;
    }

    /** Runs {@code action}; if the token fails it, reconnects and runs it once more. */
    private <T> T withToken(String what, CaErrorCode code, TokenAction<T> action) {
        Connection used = connection;
        try {
            return action.run(loggedIn(used));
        } catch (GeneralSecurityException | IOException | ProviderException first) {
            LOG.log(System.Logger.Level.WARNING, "PKCS#11 token failed to {0} ({1}); reconnecting and retrying once",
                    what, first.toString());
            try {
                return action.run(loggedIn(reconnect(used)));
            } catch (GeneralSecurityException | IOException | ProviderException | CaException second) {
                second.addSuppressed(first);
                throw second instanceof CaException e ? e
                        : new CaException(code, "PKCS#11 token failed to " + what + " after reconnecting", second);
            }
        }
    }

    /**
     * Logs in again if the token has logged us out. Needed before every operation, not only on failure: a
     * logged-out token does not fail look-ups, it hides its private objects, so a key would seem not to exist.
     * SunPKCS11 checks the session state first (one C_GetSessionInfo) and does nothing when still logged in.
     */
    private Connection loggedIn(Connection token) throws LoginException {
        ((AuthProvider) token.provider()).login(null, callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof PasswordCallback password) {
                    password.setPassword(pin);
                }
            }
        });
        return token;
    }

    /**
     * Replaces the connection that failed with a new provider, unless another thread already did. The replaced
     * provider stays reachable: were it collected, SunPKCS11's cleaner would close its session handles, which a
     * re-initialised library may by then have handed out again to the new provider.
     */
    private Connection reconnect(Connection failed) {
        synchronized (reconnectLock) {
            if (connection != failed) {
                return connection;
            }
            Connection fresh = connect(true);
            retired.add(failed.provider());
            connection = fresh;
            return fresh;
        }
    }

    /**
     * Configures a SunPKCS11 provider for the slot and logs in, once: a second attempt with a wrong PIN would count
     * twice against the token's retry limit.
     *
     * @param freshLibrary load the library afresh (see {@link #libraryPath}); otherwise use its plain path first,
     *                     and a fresh one only if the library is unusable there
     */
    private Connection connect(boolean freshLibrary) {
        Provider provider;
        try {
            try {
                provider = configure(freshLibrary ? GENERATIONS.incrementAndGet() : 0);
            } catch (ProviderException e) {
                if (freshLibrary) {
                    throw e;
                }
                // someone in this JVM may have finalised the library under its plain path
                provider = configure(GENERATIONS.incrementAndGet());
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, pin); // logs in
            return new Connection(provider, keyStore);
        } catch (IOException | GeneralSecurityException | ProviderException | InvalidParameterException e) {
            throw new CaException(CaErrorCode.KEYSTORE, "cannot open PKCS#11 slot " + slotId + " with " + library
                    + " (wrong slot or PIN, or token absent)", e);
        }
    }

    private Provider configure(int generation) {
        String config = String.join("\n",
                "name = OpenIGC",
                "library = " + libraryPath(generation),
                "slot = " + slotId,
                // CA keys: token objects, usable only after login, never readable or exportable
                "attributes(generate, CKO_PRIVATE_KEY, *) = {",
                "  CKA_TOKEN = true", "  CKA_PRIVATE = true", "  CKA_SENSITIVE = true", "  CKA_EXTRACTABLE = false",
                "  CKA_SIGN = true", "  CKA_DECRYPT = false", "}",
                // public keys as token objects too: SunPKCS11 destroys a session key object by its handle when the
                // Java object is collected, and after the library is re-initialised that handle may name a CA key
                "attributes(generate, CKO_PUBLIC_KEY, *) = {", "  CKA_TOKEN = true", "}",
                "");
        return Security.getProvider("SunPKCS11").configure("--" + config);
    }

    /**
     * The library path for connection {@code generation}. The JDK initialises a PKCS#11 library once per path
     * string and keeps it for the JVM's life, so a provider rebuilt on the same string would get the finalised
     * library back; {@code /dir/././lib.so} names the same file but makes the JDK load and initialise it afresh
     * (a library still initialised answers CKR_CRYPTOKI_ALREADY_INITIALIZED, which the JDK accepts).
     */
    private String libraryPath(int generation) {
        return library.getParent() + "/" + "./".repeat(generation) + library.getFileName();
    }

    /**
     * Names a CA key of the token. Carries the SunPKCS11 key only between generation and {@link #save}, when the
     * key has no name in the token yet; afterwards it is looked up by name in the current connection.
     */
    static final class TokenKey implements PrivateKey {
        @Serial
        private static final long serialVersionUID = 1L;

        private final transient Pkcs11CaStore store;
        private final String name;
        private final transient PublicKey publicKey;
        private final transient Connection generatedIn;
        private final transient PrivateKey generated;

        /** @param publicKey its pair, to check each signature; null for a handle that is only looked up */
        TokenKey(Pkcs11CaStore store, String name, PublicKey publicKey, Connection generatedIn, PrivateKey generated) {
            this.store = store;
            this.name = name;
            this.publicKey = publicKey;
            this.generatedIn = generatedIn;
            this.generated = generated;
        }

        PrivateKey resolve(Connection token) throws GeneralSecurityException {
            if (generated != null && generatedIn == token) {
                return generated;
            }
            if (token.keyStore().getKey(name, null) instanceof PrivateKey key) {
                return key;
            }
            throw new CaException(CaErrorCode.KEYSTORE, "the token holds no private key named " + name);
        }

        @Override
        public String getAlgorithm() {
            return publicKey == null ? null : publicKey.getAlgorithm();
        }

        /** Null: the key never leaves the token. */
        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }

        @Serial
        private Object writeReplace() throws ObjectStreamException {
            throw new NotSerializableException("a PKCS#11 key handle cannot be serialised");
        }

        @Override
        public String toString() {
            return "PKCS#11 key " + name;
        }
    }

    /** Offers the signature algorithms for {@link TokenKey}s; every signature goes through {@link #sign}. */
    private static final class SigningProvider extends Provider {
        @Serial
        private static final long serialVersionUID = 1L;

        SigningProvider(Pkcs11CaStore store) {
            super("OpenIGC-PKCS11", "1.0", "Signs with CA keys of a PKCS#11 token, reconnecting when it fails");
            for (String algorithm : SIGNATURE_ALGORITHMS) {
                putService(new Service(this, "Signature", algorithm, TokenSignature.class.getName(), null, null) {
                    @Override
                    public Object newInstance(Object parameter) {
                        return new TokenSignature(store, algorithm);
                    }
                });
            }
        }
    }

    /**
     * Buffers what is to be signed and signs it in one call, so that a signature interrupted by a token failure can
     * be replayed in full on a new connection. The data is a certificate, a CRL or an OCSP response: bounded.
     */
    private static final class TokenSignature extends SignatureSpi {
        private final Pkcs11CaStore store;
        private final String algorithm;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();
        private TokenKey key;

        TokenSignature(Pkcs11CaStore store, String algorithm) {
            this.store = store;
            this.algorithm = algorithm;
        }

        @Override
        protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
            if (!(privateKey instanceof TokenKey tokenKey) || tokenKey.store != store) {
                throw new InvalidKeyException("not a key of this PKCS#11 store: " + privateKey);
            }
            key = tokenKey;
            data.reset();
        }

        @Override
        protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
            throw new InvalidKeyException("this provider only signs; verify with the certificate's public key");
        }

        @Override
        protected void engineUpdate(byte b) {
            data.write(b);
        }

        @Override
        protected void engineUpdate(byte[] bytes, int offset, int length) {
            data.write(bytes, offset, length);
        }

        @Override
        protected byte[] engineSign() throws SignatureException {
            if (key == null) {
                throw new SignatureException("not initialised for signing");
            }
            byte[] bytes = data.toByteArray();
            data.reset();
            return store.sign(key, algorithm, bytes);
        }

        @Override
        protected boolean engineVerify(byte[] signature) throws SignatureException {
            throw new SignatureException("this provider only signs");
        }

        @Override
        @Deprecated
        protected void engineSetParameter(String param, Object value) {
            throw new InvalidParameterException("no parameters");
        }

        @Override
        @Deprecated
        protected Object engineGetParameter(String param) {
            throw new InvalidParameterException("no parameters");
        }
    }
}
