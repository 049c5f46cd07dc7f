package org.openigc.certdc.connection;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.openigc.certdc.CertDcAudit;
import org.openigc.certdc.CertDcMailer;
import org.openigc.certdc.CertDcSettings;
import org.openigc.certdc.account.AccountService;
import org.openigc.certdc.trust.PlatformTrust;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The CertDC server certificate: the TLS certificate the web service presents, read from the server's SSL bundle
 * ({@code server.ssl.bundle}). Its fingerprint is remembered in {@code certdc.server_certificate}; at start-up a
 * different one means it was renewed, and every SI manager is mailed (seed 000) — once, even with several nodes.
 */
public final class ServerCertificates {
    private static final Logger log = LoggerFactory.getLogger(ServerCertificates.class);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy").withZone(ZoneId.of("Europe/Paris"));

    private final ObjectProvider<SslBundles> bundles;
    private final CertDcSettings settings;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final SiRepository systems;
    private final CertDcMailer mailer;
    private final CertDcAudit audit;
    private final Clock clock;

    public ServerCertificates(ObjectProvider<SslBundles> bundles, CertDcSettings settings, JdbcClient jdbc,
                              TransactionTemplate transactions, SiRepository systems, CertDcMailer mailer,
                              CertDcAudit audit, Clock clock) {
        this.bundles = bundles;
        this.settings = settings;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.systems = systems;
        this.mailer = mailer;
        this.audit = audit;
        this.clock = clock;
    }

    /** The server certificate first, then its CA chain; empty when the server has no SSL bundle. */
    public List<X509Certificate> chain() {
        SslBundles available = bundles.getIfAvailable();
        if (available == null || settings.serverSslBundle() == null) {
            return List.of();
        }
        try {
            SslBundle bundle = available.getBundle(settings.serverSslBundle());
            KeyStore keyStore = bundle.getStores().getKeyStore();
            String alias = bundle.getKey().getAlias();
            if (alias == null) {
                alias = Collections.list(keyStore.aliases()).stream().filter(a -> isKey(keyStore, a)).findFirst()
                        .orElse(null);
            }
            Certificate[] chain = alias == null ? null : keyStore.getCertificateChain(alias);
            return chain == null ? List.of() : Arrays.stream(chain).map(X509Certificate.class::cast).toList();
        } catch (KeyStoreException | RuntimeException e) {
            log.warn("event=certdc-server-certificate-unreadable reason=\"{}\"", e.getMessage());
            return List.of();
        }
    }

    public Optional<X509Certificate> current() {
        List<X509Certificate> chain = chain();
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.getFirst());
    }

    /**
     * Compares the current server certificate with the one remembered. On a change every manager of a
     * non-rejected SI is mailed the new fingerprint and end of validity.
     *
     * @return the number of managers mailed
     */
    public int checkRenewal() {
        Optional<X509Certificate> certificate = current();
        if (certificate.isEmpty()) {
            return 0;
        }
        String fingerprint = PlatformTrust.fingerprint(certificate.get());
        Integer mailed = transactions.execute(status -> {
            jdbc.sql("select pg_advisory_xact_lock(:lock)").param("lock", 0x0CE2_7DC0_0002L).query().singleValue();
            Optional<String> known = jdbc.sql("select fingerprint_sha256 from certdc.server_certificate where name = 'https'")
                    .query(String.class).optional();
            if (known.isPresent() && known.get().equals(fingerprint)) {
                return 0;
            }
            jdbc.sql("""
                    insert into certdc.server_certificate (name, fingerprint_sha256, not_after, seen_at)
                    values ('https', :fingerprint, :notAfter, :now)
                    on conflict (name) do update set fingerprint_sha256 = excluded.fingerprint_sha256,
                        not_after = excluded.not_after, seen_at = excluded.seen_at
                    """)
                    .param("fingerprint", fingerprint)
                    .param("notAfter", Timestamp.from(certificate.get().getNotAfter().toInstant()))
                    .param("now", Timestamp.from(clock.instant())).update();
            if (known.isEmpty()) {
                return 0;
            }
            List<String> managers = systems.activeManagerEmails();
            for (String manager : managers) {
                mailer.send("server-certificate-renewed", AccountService.model(
                        "fingerprint", fingerprint, "notAfter", DATE.format(certificate.get().getNotAfter().toInstant()),
                        "downloadUrl", settings.publicBaseUrl() + "/certdc/si/server-certificate.pem",
                        "kitUrl", settings.publicBaseUrl() + "/certdc/si/kit.zip"), List.of(manager));
            }
            audit.recordAs("system:certdc", null, "certdc.serverCertificate.renewed", "certdc-server-certificate",
                    fingerprint, Map.of("managersNotified", String.valueOf(managers.size())));
            return managers.size();
        });
        if (mailed != null && mailed > 0) {
            log.info("event=certdc-server-certificate-renewed managersNotified={}", mailed);
        }
        return mailed == null ? 0 : mailed;
    }

    private static boolean isKey(KeyStore keyStore, String alias) {
        try {
            return keyStore.isKeyEntry(alias);
        } catch (KeyStoreException e) {
            return false;
        }
    }
}
