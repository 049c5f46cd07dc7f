package org.openigc.certdc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every {@code openigc.certdc.*} setting, with safe defaults.
 *
 * @param enabled              {@code false} removes CertDC from the application entirely
 * @param publicBaseUrl        the HTTPS base URL SIs and browsers use (default {@code https://<first tls host>:<server.port>})
 * @param sandboxBaseUrl       base URL of the sandbox web service, written into the connection kit (default: publicBaseUrl)
 * @param productionBaseUrl    base URL of the production web service (default: publicBaseUrl)
 * @param caUrls               where CertDC fetches OpenIGC's CA certificates, by CA name, like any relying service
 *                             (default {@code ${openigc.http-base-url}/ca/<name>.crt})
 * @param rootPins             optional SHA-256 fingerprints (hex) the fetched roots must match
 * @param dataKeyFile          AES key of the nominative fields at rest (default {@code <data-dir>/secrets/certdc-data.key},
 *                             generated once, mode 0600)
 * @param retention            how long a deposit is kept after reception (96 h)
 * @param purgeInterval        how often the purge job runs
 * @param revocationCacheTtl   how long a revocation answer is reused (at most 1 s: a revoked certificate is refused
 *                             within a second)
 * @param maxDepositSize       largest deposit body accepted
 * @param lockoutThreshold     consecutive failed logins that lock an account
 * @param tokenValidity        validity of the mailed password-reset and unlock links
 * @param cardEnvironments     environments whose PERSONNES CA may issue the cards doctors log in with
 * @param adminCards           idNatPS of card holders who are CertDC administrators
 * @param bootstrapAdminEmail  when set and no administrator exists, account {@code certdc-admin} is created and its
 *                             one-time password mailed there
 */
@ConfigurationProperties("openigc.certdc")
public record CertDcProperties(
        @DefaultValue("true") boolean enabled,
        String publicBaseUrl,
        String sandboxBaseUrl,
        String productionBaseUrl,
        Map<String, String> caUrls,
        List<String> rootPins,
        Path dataKeyFile,
        @DefaultValue("96h") Duration retention,
        @DefaultValue("1m") Duration purgeInterval,
        @DefaultValue("1s") Duration revocationCacheTtl,
        @DefaultValue("256KB") DataSize maxDepositSize,
        @DefaultValue("5") int lockoutThreshold,
        @DefaultValue("1h") Duration tokenValidity,
        @DefaultValue({"TEST", "PRODUCTION"}) List<String> cardEnvironments,
        List<String> adminCards,
        String bootstrapAdminEmail) {

    public static final Duration MAX_REVOCATION_CACHE = Duration.ofSeconds(1);

    public CertDcProperties {
        caUrls = caUrls == null ? Map.of() : Map.copyOf(caUrls);
        rootPins = rootPins == null ? List.of() : List.copyOf(rootPins);
        adminCards = adminCards == null ? List.of() : List.copyOf(adminCards);
        cardEnvironments = List.copyOf(cardEnvironments);
        if (revocationCacheTtl.compareTo(MAX_REVOCATION_CACHE) > 0 || revocationCacheTtl.isNegative()) {
            throw new IllegalArgumentException("openigc.certdc.revocation-cache-ttl must be between 0 and 1s: a revoked "
                    + "certificate must be refused within a second");
        }
        if (lockoutThreshold < 1) {
            throw new IllegalArgumentException("openigc.certdc.lockout-threshold must be at least 1");
        }
    }
}
