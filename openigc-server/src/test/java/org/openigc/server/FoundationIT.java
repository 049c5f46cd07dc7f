package org.openigc.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openigc.ca.CaRole;
import org.openigc.ca.Environment;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class FoundationIT extends ServerTestSupport {
    @Autowired
    JdbcClient jdbc;

    @Test
    void healthIsUpOnBothPortsOnceDatabaseAndCaKeysAreReady() {
        HttpResponse<byte[]> overHttps = get(client(), https("/actuator/health"));
        assertThat(overHttps.statusCode()).isEqualTo(200);
        assertThat(new String(overHttps.body(), StandardCharsets.UTF_8)).contains("\"status\":\"UP\"");
        assertThat(get(client(), http("/actuator/health")).statusCode()).isEqualTo(200);
    }

    @Test
    void eachCaCertificateIsServedInDerOnThePlainHttpPort() throws Exception {
        for (Environment environment : Environment.values()) {
            for (CaRole role : CaRole.values()) {
                String name = (environment == Environment.TEST ? "test-" : "prod-") + role.name().toLowerCase();
                HttpResponse<byte[]> response = get(client(), http("/ca/" + name + ".crt"));
                assertThat(response.statusCode()).as(name).isEqualTo(200);
                assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pkix-cert");
                X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(response.body()));
                assertThat(certificate).isEqualTo(authorities.ca(environment, role).certificate());
                assertThat(certificate.getSubjectX500Principal().getName())
                        .contains(environment == Environment.TEST ? "OU=IGC-SANTE TEST" : "OU=IGC-SANTE");
            }
        }
        assertThat(get(client(), http("/ca/nope.crt")).statusCode()).isEqualTo(404);
    }

    @Test
    void theHttpsCertificateIsAServSslCertificateFromTheProductionOrganisationsCa() throws Exception {
        var response = client().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(https("/actuator/health"))).build(),
                HttpResponse.BodyHandlers.discarding());
        X509Certificate server = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
        server.verify(authorities.ca(Environment.PRODUCTION, CaRole.ORGANISATIONS).certificate().getPublicKey());
        assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(server.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                .containsExactlyInAnyOrder("localhost", "127.0.0.1");
        Integer recorded = jdbc.sql("select count(*) from certificate where serial_number = :s and status = 'ACTIVE'")
                .param("s", server.getSerialNumber().toString(16)).query(Integer.class).single();
        assertThat(recorded).isEqualTo(1);
    }

    @Test
    void theNativeProviderSignsFirstAndBouncyCastleIsTheFallback() {
        java.security.Provider[] providers = java.security.Security.getProviders();
        assertThat(providers[0].getName()).isEqualTo("AmazonCorrettoCryptoProvider");
        assertThat(providers[providers.length - 1].getName()).isEqualTo("BC");
    }

    @Test
    void plainHttpRedirectsEverythingElseToHttps() {
        HttpResponse<byte[]> response = get(client(), http("/app/certificates?x=1"));
        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + HTTPS_PORT + "/app/certificates?x=1");
    }

    @Test
    void caKeyStoresAreEncryptedFilesReadableOnlyByTheOwner() throws Exception {
        var file = DATA_DIR.resolve("ca").resolve("prod-root.p12");
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        var store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.load(in, "wrong".toCharArray()))
                    .isInstanceOf(java.io.IOException.class);
        }
        assertThat(Files.getPosixFilePermissions(DATA_DIR.resolve("secrets").resolve("ca-password")))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    }
}
