package org.openigc.ca;

import java.security.Provider;
import java.security.Security;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Chooses the JCA providers, on benchmark evidence (docs/benchmarks.md): the Amazon Corretto Crypto Provider
 * (native AWS-LC) first when it is on the class path and works on this machine — it signs P-256 4× faster than
 * BouncyCastle and verifies 1.7× faster — then the JDK's, with BouncyCastle last as the fallback for algorithms the
 * others lack. PKCS#11 keys always sign in their token's own provider.
 */
public final class CryptoProviders {
    private static final String ACCP = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
    private static volatile String installed;

    private CryptoProviders() {
    }

    /**
     * Installs the providers once per JVM.
     *
     * @param nativeCrypto false to keep the JDK's providers first (e.g. when the native library misbehaves)
     * @return the name of the provider now preferred for signatures
     */
    public static synchronized String install(boolean nativeCrypto) {
        if (installed != null) {
            return installed;
        }
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        installed = Security.getProviders()[0].getName();
        if (nativeCrypto) {
            try {
                Provider accp = (Provider) Class.forName(ACCP).getField("INSTANCE").get(null);
                // assertHealthy throws when the native library could not load on this platform
                accp.getClass().getMethod("assertHealthy").invoke(accp);
                Security.insertProviderAt(accp, 1);
                installed = accp.getName();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // not on the class path or not loadable here: the JDK's providers stay first
            }
        }
        return installed;
    }
}
