package org.openigc.server.authority;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.openigc.ca.CaHierarchy;
import org.openigc.ca.CaKey;
import org.openigc.ca.CaNaming;
import org.openigc.ca.CaRole;
import org.openigc.ca.CaUrls;
import org.openigc.ca.CertProfile;
import org.openigc.ca.CryptoProviders;
import org.openigc.ca.Environment;
import org.openigc.ca.Pkcs11CaStore;
import org.openigc.ca.Pkcs12CaStore;
import org.openigc.ca.ProfileId;
import org.openigc.server.config.OpenIgcProperties;
import org.openigc.server.database.EmbeddedDatabaseConfiguration.EmbeddedDatabaseMarker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The platform's six CAs (a root and two intermediates per environment), loaded from the key store at start-up or
 * created on the very first start. Only the issuance code asks this service for keys.
 */
@Service
public class CertificateAuthorities {
    private static final Logger log = LoggerFactory.getLogger(CertificateAuthorities.class);
    /** Serialises first-start creation across nodes sharing one database. */
    private static final long BOOTSTRAP_LOCK = 0x0FE1_6C00_0001L;

    private final OpenIgcProperties properties;
    private final Map<String, CaKey> byName = new LinkedHashMap<>();
    private final Map<ProfileId, CertProfile> profiles;
    private final Pkcs12CaStore platformKeys;
    private volatile boolean ready;

    public CertificateAuthorities(OpenIgcProperties properties, JdbcClient jdbc, TransactionTemplate transactions,
                                  Clock clock, ObjectProvider<EmbeddedDatabaseMarker> embedded) {
        this.properties = properties;
        log.info("event=crypto-providers preferred={}", CryptoProviders.install(properties.ca().nativeCrypto()));
        Map<ProfileId, CertProfile> defaults = CertProfile.defaults(properties.operator().policyArc(),
                properties.operator().cpsUri());
        Map<ProfileId, CertProfile> configured = new EnumMap<>(ProfileId.class);
        defaults.forEach((id, profile) -> configured.put(id,
                CertProfile.from(profile.config().withValidity(properties.ca().validity()))));
        this.profiles = Map.copyOf(configured);
        char[] password = CaSecrets.caPassword(properties.ca().passwordFile(), properties.dataDir(),
                embedded.getIfAvailable() != null);
        CaKeyStore store = keyStore(properties, password);
        this.platformKeys = new Pkcs12CaStore(properties.dataDir().resolve("tls"), password);
        transactions.executeWithoutResult(status -> {
            jdbc.sql("select pg_advisory_xact_lock(:lock)").param("lock", BOOTSTRAP_LOCK).query().singleValue();
            for (Environment environment : Environment.values()) {
                loadOrCreate(environment, store, jdbc, clock);
            }
        });
        ready = true;
    }

    /** The two places CA keys may live: encrypted PKCS#12 files, or a PKCS#11 token (HSM). */
    private record CaKeyStore(String where, java.util.function.Predicate<String> exists,
                              java.util.function.Function<String, CaKey> load, java.util.function.Consumer<CaKey> save,
                              CaHierarchy.KeyPairSource keyPairs, java.security.Provider provider) {
    }

    private static CaKeyStore keyStore(OpenIgcProperties properties, char[] password) {
        if ("pkcs11".equals(properties.ca().keystore())) {
            OpenIgcProperties.Pkcs11 token = properties.ca().pkcs11();
            Pkcs11CaStore store = new Pkcs11CaStore(java.nio.file.Path.of(token.library()), token.slot(),
                    CaSecrets.pkcs11Pin(token.pinFile()));
            return new CaKeyStore("pkcs11:" + token.library() + "#slot" + token.slot(), store::exists, store::load,
                    store::save, store::generateKeyPair, store.provider());
        }
        if (!"pkcs12".equals(properties.ca().keystore())) {
            throw new IllegalStateException("openigc.ca.keystore must be pkcs12 or pkcs11, not " + properties.ca().keystore());
        }
        Pkcs12CaStore store = new Pkcs12CaStore(properties.dataDir().resolve("ca"), password);
        return new CaKeyStore(properties.dataDir().resolve("ca").toString(), store::exists, store::load, store::save,
                (name, algorithm) -> algorithm.generate(), null);
    }

    private void loadOrCreate(Environment environment, CaKeyStore store, JdbcClient jdbc, Clock clock) {
        CaNaming naming = new CaNaming(properties.operator().name(), properties.operator().siren());
        boolean present = store.exists().test(CaNaming.shortName(environment, CaRole.ROOT));
        Map<CaRole, CaKey> keys = new EnumMap<>(CaRole.class);
        if (present) {
            for (CaRole role : CaRole.values()) {
                keys.put(role, store.load().apply(CaNaming.shortName(environment, role)));
            }
        } else {
            // A second node (or a restored database) without the CA key material must not quietly make a new
            // hierarchy: that would replace the CA certificates every issued certificate chains to.
            List<String> recorded = jdbc.sql("select name from ca_certificate where environment = :environment")
                    .param("environment", environment.name()).query(String.class).list();
            if (!recorded.isEmpty()) {
                throw new IllegalStateException("the database already holds the " + environment + " CAs " + recorded
                        + " but their keys are not in " + store.where() + ": copy the CA key material (the "
                        + "data directory's ca/ folder, or the HSM token) from the node that created them, with the "
                        + "same key store password");
            }
            keys.putAll(CaHierarchy.create(environment, naming, properties.ca().rootAlgorithm(),
                    properties.ca().intermediateAlgorithm(), clock.instant(), this::urlsOf,
                    store.keyPairs(), store.provider()));
            keys.values().forEach(store.save());
            log.info("event=ca-hierarchy-created environment={} keystore={}", environment, store.where());
        }
        for (CaRole role : CaRole.values()) {
            CaKey key = keys.get(role);
            byName.put(key.name(), key);
            record(jdbc, environment, role, key);
        }
    }

    private static void record(JdbcClient jdbc, Environment environment, CaRole role, CaKey key) {
        X509Certificate certificate = key.certificate();
        try {
            jdbc.sql("""
                    insert into ca_certificate (name, environment, role, subject, der, not_after)
                    values (:name, :environment, :role, :subject, :der, :notAfter)
                    on conflict (name) do update set der = excluded.der, subject = excluded.subject,
                        not_after = excluded.not_after
                    """)
                    .param("name", key.name()).param("environment", environment.name()).param("role", role.name())
                    .param("subject", certificate.getSubjectX500Principal().getName())
                    .param("der", certificate.getEncoded())
                    .param("notAfter", java.sql.Timestamp.from(certificate.getNotAfter().toInstant()))
                    .update();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encrypted store for the platform's own keys (its HTTPS key), protected like the CA keys. */
    public Pkcs12CaStore platformKeys() {
        return platformKeys;
    }

    public boolean ready() {
        return ready;
    }

    public CaKey ca(Environment environment, CaRole role) {
        return byName.get(CaNaming.shortName(environment, role));
    }

    public Optional<CaKey> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<CaKey> all() {
        return List.copyOf(byName.values());
    }

    public Environment environmentOf(String caName) {
        return caName.startsWith("test-") ? Environment.TEST : Environment.PRODUCTION;
    }

    public CertProfile profile(ProfileId id) {
        return profiles.get(id);
    }

    /** The CA that issues a profile in an environment. */
    public CaKey issuerOf(Environment environment, ProfileId profile) {
        return ca(environment, profile.issuer());
    }

    public CaUrls urlsOf(String caName) {
        return CaUrls.under(properties.httpBaseUrl(), caName);
    }

    /** Every CA certificate of both environments: the trust anchors and intermediates of client authentication. */
    public List<X509Certificate> certificates() {
        return byName.values().stream().map(CaKey::certificate).toList();
    }
}
