package org.openigc.certdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openigc.ca.CaHierarchy;
import org.openigc.ca.CaKey;
import org.openigc.ca.CaNaming;
import org.openigc.ca.CaRole;
import org.openigc.ca.CaUrls;
import org.openigc.ca.CertProfile;
import org.openigc.ca.CertificateFormats;
import org.openigc.ca.CertificateIssuer;
import org.openigc.ca.Environment;
import org.openigc.ca.IssuanceRequest;
import org.openigc.ca.KeyAlgorithm;
import org.openigc.ca.ProfileId;
import org.openigc.ca.SubjectData;
import org.openigc.certdc.connection.InformationSystem;
import tools.jackson.databind.JsonNode;

/** The web service {@code POST /certdc/ws/v1/deposits} over real mutual TLS, with certificates the platform issued. */
class CertDcDepositIT extends CertDcTestSupport {

    @Test
    void aSandboxDepositOverMutualTlsIsKeptNinetySixHoursWithItsNominativePartEncrypted() {
        Credential si = orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE);
        String ipp = newIpp();
        HttpResponse<String> response = deposit(mtls(si), depositJson("750100018", ipp, "DUPONT", "Jeanne Marie"), null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode answer = json(response);
        assertThat(answer.get("mode").asString()).isEqualTo("SANDBOX");
        Instant receivedAt = Instant.parse(answer.get("receivedAt").asString());
        Instant expiresAt = Instant.parse(answer.get("expiresAt").asString());
        assertThat(Duration.between(receivedAt, expiresAt)).isEqualTo(Duration.ofHours(96));
        assertThat(receivedAt).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));

        UUID id = UUID.fromString(answer.get("id").asString());
        Map<String, Object> row = jdbc.sql("select establishment, mode, payload, ipp_index from certdc.deposit where id = :id")
                .param("id", id).query().singleRow();
        assertThat(row.get("establishment")).isEqualTo("750100018");
        assertThat(row.get("mode")).isEqualTo("SANDBOX");
        String stored = new String((byte[]) row.get("payload"), StandardCharsets.ISO_8859_1);
        assertThat(stored).doesNotContain("DUPONT").doesNotContain(ipp).doesNotContain("1938-04-12");
        assertThat((String) row.get("ipp_index")).doesNotContain(ipp).hasSize(64);
    }

    @Test
    void theSameDepositSentTwiceWithAnIdempotencyKeyIsStoredOnceAndAnsweredTheSame() {
        HttpClient si = mtls(orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE));
        String key = UUID.randomUUID().toString();
        String body = depositJson("750100026", newIpp(), "BERNARD", "Paul");
        int before = depositCount();

        HttpResponse<String> first = deposit(si, body, key);
        HttpResponse<String> second = deposit(si, body.replace("{", "{ "), key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(json(second)).isEqualTo(json(first));
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(depositCount()).isEqualTo(before + 1);

        HttpResponse<String> other = deposit(si, depositJson("750100026", newIpp(), "BERNARD", "Paul"), key);
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(json(other).get("code").asString()).isEqualTo("idempotency.conflict");
        assertThat(depositCount()).isEqualTo(before + 1);
    }

    @Test
    void everyBrokenFieldIsNamedInAProblemAndNothingIsStored() {
        HttpClient si = mtls(orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE));
        int before = depositCount();
        String future = java.time.LocalDate.now().plusDays(2).toString();
        String body = """
                {"establishment": "750100019", "ipp": "", "extra": 1,
                 "patient": {"birthName": "DUPONT", "firstNames": "Jean", "sex": "X", "birthDate": "%s",
                             "ins": "238047505600199", "birthPlace": "Paris"},
                 "death": {"date": "hier"}}
                """.formatted(future);
        HttpResponse<String> response = deposit(si, body, null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString() + ":" + e.get("code").asString()).toList())
                .contains("establishment:identifier.checkDigit", "ipp:required", "extra:field.unknown",
                        "patient.sex:sex.invalid", "patient.birthDate:date.future", "patient.ins:identifier.checkDigit",
                        "patient.birthPlace:cog.format", "death.date:date.format");
        assertThat(problem.get("errors").valueStream()).allSatisfy(error -> assertThat(error.get("message").asString()).isNotBlank());
        assertThat(depositCount()).isEqualTo(before);
    }

    @Test
    void malformedJsonAWrongTypeAndAnEmptyBodyAreClearFourHundreds() {
        HttpClient si = mtls(orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE));
        int before = depositCount();
        for (String body : List.of("{\"establishment\": \"750100018\",", "[1,2]", "", "{\"ipp\":1} trailing",
                "{\"ipp\":\"a\",\"ipp\":\"b\"}")) {
            HttpResponse<String> response = deposit(si, body, null);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(json(response).get("errors")).as(body).isNotNull();
        }
        HttpResponse<String> xml = send(si, HttpRequest.newBuilder(URI.create(https("/certdc/ws/v1/deposits")))
                .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofString("<a/>")).build());
        assertThat(xml.statusCode()).isEqualTo(415);
        assertThat(depositCount()).isEqualTo(before);
    }

    @Test
    void aFiveMegabyteBodyIsRefusedWith413() {
        HttpClient si = mtls(orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE));
        int before = depositCount();
        String huge = "{\"establishment\":\"750100018\",\"ipp\":\"" + "A".repeat(5 * 1024 * 1024) + "\"}";
        HttpResponse<String> response = deposit(si, huge, null);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("code").asString()).isEqualTo("body.tooLarge");
        assertThat(depositCount()).isEqualTo(before);
    }

    @Test
    void withoutAClientCertificateTheAnswerIs401() {
        int before = depositCount();
        HttpResponse<String> response = deposit(client(), depositJson("750100018", newIpp(), "DUPONT", "Jean"), null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(json(response).get("code").asString()).isEqualTo("certificate.missing");
        assertThat(depositCount()).isEqualTo(before);
    }

    @Test
    void aCertificateOfAForeignCaNeverGetsIn() throws Exception {
        int before = depositCount();
        // a complete hierarchy with the very names of the platform's TEST CAs, but other keys
        Map<CaRole, CaKey> foreign = CaHierarchy.create(Environment.TEST, new CaNaming("OPENIGC DEMO", "187512751"),
                KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P256, Instant.now().minusSeconds(3600),
                n -> CaUrls.under("http://127.0.0.1:" + HTTP_PORT, n), (name, algorithm) -> algorithm.generate(), null);
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        X509Certificate forged = new CertificateIssuer(foreign.get(CaRole.ORGANISATIONS),
                CaUrls.under("http://127.0.0.1:" + HTTP_PORT, "test-organisations"))
                .issue(CertProfile.defaults("1.2.250.1.999.1.7.2", "https://openigc.example/pc").get(ProfileId.ORG_AUTH_CLI),
                        IssuanceRequest.of(keys.getPublic(), SubjectData.organisation("CERTDC", CertDcDemo.STRUCTURE,
                                "CHU DEMO", "Paris (75)"), Instant.now().minusSeconds(60)), CertificateIssuer.randomSerial());
        KeyStore store = keyStore(CertificateFormats.pkcs12(keys.getPrivate(),
                List.of(forged, foreign.get(CaRole.ORGANISATIONS).certificate()), PASSWORD, "client"));
        assertRefused(() -> deposit(client(store, PASSWORD), depositJson("750100018", newIpp(), "DUPONT", "Jean"), null));
        assertThat(depositCount()).isEqualTo(before);
    }

    @Test
    void anExpiredCertificateIsRefused() {
        int before = depositCount();
        Credential expired = issue(Environment.TEST, ProfileId.ORG_AUTH_CLI, SubjectData.organisation("CERTDC",
                CertDcDemo.STRUCTURE, "CHU DEMO", "Paris (75)"), Instant.now().minus(Duration.ofDays(3)),
                Instant.now().minus(Duration.ofDays(1)));
        assertRefused(() -> deposit(mtls(expired), depositJson("750100018", newIpp(), "DUPONT", "Jean"), null));
        assertThat(depositCount()).isEqualTo(before);
    }

    @Test
    void aCardOrAServerCertificateIsNotAnSiCertificate() {
        int before = depositCount();
        HttpResponse<String> card = deposit(mtls(card(Environment.TEST, "8" + newRpps(), "MARTIN", "Claire")),
                depositJson("750100018", newIpp(), "DUPONT", "Jean"), null);
        assertThat(card.statusCode()).isEqualTo(403);
        assertThat(json(card).get("code").asString()).isEqualTo("certificate.untrusted");

        Credential ssl = issue(Environment.TEST, ProfileId.SERV_SSL_SERVEUR, SubjectData.organisation("ws.chu-demo.fr",
                CertDcDemo.STRUCTURE, "CHU DEMO", "Paris (75)"), Instant.now().minusSeconds(60), null, "ws.chu-demo.fr");
        HttpResponse<String> server = deposit(mtls(ssl), depositJson("750100018", newIpp(), "DUPONT", "Jean"), null);
        assertThat(server.statusCode()).isEqualTo(403);
        assertThat(json(server).get("code").asString()).isEqualTo("certificate.profile");
        assertThat(depositCount()).isEqualTo(before);
    }

    @Test
    void aStructureWithoutValidatedSiOrAnEstablishmentNotAttachedIsRefused() {
        int before = depositCount();
        HttpResponse<String> unknown = deposit(mtls(orgAuthCli(Environment.TEST, "1" + newFiness())),
                depositJson("750100018", newIpp(), "DUPONT", "Jean"), null);
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(json(unknown).get("code").asString()).isEqualTo("si.unknown");

        String legal = newFiness();
        connections.submit(request("pending-" + legal + "@chu.example", legal), "10.1.0.1");
        HttpResponse<String> pending = deposit(mtls(orgAuthCli(Environment.TEST, "1" + legal)),
                depositJson(legal, newIpp(), "DUPONT", "Jean"), null);
        assertThat(pending.statusCode()).isEqualTo(403);
        assertThat(json(pending).get("code").asString()).isEqualTo("si.notValidated");

        HttpResponse<String> notAttached = deposit(mtls(orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE)),
                depositJson(newFiness(), newIpp(), "DUPONT", "Jean"), null);
        assertThat(notAttached.statusCode()).isEqualTo(403);
        assertThat(json(notAttached).get("errors").get(0).get("field").asString()).isEqualTo("establishment");
        assertThat(json(notAttached).get("code").asString()).isEqualTo("establishment.notAttached");
        assertThat(depositCount()).isEqualTo(before);
    }

    @Test
    void anEstablishmentOfTheSiMayCarryTheCertificateAndTheModeFollowsTheSi() {
        String legal = newFiness();
        String site = newFiness();
        InformationSystem si = validatedSi("site-" + legal + "@chu.example", legal, site);
        assertThat(si.mode().name()).isEqualTo("SANDBOX");
        // a certificate whose OU is an attached EG
        HttpResponse<String> accepted = deposit(mtls(orgAuthCli(Environment.TEST, "1" + site)),
                depositJson(legal, newIpp(), "DUPONT", "Jean"), null);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
        assertThat(json(accepted).get("mode").asString()).isEqualTo("SANDBOX");
        // a PRODUCTION certificate while the SI is still in sandbox
        HttpResponse<String> production = deposit(mtls(orgAuthCli(Environment.PRODUCTION, "1" + legal)),
                depositJson(legal, newIpp(), "DUPONT", "Jean"), null);
        assertThat(production.statusCode()).isEqualTo(403);
        assertThat(json(production).get("code").asString()).isEqualTo("certificate.environment");
        assertThat(mails().last("sandbox-reception-confirmed", "site-" + legal + "@chu.example")).isPresent();
    }

    /** Needs the platform's OCSP responder (the test stand-in answers until it is merged). */
    @Test
    void aCertificateRevokedAtThePlatformIsRefusedWithinASecond() throws Exception {
        Credential si = orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE);
        HttpClient client = mtls(si);
        assertThat(deposit(client, depositJson("750100018", newIpp(), "DUPONT", "Jean"), null).statusCode()).isEqualTo(201);

        revokeAtThePlatform(si.certificate());
        Thread.sleep(1_100);
        int before = depositCount();
        HttpResponse<String> refused = deposit(mtls(si), depositJson("750100018", newIpp(), "DUPONT", "Jean"), null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).get("code").asString()).isEqualTo("certificate.revoked");
        assertThat(depositCount()).isEqualTo(before);
    }

    private static void assertRefused(java.util.function.Supplier<HttpResponse<String>> call) {
        try {
            HttpResponse<String> response = call.get();
            assertThat(response.statusCode()).as(response.body()).isIn(401, 403);
        } catch (java.io.UncheckedIOException e) {
            // the TLS handshake itself refused the certificate: as clear a refusal as a 4xx
            assertThat(e.getCause()).isInstanceOf(javax.net.ssl.SSLException.class);
        }
    }
}
