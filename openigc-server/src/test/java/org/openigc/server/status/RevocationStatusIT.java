package org.openigc.server.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openigc.ca.CaKey;
import org.openigc.ca.CertificateFormats;
import org.openigc.ca.Environment;
import org.openigc.ca.IssuanceRequest;
import org.openigc.ca.KeyAlgorithm;
import org.openigc.ca.ProfileId;
import org.openigc.ca.SubjectData;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.authority.Channel;
import org.openigc.server.authority.IssuanceService;
import org.openigc.server.authority.IssuedCertificate;
import org.openigc.server.certificates.CertificateEvents.CertificateRevoked;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** CRL and OCSP over the plain HTTP port, with openssl as the relying party. */
class RevocationStatusIT extends ServerTestSupport {
    @Autowired
    IssuanceService issuance;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ApplicationEventPublisher events;

    @TempDir
    Path dir;

    private IssuedCertificate issue() {
        IssuanceRequest request = IssuanceRequest.of(KeyAlgorithm.EC_P256.generate().getPublic(),
                SubjectData.organisation("DMP AUTHENTIFICATION", "1750712184", "CHU DEMO", "Paris (75)"),
                Instant.now().minusSeconds(5));
        return transactions.execute(s -> issuance.issue(Environment.TEST, ProfileId.ORG_AUTH_CLI, request, Channel.PORTAL));
    }

    private void revoke(IssuedCertificate issued, String reason, boolean withEvent) {
        transactions.executeWithoutResult(s -> {
            Instant now = Instant.now();
            jdbc.sql("update certificate set status = 'REVOKED', revoked_at = :at, revocation_reason = :reason where id = :id")
                    .param("at", Timestamp.from(now)).param("reason", reason).param("id", issued.id()).update();
            if (withEvent) {
                events.publishEvent(new CertificateRevoked(issued.id(), issued.caName(), issued.serialNumber(), now, reason));
            }
        });
    }

    private Path files(IssuedCertificate issued) throws IOException {
        CaKey ca = authorities.byName(issued.caName()).orElseThrow();
        Files.writeString(dir.resolve("leaf.pem"), CertificateFormats.pem(issued.certificate()));
        Files.writeString(dir.resolve("issuer.pem"), CertificateFormats.pem(ca.certificate()));
        Files.writeString(dir.resolve("chain.pem"), CertificateFormats.pem(ca.chain()));
        return dir;
    }

    private String openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private String ocspWithOpenssl(String... extra) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("ocsp", "-issuer", "issuer.pem", "-cert", "leaf.pem",
                "-url", http("/ocsp"), "-CAfile", "chain.pem"));
        arguments.addAll(List.of(extra));
        return openssl(arguments.toArray(String[]::new));
    }

    @Test
    void opensslSeesGoodThenRevokedWithinASecondOfARevocationMadeElsewhere() throws Exception {
        IssuedCertificate issued = issue();
        files(issued);
        String good = ocspWithOpenssl();
        assertThat(good).contains("Response verify OK").contains("leaf.pem: good").doesNotContain("WARNING");
        assertThat(ocspWithOpenssl("-no_nonce")).contains("leaf.pem: good");

        // as another node would: only the database changes, no event reaches this node
        revoke(issued, "keyCompromise", false);
        Thread.sleep(1000);
        String revoked = ocspWithOpenssl("-no_nonce");
        assertThat(revoked).contains("Response verify OK").contains("leaf.pem: revoked")
                .contains("Reason: keyCompromise");
    }

    @Test
    void theCrlIsRebuiltOnRevocationAndOpensslVerifiesIt() throws Exception {
        IssuedCertificate issued = issue();
        files(issued);
        revoke(issued, "superseded", true);
        HttpResponse<byte[]> response = get(client(), http("/crl/" + issued.caName() + ".crl"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
        Files.write(dir.resolve("ca.crl"), response.body());
        String text = openssl("crl", "-inform", "DER", "-in", "ca.crl", "-CAfile", "chain.pem", "-noout", "-text", "-verify");
        assertThat(text).contains("verify OK");
        assertThat(text.toUpperCase()).contains(issued.serialNumber().toUpperCase());
        assertThat(text).contains("Superseded");
        X509Certificate leaf = issued.certificate();
        assertThat(new String(leaf.getExtensionValue("2.5.29.31"), StandardCharsets.ISO_8859_1))
                .contains(http("/crl/" + issued.caName() + ".crl").replace("127.0.0.1", "127.0.0.1"));
    }

    @Test
    void crlNumbersOnlyGrow() {
        long first = jdbc.sql("select crl_number from crl where ca_name = 'prod-personnes'").query(Long.class).optional().orElse(0L);
        CrlPublisher publisher = applicationContext().getBean(CrlPublisher.class);
        long second = publisher.publish("prod-personnes");
        long third = publisher.publish("prod-personnes");
        assertThat(second).isGreaterThan(first);
        assertThat(third).isEqualTo(second + 1);
    }

    @Test
    void badRequestsGetTheRfcAnswerOrA4xxNeverA500() throws Exception {
        var client = client();
        // garbage: OCSPResponse with status malformedRequest (1)
        HttpResponse<byte[]> garbage = post(client, "application/ocsp-request", "not der".getBytes());
        assertThat(garbage.statusCode()).isEqualTo(200);
        assertThat(garbage.body()).containsExactly(0x30, 0x03, 0x0A, 0x01, 0x01);
        assertThat(post(client, "application/json", "{}".getBytes()).statusCode()).isEqualTo(415);
        assertThat(post(client, "application/ocsp-request", new byte[100_000]).statusCode()).isEqualTo(413);
        HttpResponse<byte[]> badBase64 = get(client, http("/ocsp/!!not-base64!!"));
        assertThat(badBase64.statusCode()).isLessThan(500);
        // a request naming an issuer we do not know: unauthorized (6)
        files(issue());
        openssl("ocsp", "-issuer", "leaf.pem", "-cert", "leaf.pem", "-reqout", "foreign.der", "-no_nonce");
        // 100 serials in one request: refused as malformed (at most 10 per request), bounded work
        List<String> hundred = new ArrayList<>(List.of("ocsp", "-issuer", "issuer.pem", "-reqout", "many.der", "-no_nonce"));
        for (int i = 1; i <= 100; i++) {
            hundred.addAll(List.of("-serial", String.valueOf(i)));
        }
        openssl(hundred.toArray(String[]::new));
        assertThat(post(client, "application/ocsp-request", Files.readAllBytes(dir.resolve("many.der"))).body())
                .containsExactly(0x30, 0x03, 0x0A, 0x01, 0x01);
        HttpResponse<byte[]> foreign = post(client, "application/ocsp-request", Files.readAllBytes(dir.resolve("foreign.der")));
        assertThat(foreign.body()).containsExactly(0x30, 0x03, 0x0A, 0x01, 0x06);
    }

    @Test
    void getRequestsAreAnsweredAndCacheable() throws Exception {
        IssuedCertificate issued = issue();
        files(issued);
        openssl("ocsp", "-issuer", "issuer.pem", "-cert", "leaf.pem", "-reqout", "req.der", "-no_nonce");
        String encoded = java.net.URLEncoder.encode(java.util.Base64.getEncoder()
                .encodeToString(Files.readAllBytes(dir.resolve("req.der"))), StandardCharsets.US_ASCII);
        HttpResponse<byte[]> response = get(client(), http("/ocsp/" + encoded));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
        assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=");
        Files.write(dir.resolve("resp.der"), response.body());
        assertThat(openssl("ocsp", "-respin", "resp.der", "-issuer", "issuer.pem", "-cert", "leaf.pem", "-CAfile", "chain.pem"))
                .contains("Response verify OK").contains("leaf.pem: good");
    }

    private HttpResponse<byte[]> post(java.net.http.HttpClient client, String type, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(http("/ocsp"))).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Autowired
    org.springframework.context.ApplicationContext context;

    private org.springframework.context.ApplicationContext applicationContext() {
        return context;
    }
}
