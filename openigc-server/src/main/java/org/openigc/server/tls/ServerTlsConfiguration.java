package org.openigc.server.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.catalina.connector.Connector;
import org.openigc.ca.CaKey;
import org.openigc.ca.CaRole;
import org.openigc.ca.Environment;
import org.openigc.ca.IssuanceRequest;
import org.openigc.ca.KeyAlgorithm;
import org.openigc.ca.Pkcs12CaStore;
import org.openigc.ca.ProfileId;
import org.openigc.ca.SubjectData;
import org.openigc.server.authority.CertificateAuthorities;
import org.openigc.server.authority.Channel;
import org.openigc.server.authority.IssuanceService;
import org.openigc.server.authority.IssuedCertificate;
import org.openigc.server.config.OpenIgcProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * HTTPS with a certificate from the platform's own PRODUCTION ORGANISATIONS CA (SERV SSL profile, for the
 * configured host names), client certificates wanted and checked against the platform's CAs; and a plain HTTP
 * connector for OCSP, CRL and CA certificates, as every CA serves them.
 */
@Configuration(proxyBeanMethods = false)
class ServerTlsConfiguration {
    static final String BUNDLE = "openigc-server";
    private static final String ENTRY = "server";
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Logger log = LoggerFactory.getLogger(ServerTlsConfiguration.class);

    @Bean
    SslBundleRegistrar serverTlsBundle(CertificateAuthorities authorities, IssuanceService issuance,
                                       TransactionTemplate transactions, OpenIgcProperties properties, Clock clock) {
        return registry -> registry.registerBundle(BUNDLE,
                bundle(authorities, currentOrNew(authorities, issuance, transactions, properties, clock)));
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> plainHttpConnector(OpenIgcProperties properties) {
        return factory -> {
            Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
            connector.setPort(properties.httpPort());
            connector.setProperty("address", "0.0.0.0");
            // RFC 5019 GET requests carry URL-encoded base64, where '/' becomes %2F
            connector.setEncodedSolidusHandling("passthrough");
            factory.addAdditionalConnectors(connector);
            factory.addConnectorCustomizers(main -> main.setEncodedSolidusHandling("passthrough"));
        };
    }

    private static CaKey currentOrNew(CertificateAuthorities authorities, IssuanceService issuance,
                                      TransactionTemplate transactions, OpenIgcProperties properties, Clock clock) {
        Pkcs12CaStore store = authorities.platformKeys();
        CaKey issuer = authorities.ca(Environment.PRODUCTION, CaRole.ORGANISATIONS);
        if (store.exists(ENTRY)) {
            CaKey current = store.load(ENTRY);
            if (stillFits(current, issuer, properties.tlsHosts(), clock.instant())) {
                return current;
            }
        }
        KeyPair keyPair = KeyAlgorithm.EC_P256.generate();
        List<String> hosts = properties.tlsHosts();
        IssuanceRequest request = IssuanceRequest.of(keyPair.getPublic(),
                SubjectData.organisation(hosts.getFirst(), "2" + properties.operator().siren(),
                        properties.operator().name(), "Paris (75)"), clock.instant().minusSeconds(60))
                .withDnsNames(hosts);
        IssuedCertificate issued = transactions.execute(status ->
                issuance.issue(Environment.PRODUCTION, ProfileId.SERV_SSL_SERVEUR, request, Channel.SYSTEM));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(issued.certificate());
        chain.addAll(issuer.chain());
        CaKey key = new CaKey(ENTRY, keyPair.getPrivate(), null, chain);
        store.save(key);
        log.info("event=server-certificate-issued serial={} hosts={} notAfter={}", issued.serialNumber(), hosts,
                issued.certificate().getNotAfter().toInstant());
        return key;
    }

    private static boolean stillFits(CaKey current, CaKey issuer, List<String> hosts, Instant now) {
        X509Certificate certificate = current.certificate();
        try {
            certificate.verify(issuer.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return false;
        }
        return certificate.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))
                && subjectAltNames(certificate).equals(new TreeSet<>(hosts));
    }

    private static Set<String> subjectAltNames(X509Certificate certificate) {
        Set<String> names = new TreeSet<>();
        try {
            Collection<List<?>> altNames = certificate.getSubjectAlternativeNames();
            if (altNames != null) {
                altNames.forEach(entry -> names.add(String.valueOf(entry.get(1))));
            }
        } catch (GeneralSecurityException e) {
            return Set.of();
        }
        return names;
    }

    /**
     * TLS 1.3's suites, and for TLS 1.2 only forward-secret AEAD suites (ECDHE with AES-GCM or ChaCha20-Poly1305):
     * no CBC, no static RSA key exchange, no SHA-1 MAC (checked with openssl s_client by TlsHardeningIT).
     */
    static final String[] CIPHERS = {"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};

    private static SslBundle bundle(CertificateAuthorities authorities, CaKey server) {
        try {
            char[] password = "in-memory".toCharArray();
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(ENTRY, server.privateKey(), password, server.chain().toArray(Certificate[]::new));
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            for (CaKey ca : authorities.all()) {
                trustStore.setCertificateEntry(ca.name(), ca.certificate());
            }
            return SslBundle.of(SslStoreBundle.of(keyStore, new String(password), trustStore),
                    SslBundleKey.of(new String(password), ENTRY),
                    SslOptions.of(CIPHERS, new String[] {"TLSv1.3", "TLSv1.2"}));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the server TLS bundle", e);
        }
    }
}
