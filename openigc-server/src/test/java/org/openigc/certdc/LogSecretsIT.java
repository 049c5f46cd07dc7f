package org.openigc.certdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openigc.ca.Environment;
import tools.jackson.databind.JsonNode;

/**
 * Runs last in the server module's test JVM (see junit-platform.properties) and searches everything the platform
 * logged during the whole run (ServerTestSupport sends it to {@link #LOG_FILE} too) for the secrets and patient data
 * the tests used: the card password "demo" next to a password word, the CA key store password, the CertDC data
 * key, the OIDC client secret, EAB HMAC keys and EST tokens, revocation codes, CertDC patient names and ids.
 * It first makes each kind of secret once itself, so that a secret logged by any of these paths is found.
 */
@Order(Integer.MAX_VALUE)
class LogSecretsIT extends CertDcTestSupport {
    private static final String CHU = "1750712184";

    @Test
    void theLogsOfTheWholeRunHoldNoSecretAndNoPatientData() throws Exception {
        Map<String, String> secrets = new LinkedHashMap<>();
        HttpClient admin = personaClient("admin-chu");

        JsonNode eab = json(post(admin, "/api/v1/acme/eab-credentials", Map.of("structure", CHU, "environment", "PRODUCTION")));
        secrets.put("EAB HMAC key", eab.get("hmacKey").asString());
        JsonNode est = json(post(admin, "/api/v1/est/tokens", Map.of("structure", CHU, "environment", "PRODUCTION",
                "usage", "AUTH_CLI", "serviceApplicatif", "LOGS EST", "actorEmail", "logs-est@chu-demo.fr")));
        secrets.put("EST token", est.get("token").asString());

        String revocationCode = "code-journal-" + UUID.randomUUID();
        String p12Password = "mot-de-passe-du-p12-" + UUID.randomUUID();
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("environment", "PRODUCTION");
        order.put("offer", "ORG");
        order.put("usage", "AUTH_CLI");
        order.put("structure", CHU);
        order.put("serviceApplicatif", "LOGS " + UUID.randomUUID().toString().substring(0, 6).toUpperCase());
        order.put("actorEmail", "logs-" + UUID.randomUUID().toString().substring(0, 8) + "@chu-demo.fr");
        order.put("generateKey", Map.of("algorithm", "EC_P256", "password", p12Password));
        order.put("termsAccepted", true);
        order.put("revocationCode", revocationCode);
        HttpResponse<String> ordered = post(admin, "/api/v1/certificates", order);
        assertThat(ordered.statusCode()).as(ordered.body()).isEqualTo(201);
        secrets.put("PKCS#12 password", p12Password);
        HttpResponse<String> revoked = post(client(), "/api/v1/revocations", Map.of("serialNumber",
                json(ordered).get("serialNumber").asString(), "revocationCode", revocationCode, "reason", "superseded"));
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        secrets.put("revocation code", revocationCode);
        for (String code : List.of("code-secret-42", "code-secret-43", "code-matrice-42", "code-ui-secret-1",
                "code-navigateur-1", "code-renouvellement", "mon-code-public-9", "mon-code-de-revocation")) {
            secrets.put("revocation code of a test (" + code + ")", code);
        }

        String ipp = newIpp();
        HttpResponse<String> deposited = deposit(mtls(orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE)),
                depositJson("750100018", ipp, "QUINTANILLE", "Zéphyrine Anatole"), null);
        assertThat(deposited.statusCode()).as(deposited.body()).isEqualTo(201);
        secrets.put("patient birth name", "QUINTANILLE");
        secrets.put("patient first names", "Zéphyrine Anatole");
        secrets.put("patient first names of other tests", "Jeanne Marie");
        secrets.put("patient IPP", ipp);

        secrets.put("CA key store password", Files.readString(DATA_DIR.resolve("secrets").resolve("ca-password")).strip());
        secrets.put("CertDC data key", Files.readString(DATA_DIR.resolve("secrets").resolve("certdc-data.key")).strip());
        secrets.put("OIDC client secret", "test-secret");
        secrets.put("CertDC demo SI manager password", "Demo-SI-manager-1");
        secrets.put("CertDC demo admin password", "Demo-CertDC-admin-1");
        secrets.put("CertDC demo doctor password", "Demo-Docteur-1");

        Thread.sleep(1500); // what these calls logged on other threads (outbox, audit) reaches the file
        assertThat(LOG_FILE).exists();
        String logs = Files.readString(LOG_FILE, StandardCharsets.UTF_8);
        assertThat(logs.lines().count()).as("the log file holds the whole run").isGreaterThan(50);
        assertThat(logs).as("the calls above were logged (the file is live)").contains("event=");

        List<String> found = new ArrayList<>();
        secrets.forEach((what, value) -> {
            if (logs.contains(value)) {
                found.add(what + ": " + excerpt(logs, value));
            }
        });
        Matcher demoPassword = Pattern.compile("(?i)(pass(word|wd)?|pwd|secret|storepass)\\W{0,3}demo\\b").matcher(logs);
        while (demoPassword.find()) {
            found.add("card password \"demo\": " + excerpt(logs, demoPassword.group()));
        }
        assertThat(found).as("secrets or patient data in " + LOG_FILE).isEmpty();
    }

    private static String excerpt(String logs, String value) {
        int at = logs.indexOf(value);
        return logs.substring(Math.max(0, at - 120), Math.min(logs.length(), at + value.length() + 40)).replace('\n', ' ');
    }

    private static HttpResponse<String> post(HttpClient client, String path, Object body) {
        return send(client, HttpRequest.newBuilder(URI.create(https(path))).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
    }
}
