package org.openigc.server.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The certificates API of SPEC §7 end to end: real TLS with the demo cards, openssl as the holder and verifier. */
class CertificateApiIT extends ServerTestSupport {
    private static final String CHU = "1750712184";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path dir;

    private String openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** A CSR made by openssl, as an administrator would, with a subject the platform ignores. */
    private String csr(String name) throws Exception {
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=ignored/O=whatever");
        return Files.readString(dir.resolve(name + ".csr"));
    }

    private ObjectNode order(String serviceApplicatif, String usage, String csr, String actorEmail) {
        ObjectNode body = JSON.createObjectNode();
        body.put("environment", "PRODUCTION").put("offer", "ORG").put("usage", usage).put("structure", CHU)
                .put("serviceApplicatif", serviceApplicatif).put("actorEmail", actorEmail)
                .put("ccEmail", "cc-" + actorEmail).put("termsAccepted", true).put("revocationCode", "code-secret-42");
        if (csr != null) {
            body.put("csr", csr);
        }
        return body;
    }

    private HttpResponse<String> post(HttpClient client, String path, Object body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(https(path))).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@chu-demo.fr";
    }

    @Test
    void orderWithAnOpensslCsrDownloadVerifyRenewAndRevoke() throws Exception {
        HttpClient admin = personaClient("admin-chu");
        String actor = unique("dsi");
        HttpResponse<String> created = post(admin, "/api/v1/certificates",
                order("DMP AUTHENTIFICATION", "AUTH_CLI", csr("first"), actor));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode certificate = json(created);
        String id = certificate.get("id").asText();
        assertThat(certificate.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(certificate.get("subject").asText()).contains("CN=DMP AUTHENTIFICATION", "OU=" + CHU, "ST=Paris (75)");
        assertThat(certificate.get("serialNumber").asText()).matches("[0-9a-f]{25,32}");

        // downloads in every format, then openssl checks the chain and that the key matches the CSR's
        Files.writeString(dir.resolve("leaf.pem"), getString(admin, https("/api/v1/certificates/" + id + "/certificate.pem")).body());
        Files.writeString(dir.resolve("chain.pem"), getString(admin, https("/api/v1/certificates/" + id + "/chain.pem")).body());
        Files.write(dir.resolve("leaf.der"), get(admin, https("/api/v1/certificates/" + id + "/certificate.der")).body());
        Files.write(dir.resolve("bundle.p7b"), get(admin, https("/api/v1/certificates/" + id + "/certificate.p7b")).body());
        assertThat(openssl("verify", "-purpose", "sslclient", "-CAfile", "chain.pem", "leaf.pem")).contains("leaf.pem: OK");
        assertThat(openssl("x509", "-inform", "DER", "-in", "leaf.der", "-noout", "-pubkey"))
                .isEqualTo(openssl("pkey", "-in", "first.key", "-pubout"));
        assertThat(openssl("pkcs7", "-inform", "DER", "-in", "bundle.p7b", "-print_certs", "-noout")).contains("AC IGC-SANTE ORGANISATIONS");
        assertThat(awaitMailsTo(actor, 1).getFirst().subject()).contains("DMP AUTHENTIFICATION");

        // renewal: new key, linked to the old one, which stays active until revoked as superseded
        ObjectNode renewal = JSON.createObjectNode().put("csr", csr("second")).put("termsAccepted", true)
                .put("revocationCode", "code-secret-43");
        HttpResponse<String> renewed = post(admin, "/api/v1/certificates/" + id + "/renewal", renewal);
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(201);
        assertThat(json(renewed).get("renews").asText()).isEqualTo(id);
        assertThat(json(getString(admin, https("/api/v1/certificates/" + id))).get("status").asText()).isEqualTo("ACTIVE");

        HttpResponse<String> revoked = post(admin, "/api/v1/certificates/" + id + "/revocation",
                JSON.createObjectNode().put("reason", "superseded"));
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(json(revoked).get("status").asText()).isEqualTo("REVOKED");
        assertThat(json(revoked).get("reason").asText()).isEqualTo("superseded");

        HttpResponse<String> again = post(admin, "/api/v1/certificates/" + id + "/renewal",
                renewal.put("csr", csr("third")));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("nouvelle commande");

        // OCSP through openssl sees the revocation
        Files.writeString(dir.resolve("issuer.pem"), org.openigc.ca.CertificateFormats.pem(
                authorities.ca(org.openigc.ca.Environment.PRODUCTION, org.openigc.ca.CaRole.ORGANISATIONS).certificate()));
        assertThat(openssl("ocsp", "-issuer", "issuer.pem", "-cert", "leaf.pem", "-url", http("/ocsp"), "-CAfile", "chain.pem"))
                .contains("leaf.pem: revoked");
    }

    @Test
    void onlineKeyGenerationGivesAPkcs12ExactlyOnceAndStoresNoPrivateKey() throws Exception {
        HttpClient admin = personaClient("admin-chu");
        ObjectNode body = order("SAMU 75", "SIGN", null, unique("samu"));
        body.putObject("generateKey").put("algorithm", "RSA_2048").put("password", "un-mot-de-passe-long");
        HttpResponse<String> created = post(admin, "/api/v1/certificates", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String link = json(created).get("pkcs12").asText();
        HttpResponse<byte[]> p12 = get(admin, https(link));
        assertThat(p12.statusCode()).isEqualTo(200);
        assertThat(p12.headers().firstValue("Content-Disposition").orElseThrow())
                .containsPattern("OPENIGC-p12-EL-PROD-ORG-SIGN-\\d{8}-\\d{6}\\.p12");
        Files.write(dir.resolve("key.p12"), p12.body());
        assertThat(openssl("pkcs12", "-in", "key.p12", "-passin", "pass:un-mot-de-passe-long", "-nodes", "-info"))
                .contains("BEGIN PRIVATE KEY").contains("SAMU 75");
        assertThat(get(admin, https(link)).statusCode()).isEqualTo(404);
        String id = json(created).get("id").asText();
        Boolean flagged = jdbc.sql("select key_generated_online from certificate where id = :id")
                .param("id", UUID.fromString(id)).query(Boolean.class).single();
        assertThat(flagged).isTrue();
        // nothing in the database carries private key material
        Long keys = jdbc.sql("""
                select count(*) from information_schema.columns where table_schema = 'public'
                and (column_name like '%private%' or column_name like '%pkcs12%')""").query(Long.class).single();
        assertThat(keys).isZero();
    }

    @Test
    void revocationWithTheCodeChosenAtRetrievalWorksWithoutLogin() throws Exception {
        HttpResponse<String> created = post(personaClient("admin-chu"), "/api/v1/certificates",
                order("Proxy DMP CHU", "AUTH_CLI", csr("code"), unique("proxy")));
        String serial = json(created).get("serialNumber").asText();
        HttpClient anonymous = client();
        HttpResponse<String> wrong = post(anonymous, "/api/v1/revocations", JSON.createObjectNode()
                .put("serialNumber", serial).put("revocationCode", "pas-le-bon").put("reason", "keyCompromise"));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("revocationCode");
        HttpResponse<String> right = post(anonymous, "/api/v1/revocations", JSON.createObjectNode()
                .put("serialNumber", serial.toUpperCase()).put("revocationCode", "code-secret-42").put("reason", "keyCompromise"));
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
        assertThat(json(right).get("status").asText()).isEqualTo("REVOKED");
    }

    @Test
    void badOrdersNameTheFieldAndLeaveNoRowNoSerialNoMail() throws Exception {
        HttpClient admin = personaClient("admin-chu");
        long before = jdbc.sql("select count(*) from certificate").query(Long.class).single();
        String csr = csr("bad");
        record Case(ObjectNode body, String field, String code) {
        }
        String actor = unique("refused");
        List<Case> cases = List.of(
                new Case(order("INSI-auto", "AUTH_CLI", csr, actor), "serviceApplicatif", "insiName"),
                new Case(order("INSI-AUTO ", "AUTH_CLI", csr, actor), "serviceApplicatif", "whitespace"),
                new Case(order("DMP AUTHENTIFICATION", "AUTH_CLI", csr, actor).put("termsAccepted", false), "termsAccepted", "required"),
                new Case(order("DMP AUTHENTIFICATION", "AUTH_CLI", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----", actor), "csr", "csr.unparsable"),
                new Case(order("DMP AUTHENTIFICATION", "AUTH_CLI", csr, actor).put("structure", "1330000068"), "structure", "notHabilitated"),
                new Case(order("DMP AUTHENTIFICATION", "AUTH_CLI", csr, actor).put("structure", "1999999999"), "structure", "notHabilitated"),
                new Case(order("DMP AUTHENTIFICATION", "AUTH_CLI", csr, "pas-une-adresse"), "actorEmail", "email"),
                new Case(order("x", "AUTH_CLI", csr, actor).put("offer", "SERV").put("usage", "SSL_SERVEUR")
                        .put("serviceApplicatif", "www.autre-domaine.fr"), "dnsNames[0]", "domainNotApproved"));
        for (Case c : cases) {
            HttpResponse<String> response = post(admin, "/api/v1/certificates", c.body());
            assertThat(response.statusCode()).as(c.field()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).contains("application/problem+json");
            JsonNode errors = json(response).get("errors");
            assertThat(errors.findValuesAsString("field")).as(response.body()).contains(c.field());
            assertThat(errors.findValuesAsString("code")).as(response.body()).contains(c.code());
        }
        // one key, one certificate
        assertThat(post(admin, "/api/v1/certificates", order("DMP AUTHENTIFICATION", "AUTH_CLI", csr, actor)).statusCode()).isEqualTo(201);
        HttpResponse<String> reused = post(admin, "/api/v1/certificates", order("DMP SIGNATURE", "SIGN", csr, actor));
        assertThat(json(reused).get("errors").findValuesAsString("code")).contains("keyInUse");
        // 2 MB CSR: refused before anything is parsed
        HttpResponse<String> huge = post(admin, "/api/v1/certificates", order("DMP AUTHENTIFICATION", "AUTH_CLI", "A".repeat(2_100_000), actor));
        assertThat(huge.statusCode()).isIn(400, 413);
        long after = jdbc.sql("select count(*) from certificate").query(Long.class).single();
        assertThat(after).isEqualTo(before + 1);
        assertThat(receivedMailsTo(actor).size()).isLessThanOrEqualTo(1);
    }

    @Test
    void anotherStructuresAdministratorSeesNothingAndTheEditorOnlyItsDelegation() throws Exception {
        HttpResponse<String> created = post(personaClient("admin-chu"), "/api/v1/certificates",
                order("Messagerie CHU", "CONF", null, unique("conf")).set("generateKey",
                        JSON.createObjectNode().put("algorithm", "RSA_2048").put("password", "un-mot-de-passe-long")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = json(created).get("id").asText();
        HttpClient other = personaClient("admin-other");
        for (String path : List.of("", "/certificate.pem", "/certificate.der", "/chain.pem", "/certificate.p7b")) {
            assertThat(get(other, https("/api/v1/certificates/" + id + path)).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(post(other, "/api/v1/certificates/" + id + "/revocation", JSON.createObjectNode().put("reason", "unspecified"))
                .statusCode()).isEqualTo(404);
        assertThat(json(getString(other, https("/api/v1/certificates?structure=" + CHU))).get("total").asLong()).isZero();
        HttpClient editor = personaClient("admin-editor");
        assertThat(get(editor, https("/api/v1/certificates/" + id)).statusCode()).isEqualTo(404);
        ObjectNode centre = order("LOGICIEL CENTRE", "AUTH_CLI", csr("centre"), unique("centre")).put("structure", "1930000054");
        assertThat(post(editor, "/api/v1/certificates", centre).statusCode()).isEqualTo(201);
        // the delegation ends: access ends with it
        jdbc.sql("update delegation set revoked_at = now()").update();
        try {
            HttpResponse<String> refused = post(editor, "/api/v1/certificates", centre.put("csr", csr("centre2")));
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(json(refused).get("errors").findValuesAsString("code")).contains("notHabilitated");
        } finally {
            jdbc.sql("update delegation set revoked_at = null").update();
        }
    }

    @Test
    void trackingFiltersPaginatesAndExportsCsv() throws Exception {
        HttpClient admin = personaClient("admin-chu");
        String service = "SUIVI " + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        for (int i = 0; i < 3; i++) {
            assertThat(post(admin, "/api/v1/certificates", order(service, "AUTH_CLI", csr("t" + i), unique("t"))).statusCode()).isEqualTo(201);
        }
        JsonNode page = json(getString(admin, https("/api/v1/certificates?q=" + service.replace(" ", "%20") + "&size=2&page=0")));
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(page.get("items").size()).isEqualTo(2);
        assertThat(page.get("items").get(0).get("daysLeft").asLong()).isBetween(1090L, 1100L);
        JsonNode expiring = json(getString(admin, https("/api/v1/certificates?q=" + service.replace(" ", "%20") + "&expiringWithinDays=30")));
        assertThat(expiring.get("total").asLong()).isZero();
        assertThat(getString(admin, https("/api/v1/certificates?status=NOPE")).statusCode()).isEqualTo(400);
        HttpResponse<String> csv = getString(admin, https("/api/v1/certificates.csv?q=" + service.replace(" ", "%20")));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body().lines().filter(l -> l.contains(service)).count()).isEqualTo(3);
        assertThat(json(getString(personaClient("operator"), https("/api/v1/certificates?q=" + service.replace(" ", "%20"))))
                .get("total").asLong()).isEqualTo(3);
    }
}
