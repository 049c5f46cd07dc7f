package org.openigc.server.config;

import java.nio.file.Path;
import java.time.Period;
import java.util.List;

import org.openigc.ca.KeyAlgorithm;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Every {@code openigc.*} setting, with safe defaults. Secrets (CA key store password, PKCS#11 PIN) come from the
 * environment or files, never from this file.
 */
@ConfigurationProperties("openigc")
public record OpenIgcProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("8080") int httpPort,
        @DefaultValue("http://localhost:8080") String httpBaseUrl,
        @DefaultValue({"localhost", "127.0.0.1"}) List<String> tlsHosts,
        Boolean demo,
        @DefaultValue("false") boolean demoForce,
        @DefaultValue Operator operator,
        @DefaultValue Ca ca) {

    /** The agency running the platform: its name and SIREN appear in every CA name. */
    public record Operator(
            @DefaultValue("OPENIGC DEMO") String name,
            @DefaultValue("187512751") String siren,
            @DefaultValue("1.2.250.1.999.1.7.2") String policyArc,
            @DefaultValue("https://openigc.example/pc") String cpsUri) {
    }

    /**
     * @param keystore      {@code pkcs12} (encrypted files under data-dir/ca) or {@code pkcs11}
     * @param nativeCrypto  prefer the native Amazon Corretto Crypto Provider for signatures when it loads
     * @param passwordFile  file holding the PKCS#12 password; else env OPENIGC_CA_PASSWORD; else, in the embedded
     *                      default only, generated once into data-dir/secrets/ca-password (0600)
     */
    public record Ca(
            @DefaultValue("pkcs12") String keystore,
            Path passwordFile,
            @DefaultValue("RSA_4096") KeyAlgorithm rootAlgorithm,
            @DefaultValue("EC_P256") KeyAlgorithm intermediateAlgorithm,
            @DefaultValue("P3Y") Period validity,
            @DefaultValue("true") boolean nativeCrypto,
            @DefaultValue Pkcs11 pkcs11) {
    }

    /**
     * @param slot    the token's slot id ({@code softhsm2-util --show-slots}, {@code pkcs11-tool -L}): the JDK's PKCS#11
     *                provider cannot select a token by label
     * @param pinFile file holding the user PIN; else env OPENIGC_PKCS11_PIN
     */
    public record Pkcs11(
            @DefaultValue("/usr/lib/softhsm/libsofthsm2.so") String library,
            @DefaultValue("0") long slot,
            Path pinFile) {
    }

    /** Demo mode is on by default only with the embedded database. */
    public boolean demoEnabled(boolean embeddedDatabase) {
        return demo != null ? demo : embeddedDatabase;
    }

    public Path demoDir() {
        return dataDir.resolve("demo");
    }
}
