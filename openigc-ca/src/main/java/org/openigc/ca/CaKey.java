package org.openigc.ca;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.util.List;

import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA's signing key with its certificate and chain up to (and including) the root. The private key may live in an
 * encrypted PKCS#12 or in a PKCS#11 token: callers only ever see a {@link ContentSigner}.
 *
 * @param provider the provider that owns the key (the token's for PKCS#11), or null for the default providers
 * @param chain    the certificate first, the root last
 */
public record CaKey(String name, PrivateKey privateKey, Provider provider, List<X509Certificate> chain) {
    public CaKey {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new CaException(CaErrorCode.KEYSTORE, "CA " + name + " has no certificate");
        }
    }

    public X509Certificate certificate() {
        return chain.getFirst();
    }

    public String signatureAlgorithm() {
        return signatureAlgorithm(certificate().getPublicKey());
    }

    /** SHA-256 for RSA and P-256 keys, SHA-384 for P-384, as the key's strength asks. */
    public static String signatureAlgorithm(PublicKey publicKey) {
        if (publicKey instanceof ECKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        return "SHA256withRSA";
    }

    /**
     * A signer for one message, used by the calling thread. Software keys reuse an initialised signature object
     * per thread ({@link ReusableSigners}); token keys get a fresh one each time.
     */
    public ContentSigner signer() {
        if (provider == null) {
            return ReusableSigners.signer(privateKey, signatureAlgorithm());
        }
        return signer(privateKey, certificate().getPublicKey(), provider);
    }

    /** A signer for a key pair whose certificate does not exist yet (a root signing itself). */
    public static ContentSigner signer(PrivateKey privateKey, PublicKey publicKey, Provider provider) {
        JcaContentSignerBuilder builder = new JcaContentSignerBuilder(signatureAlgorithm(publicKey));
        if (provider != null) {
            builder.setProvider(provider);
        }
        try {
            return builder.build(privateKey);
        } catch (OperatorCreationException e) {
            throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot create a signer: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CaKey[" + name + ", " + certificate().getSubjectX500Principal().getName() + "]";
    }
}
