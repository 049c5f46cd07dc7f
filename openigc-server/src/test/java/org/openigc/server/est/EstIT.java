package org.openigc.server.est;

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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openigc.ca.CaRole;
import org.openigc.ca.CertificateFormats;
import org.openigc.ca.Environment;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** RFC 7030 end to end with real curl and openssl processes over real TLS, as the README tells administrators. */
class EstIT extends ServerTestSupport {
    private static final String CHU = "1750712184";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path dir;

    record Run(int exit, String output) {
    }

    private Run run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private String openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Run run = run(command.toArray(String[]::new));
        assertThat(run.exit()).as(run.output()).isZero();
        return run.output();
    }

    /** {@code curl -s -o out -w %{http_code}}: returns the HTTP status; the body is in {@code out}. */
    private int curl(String out, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--cacert", "root.pem", "-o", out,
                "-w", "%{http_code}"));
        command.addAll(List.of(arguments));
        Run run = run(command.toArray(String[]::new));
        return Integer.parseInt(run.output().substring(run.output().length() - 3));
    }

    /** An openssl key and CSR, the CSR base64 DER as RFC 7030 sends it. */
    private void csr(String name) throws Exception {
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + ".key", "-out", name + ".der", "-outform", "DER", "-subj", "/CN=ignored");
        openssl("base64", "-in", name + ".der", "-out", name + ".b64");
    }

    private String token(String serviceApplicatif, String usage) throws Exception {
        HttpClient admin = personaClient("admin-chu");
        Map<String, String> body = Map.of("structure", CHU, "environment", "PRODUCTION", "usage", usage,
                "serviceApplicatif", serviceApplicatif, "actorEmail", "est-" + UUID.randomUUID() + "@chu-demo.fr");
        HttpResponse<String> created = admin.send(HttpRequest.newBuilder(URI.create(https("/api/v1/est/tokens")))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode json = JSON.readTree(created.body());
        assertThat(json.get("expiresAt").asText()).isNotBlank();
        return json.get("token").asText();
    }

    private String enrollUrl(String operation) {
        return https("/.well-known/est/org-auth-cli/" + operation);
    }

    /** The single certificate of a base64 PKCS#7 answer, as PEM in {@code pem}. */
    private String certificateOf(String b64, String pem) throws Exception {
        openssl("base64", "-d", "-in", b64, "-out", b64 + ".der");
        openssl("pkcs7", "-inform", "DER", "-in", b64 + ".der", "-print_certs", "-out", pem);
        return openssl("x509", "-in", pem, "-noout", "-subject", "-serial");
    }

    private Map<String, Object> row(String serialOutput) {
        String serial = serialOutput.replaceAll("(?s).*serial=([0-9A-Fa-f]+).*", "$1").toLowerCase().replaceFirst("^0+", "");
        return jdbc.sql("select id, channel, status, renews, service_applicatif from certificate where serial_number = :s")
                .param("s", serial).query().singleRow();
    }

    @Test
    void cacertsEnrollWithATokenReenrollWithTheCertificateAndRefusals() throws Exception {
        Files.writeString(dir.resolve("root.pem"),
                CertificateFormats.pem(authorities.ca(Environment.PRODUCTION, CaRole.ROOT).certificate()));
        String service = "EST CLIENT " + UUID.randomUUID().toString().substring(0, 6).toUpperCase();

        // cacerts: base64 PKCS#7 of the issuing CA and the root
        assertThat(curl("cacerts.b64", enrollUrl("cacerts").replace("org-auth-cli", "org-auth-cli"))).isEqualTo(200);
        openssl("base64", "-d", "-in", "cacerts.b64", "-out", "cacerts.der");
        String cacerts = openssl("pkcs7", "-inform", "DER", "-in", "cacerts.der", "-print_certs", "-noout");
        assertThat(cacerts).contains("AC IGC-SANTE ORGANISATIONS");
        assertThat(cacerts.split("subject=").length - 1).isEqualTo(2);
        assertThat(curl("none.txt", https("/.well-known/est/no-such-profile/cacerts"))).isEqualTo(404);
        // RFC 7030 §4.1.3: application/pkcs7-mime (certs-only), base64 transfer encoding
        HttpResponse<String> cacertsHeaders = getString(client(), enrollUrl("cacerts"));
        assertThat(cacertsHeaders.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/pkcs7-mime").contains("certs-only");
        assertThat(cacertsHeaders.headers().firstValue("Content-Transfer-Encoding")).hasValue("base64");

        String token = token(service, "AUTH_CLI");
        csr("first");

        // no token, wrong token: 401, nothing issued
        assertThat(curl("e0.txt", "--data-binary", "@first.b64", "-H", "Content-Type: application/pkcs10",
                enrollUrl("simpleenroll"))).isEqualTo(401);
        assertThat(curl("e1.txt", "--data-binary", "@first.b64", "-H", "Content-Type: application/pkcs10",
                "-u", ":not-the-token", enrollUrl("simpleenroll"))).isEqualTo(401);
        // a token for org-auth-cli is not valid for another label
        assertThat(curl("e2.txt", "--data-binary", "@first.b64", "-H", "Content-Type: application/pkcs10",
                "-u", ":" + token, https("/.well-known/est/org-sign/simpleenroll"))).isEqualTo(401);
        // a broken CSR is refused with 400 and does not consume the token
        Files.writeString(dir.resolve("broken.b64"), "bm90IGEgY3Ny\n");
        assertThat(curl("e3.txt", "--data-binary", "@broken.b64", "-H", "Content-Type: application/pkcs10",
                "-u", ":" + token, enrollUrl("simpleenroll"))).isEqualTo(400);
        assertThat(jdbc.sql("select count(*) from certificate where service_applicatif = :s").param("s", service)
                .query(Long.class).single()).isZero();

        // enrollment with the token as HTTP Basic password
        assertThat(curl("first.p7.b64", "--data-binary", "@first.b64", "-H", "Content-Type: application/pkcs10",
                "-u", ":" + token, enrollUrl("simpleenroll"))).as(Files.readString(dir.resolve("first.p7.b64"))).isEqualTo(200);
        String first = certificateOf("first.p7.b64", "first.pem");
        assertThat(first).contains("CN = " + service, "OU = " + CHU);
        assertThat(openssl("x509", "-in", "first.pem", "-noout", "-pubkey")).isEqualTo(openssl("pkey", "-in", "first.key", "-pubout"));
        Map<String, Object> firstRow = row(first);
        assertThat(firstRow.get("channel")).isEqualTo("EST");
        assertThat(firstRow.get("status")).isEqualTo("ACTIVE");
        // a normal certificate: in the structure's tracking, its channel shown
        HttpClient tracking = personaClient("admin-chu");
        assertThat(getString(tracking, https("/app/certificates?q=" + java.net.URLEncoder.encode(service,
                StandardCharsets.UTF_8))).body()).contains("<td class=\"channel\">EST</td>");
        assertThat(getString(tracking, https("/app/certificates/" + firstRow.get("id"))).body()).contains("id=\"channel\">EST<");

        // the token is single use
        csr("again");
        assertThat(curl("e4.txt", "--data-binary", "@again.b64", "-H", "Content-Type: application/pkcs10",
                "-u", ":" + token, enrollUrl("simpleenroll"))).isEqualTo(401);
        assertThat(Files.readString(dir.resolve("e4.txt"))).contains("used");
        assertThat(jdbc.sql("select count(*) from certificate where service_applicatif = :s").param("s", service)
                .query(Long.class).single()).as("a reused token issues nothing").isEqualTo(1);

        // re-enrollment authenticated by the active certificate over mutual TLS: new key, linked to the old one
        csr("second");
        assertThat(curl("nocert.txt", "--data-binary", "@second.b64", "-H", "Content-Type: application/pkcs10",
                enrollUrl("simplereenroll"))).isEqualTo(401);
        assertThat(curl("second.p7.b64", "--cert", "first.pem", "--key", "first.key", "--data-binary", "@second.b64",
                "-H", "Content-Type: application/pkcs10", enrollUrl("simplereenroll")))
                .as(Files.readString(dir.resolve("second.p7.b64"))).isEqualTo(200);
        String second = certificateOf("second.p7.b64", "second.pem");
        assertThat(second).contains("CN = " + service);
        Map<String, Object> secondRow = row(second);
        assertThat(secondRow.get("channel")).isEqualTo("EST");
        assertThat(secondRow.get("renews")).isEqualTo(firstRow.get("id"));
        assertThat(openssl("x509", "-in", "second.pem", "-noout", "-pubkey")).isEqualTo(openssl("pkey", "-in", "second.key", "-pubout"));

        // re-enrolling with the same key is refused
        assertThat(curl("samekey.txt", "--cert", "second.pem", "--key", "second.key", "--data-binary", "@second.b64",
                "-H", "Content-Type: application/pkcs10", enrollUrl("simplereenroll"))).isEqualTo(400);

        // a revoked certificate cannot re-enroll
        HttpClient admin = personaClient("admin-chu");
        HttpResponse<String> revoked = admin.send(HttpRequest.newBuilder(URI.create(https("/api/v1/certificates/"
                        + secondRow.get("id") + "/revocation"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"keyCompromise\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        csr("third");
        long before = jdbc.sql("select count(*) from certificate where service_applicatif = :s").param("s", service)
                .query(Long.class).single();
        int status = curl("third.txt", "--cert", "second.pem", "--key", "second.key", "--data-binary", "@third.b64",
                "-H", "Content-Type: application/pkcs10", enrollUrl("simplereenroll"));
        assertThat(status).isIn(400, 401, 403);
        assertThat(Files.readString(dir.resolve("third.txt"))).contains("REVOKED");
        assertThat(jdbc.sql("select count(*) from certificate where service_applicatif = :s").param("s", service)
                .query(Long.class).single()).isEqualTo(before);
    }

    private long certificatesOf(String service) {
        return jdbc.sql("select count(*) from certificate where service_applicatif = :s").param("s", service)
                .query(Long.class).single();
    }

    @Test
    void aTokenExpiresAfterSevenDaysAndAnExpiredOrOtherLabelCertificateCannotReenroll() throws Exception {
        Files.writeString(dir.resolve("root.pem"),
                CertificateFormats.pem(authorities.ca(Environment.PRODUCTION, CaRole.ROOT).certificate()));
        String service = "EST EXPIRE " + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String expiring = token(service, "AUTH_CLI");
        String hash = EstTokens.sha256(expiring);
        assertThat(jdbc.sql("select expires_at - created_at = interval '7 days' from est_token where token_sha256 = :h")
                .param("h", hash).query(Boolean.class).single()).as("valid 7 days").isTrue();

        // past its expiry the token enrolls nothing and stays unused
        jdbc.sql("update est_token set expires_at = now() - interval '1 minute' where token_sha256 = :h").param("h", hash).update();
        csr("late");
        assertThat(curl("late.txt", "--data-binary", "@late.b64", "-H", "Content-Type: application/pkcs10",
                "-u", ":" + expiring, enrollUrl("simpleenroll"))).isEqualTo(401);
        assertThat(Files.readString(dir.resolve("late.txt"))).contains("expired");
        assertThat(certificatesOf(service)).isZero();
        assertThat(jdbc.sql("select used_at is null and certificate_id is null from est_token where token_sha256 = :h")
                .param("h", hash).query(Boolean.class).single()).isTrue();

        // a fresh token, a certificate, then its re-enrollment under another label: refused, nothing issued
        String token = token(service, "AUTH_CLI");
        csr("cur");
        assertThat(curl("cur.p7.b64", "--data-binary", "@cur.b64", "-H", "Content-Type: application/pkcs10",
                "-u", ":" + token, enrollUrl("simpleenroll"))).isEqualTo(200);
        Map<String, Object> current = row(certificateOf("cur.p7.b64", "cur.pem"));
        csr("next");
        assertThat(curl("other-label.txt", "--cert", "cur.pem", "--key", "cur.key", "--data-binary", "@next.b64",
                "-H", "Content-Type: application/pkcs10", https("/.well-known/est/org-sign/simplereenroll"))).isEqualTo(400);
        assertThat(Files.readString(dir.resolve("other-label.txt"))).contains("otherLabel");
        assertThat(certificatesOf(service)).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from certificate where renews = :id").param("id", current.get("id"))
                .query(Long.class).single()).isZero();

        // once past its end of validity (as recorded by the platform) it cannot re-enroll: a new order is needed
        jdbc.sql("update certificate set not_after = now() - interval '1 minute' where id = :id")
                .param("id", current.get("id")).update();
        assertThat(curl("expired.txt", "--cert", "cur.pem", "--key", "cur.key", "--data-binary", "@next.b64",
                "-H", "Content-Type: application/pkcs10", enrollUrl("simplereenroll"))).isIn(400, 401, 403);
        assertThat(Files.readString(dir.resolve("expired.txt"))).contains("EXPIRED");
        assertThat(certificatesOf(service)).isEqualTo(1);
    }

    @Test
    void tokensAreStoredHashedAndOnlyForHabilitatedAdministrators() throws Exception {
        String token = token("EST HASH", "AUTH_CLI");
        assertThat(jdbc.sql("select count(*) from est_token where token_sha256 = :h").param("h", EstTokens.sha256(token))
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from est_token where token_sha256 = :h").param("h", token)
                .query(Long.class).single()).isZero();
        HttpResponse<String> foreign = personaClient("admin-chu").send(HttpRequest.newBuilder(URI.create(https("/api/v1/est/tokens")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("structure", "0000000000", "environment", "PRODUCTION", "usage", "AUTH_CLI",
                                "serviceApplicatif", "X", "actorEmail", "x@chu-demo.fr")))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);

        // bad requests: a problem document naming the field, no token
        long before = jdbc.sql("select count(*) from est_token").query(Long.class).single();
        Map<Map<String, String>, String> cases = Map.of(
                Map.of("structure", CHU, "environment", "PROD", "usage", "AUTH_CLI", "serviceApplicatif", "X",
                        "actorEmail", "x@chu-demo.fr"), "environment",
                Map.of("structure", CHU, "environment", "PRODUCTION", "usage", "SSL", "serviceApplicatif", "X",
                        "actorEmail", "x@chu-demo.fr"), "usage",
                Map.of("structure", CHU, "environment", "PRODUCTION", "usage", "AUTH_CLI", "actorEmail", "x@chu-demo.fr"),
                "serviceApplicatif",
                Map.of("structure", CHU, "environment", "PRODUCTION", "usage", "AUTH_CLI", "serviceApplicatif", "X",
                        "actorEmail", "nobody"), "actorEmail");
        for (Map.Entry<Map<String, String>, String> bad : cases.entrySet()) {
            HttpResponse<String> refused = personaClient("admin-chu").send(HttpRequest.newBuilder(URI.create(https("/api/v1/est/tokens")))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            JSON.writeValueAsString(bad.getKey()))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(bad.getValue()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(refused.body()).contains(bad.getValue());
        }
        assertThat(jdbc.sql("select count(*) from est_token").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void csrattrsAnswersNoContentAndTheTestLabelEnrollsFromTheTestHierarchy() throws Exception {
        Files.writeString(dir.resolve("root.pem"),
                CertificateFormats.pem(authorities.ca(Environment.PRODUCTION, CaRole.ROOT).certificate()));
        assertThat(curl("attrs.txt", enrollUrl("csrattrs"))).isEqualTo(204);
        assertThat(curl("attrs-test.txt", https("/.well-known/est/test-org-auth-cli/csrattrs"))).isEqualTo(204);
        assertThat(curl("attrs-none.txt", https("/.well-known/est/test-no-such/csrattrs"))).isEqualTo(404);
        // every profile has its two labels, <profile> and test-<profile> in lower case with dashes (and serv-ssl is
        // the short alias of serv-ssl-serveur); upper case or underscores are not labels
        HttpClient anyone = client();
        for (org.openigc.ca.ProfileId profile : org.openigc.ca.ProfileId.values()) {
            String label = profile.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            assertThat(getString(anyone, https("/.well-known/est/" + label + "/cacerts")).statusCode()).as(label).isEqualTo(200);
            assertThat(getString(anyone, https("/.well-known/est/test-" + label + "/cacerts")).statusCode()).as(label).isEqualTo(200);
        }
        for (String label : List.of("serv-ssl", "test-serv-ssl")) {
            assertThat(getString(anyone, https("/.well-known/est/" + label + "/cacerts")).statusCode()).as(label).isEqualTo(200);
        }
        for (String label : List.of("ORG-AUTH-CLI", "org_auth_cli", "prod-org-auth-cli", "test-", "serv-ssl-client")) {
            assertThat(getString(anyone, https("/.well-known/est/" + label + "/cacerts")).statusCode()).as(label).isEqualTo(404);
        }

        String service = "EST TEST " + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        HttpResponse<String> created = personaClient("admin-chu").send(HttpRequest.newBuilder(URI.create(https("/api/v1/est/tokens")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("structure", CHU, "environment", "TEST", "usage", "AUTH_CLI", "serviceApplicatif", service,
                                "actorEmail", "est-test@chu-demo.fr")))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode json = JSON.readTree(created.body());
        assertThat(json.get("label").asText()).isEqualTo("test-org-auth-cli");
        String token = json.get("token").asText();
        csr("t");
        // a TEST token is refused by the PRODUCTION label
        assertThat(curl("t0.txt", "--data-binary", "@t.b64", "-H", "Content-Type: application/pkcs10", "-u", ":" + token,
                enrollUrl("simpleenroll"))).isEqualTo(401);
        String testEst = https("/.well-known/est/test-org-auth-cli/");
        assertThat(curl("tca.b64", testEst + "cacerts")).isEqualTo(200);
        openssl("base64", "-d", "-in", "tca.b64", "-out", "tca.der");
        assertThat(openssl("pkcs7", "-inform", "DER", "-in", "tca.der", "-print_certs", "-noout")).contains("TEST");
        assertThat(curl("t.p7.b64", "--data-binary", "@t.b64", "-H", "Content-Type: application/pkcs10", "-u", ":" + token,
                testEst + "simpleenroll")).as(Files.readString(dir.resolve("t.p7.b64"))).isEqualTo(200);
        String issued = certificateOf("t.p7.b64", "t.pem");
        assertThat(issued).contains("CN = " + service);
        Map<String, Object> row = row(issued);
        assertThat(row.get("channel")).isEqualTo("EST");
        assertThat(jdbc.sql("select environment from certificate where id = :id").param("id", row.get("id"))
                .query(String.class).single()).isEqualTo("TEST");
    }

    private HttpResponse<String> getJson(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(https(path))).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(https(path))).header("Accept", "application/json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tokensAreListedAndRevokedByTheStructuresAdministratorsOnly() throws Exception {
        String token = token("EST LIST " + UUID.randomUUID().toString().substring(0, 6), "AUTH_CLI");
        String id = jdbc.sql("select id from est_token where token_sha256 = :h").param("h", EstTokens.sha256(token))
                .query(String.class).single();
        HttpClient chu = personaClient("admin-chu");
        HttpClient other = personaClient("admin-other");

        HttpResponse<String> listed = getJson(chu, "/api/v1/est/tokens?structure=" + CHU);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(listed.body()).contains(id).doesNotContain(token);
        JsonNode mine = null;
        for (JsonNode item : JSON.readTree(listed.body())) {
            if (id.equals(item.get("id").asText())) {
                mine = item;
            }
        }
        assertThat(mine).isNotNull();
        assertThat(mine.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(mine.get("label").asText()).isEqualTo("org-auth-cli");

        // admin-other manages the clinic, not the CHU: not found, nothing changed
        assertThat(getJson(other, "/api/v1/est/tokens?structure=" + CHU).statusCode()).isEqualTo(404);
        assertThat(post(other, "/api/v1/est/tokens/" + id + "/revocation").statusCode()).isEqualTo(404);
        assertThat(post(chu, "/api/v1/est/tokens/not-a-uuid/revocation").statusCode()).isEqualTo(404);
        assertThat(getJson(chu, "/api/v1/est/tokens").statusCode()).isEqualTo(400);
        assertThat(jdbc.sql("select revoked_at is null from est_token where id = :id::uuid").param("id", id)
                .query(Boolean.class).single()).isTrue();

        HttpResponse<String> revoked = post(chu, "/api/v1/est/tokens/" + id + "/revocation");
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(JSON.readTree(revoked.body()).get("status").asText()).isEqualTo("REVOKED");
        // a revoked token enrolls nothing
        Files.writeString(dir.resolve("root.pem"),
                CertificateFormats.pem(authorities.ca(Environment.PRODUCTION, CaRole.ROOT).certificate()));
        csr("r");
        assertThat(curl("r.txt", "--data-binary", "@r.b64", "-H", "Content-Type: application/pkcs10", "-u", ":" + token,
                enrollUrl("simpleenroll"))).isEqualTo(401);
    }
}
