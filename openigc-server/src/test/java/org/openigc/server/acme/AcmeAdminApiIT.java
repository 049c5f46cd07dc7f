package org.openigc.server.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The administrator's API for EAB credentials and ACME accounts: listing, revocation, deactivation, per structure. */
class AcmeAdminApiIT extends ServerTestSupport {
    private static final String CHU = "1750712184";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcClient jdbc;

    private static HttpResponse<String> getJson(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(https(path))).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient client, String path, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(https(path))).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode find(JsonNode list, String field, String value) {
        for (JsonNode item : list) {
            if (value.equals(item.get(field).asText())) {
                return item;
            }
        }
        throw new AssertionError(value + " not in " + list);
    }

    @Test
    void credentialsAndAccountsAreListedRevokedAndDeactivatedOnlyByTheStructuresAdministrators() throws Exception {
        HttpClient chu = personaClient("admin-chu");
        HttpClient other = personaClient("admin-other");
        JsonNode unused = JSON.readTree(post(chu, "/api/v1/acme/eab-credentials",
                "{\"structure\":\"" + CHU + "\",\"environment\":\"PRODUCTION\"}").body());
        JsonNode bound = JSON.readTree(post(chu, "/api/v1/acme/eab-credentials",
                "{\"structure\":\"" + CHU + "\",\"environment\":\"PRODUCTION\"}").body());
        AcmeClient acme = new AcmeClient(client(), https("/acme/serv-ssl-serveur"));
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        HttpResponse<String> created = acme.newAccount(key, bound.get("kid").asText(),
                Base64URL.from(bound.get("hmacKey").asText()).decode());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String accountUrl = created.headers().firstValue("Location").orElseThrow();
        String accountId = accountUrl.substring(accountUrl.lastIndexOf('/') + 1);

        HttpResponse<String> listed = getJson(chu, "/api/v1/acme/eab-credentials?structure=" + CHU);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(unused.get("hmacKey").asText(), bound.get("hmacKey").asText());
        JsonNode credentials = JSON.readTree(listed.body());
        assertThat(find(credentials, "kid", unused.get("kid").asText()).get("status").asText()).isEqualTo("UNUSED");
        assertThat(find(credentials, "kid", bound.get("kid").asText()).get("accountId").asText()).isEqualTo(accountId);
        JsonNode accounts = JSON.readTree(getJson(chu, "/api/v1/acme/accounts?structure=" + CHU).body());
        JsonNode account = find(accounts, "id", accountId);
        assertThat(account.get("status").asText()).isEqualTo("valid");
        assertThat(account.get("contact").asText()).isEqualTo("mailto:ops@chu-demo.fr");

        // another structure's administrator sees none of it and can change nothing: 404 everywhere
        assertThat(getJson(other, "/api/v1/acme/eab-credentials?structure=" + CHU).statusCode()).isEqualTo(404);
        assertThat(getJson(other, "/api/v1/acme/accounts?structure=" + CHU).statusCode()).isEqualTo(404);
        assertThat(post(other, "/api/v1/acme/eab-credentials/" + unused.get("kid").asText() + "/revocation", "{}")
                .statusCode()).isEqualTo(404);
        assertThat(post(other, "/api/v1/acme/accounts/" + accountId + "/deactivation", "{}").statusCode()).isEqualTo(404);
        assertThat(post(chu, "/api/v1/acme/accounts/not-a-uuid/deactivation", "{}").statusCode()).isEqualTo(404);
        assertThat(getJson(chu, "/api/v1/acme/accounts").statusCode()).isEqualTo(400);

        // revocation: the unused credential can no longer create an account
        HttpResponse<String> revoked = post(chu, "/api/v1/acme/eab-credentials/" + unused.get("kid").asText() + "/revocation", "{}");
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(JSON.readTree(revoked.body()).get("status").asText()).isEqualTo("REVOKED");
        HttpResponse<String> refused = acme.newAccount(new ECKeyGenerator(Curve.P_256).generate(), unused.get("kid").asText(),
                Base64URL.from(unused.get("hmacKey").asText()).decode());
        assertThat(refused.statusCode()).isEqualTo(403);

        // deactivation by the administrator: the account can no longer order
        assertThat(acme.newOrder(key, accountUrl, "www.chu-demo.fr").statusCode()).isEqualTo(201);
        HttpResponse<String> deactivated = post(chu, "/api/v1/acme/accounts/" + accountId + "/deactivation", "{}");
        assertThat(deactivated.statusCode()).as(deactivated.body()).isEqualTo(200);
        assertThat(JSON.readTree(deactivated.body()).get("status").asText()).isEqualTo("deactivated");
        HttpResponse<String> blocked = acme.newOrder(key, accountUrl, "www.chu-demo.fr");
        assertThat(blocked.statusCode()).isEqualTo(403);
        assertThat(blocked.body()).contains("deactivated");
    }

    private static HttpResponse<String> form(HttpClient client, String path, Map<String, String> fields) throws Exception {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return client.send(HttpRequest.newBuilder(URI.create(https(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The row of this account in the page's table of ACME accounts. */
    private static String accountRow(String html, String accountId) {
        Matcher row = Pattern.compile("(?s)<tr data-id=\"" + accountId + "\">(.*?)</tr>").matcher(html);
        assertThat(row.find()).as("row of account " + accountId).isTrue();
        return row.group(1);
    }

    @Test
    void theAutomationPageListsTheStructuresAccountsAndDeactivatesOneWithItsCsrfToken() throws Exception {
        HttpClient chu = client(persona("admin-chu"), DEMO_PASSWORD, new CookieManager());
        HttpClient other = client(persona("admin-other"), DEMO_PASSWORD, new CookieManager());
        JsonNode credential = JSON.readTree(post(personaClient("admin-chu"), "/api/v1/acme/eab-credentials",
                "{\"structure\":\"" + CHU + "\",\"environment\":\"PRODUCTION\"}").body());
        AcmeClient acme = new AcmeClient(client(), https("/acme/serv-ssl-serveur"));
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        HttpResponse<String> created = acme.newAccount(key, credential.get("kid").asText(),
                Base64URL.from(credential.get("hmacKey").asText()).decode());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String accountUrl = created.headers().firstValue("Location").orElseThrow();
        String accountId = accountUrl.substring(accountUrl.lastIndexOf('/') + 1);

        HttpResponse<String> page = getString(chu, https("/app/automation?structure=" + CHU));
        assertThat(page.statusCode()).isEqualTo(200);
        String row = accountRow(page.body(), accountId);
        assertThat(row).contains("mailto:ops@chu-demo.fr", "PRODUCTION", ">0<", "Actif", "/app/automation/acme-accounts/"
                + accountId + "/deactivation");
        String csrf = csrfToken(page.body());
        String deactivation = "/app/automation/acme-accounts/" + accountId + "/deactivation";

        // without the CSRF token, or by another structure's administrator: refused, the account stays valid
        assertThat(form(chu, deactivation, Map.of("structure", CHU)).statusCode()).isEqualTo(403);
        String otherCsrf = csrfToken(getString(other, https("/app/automation")).body());
        assertThat(form(other, deactivation, Map.of("_csrf", otherCsrf, "structure", CHU)).statusCode()).isEqualTo(404);
        assertThat(getString(other, https("/app/automation?structure=" + CHU)).statusCode()).isEqualTo(404);
        assertThat(jdbc.sql("select status from acme_account where id = :id::uuid").param("id", accountId)
                .query(String.class).single()).isEqualTo("valid");

        HttpResponse<String> done = form(chu, deactivation, Map.of("_csrf", csrf, "structure", CHU));
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(jdbc.sql("select status from acme_account where id = :id::uuid").param("id", accountId)
                .query(String.class).single()).isEqualTo("deactivated");
        assertThat(accountRow(getString(chu, https("/app/automation?structure=" + CHU)).body(), accountId))
                .contains("Désactivé").doesNotContain("/deactivation");
        assertThat(acme.newOrder(key, accountUrl, "www.chu-demo.fr").statusCode()).isEqualTo(403);
    }

    @Test
    void badCredentialRequestsAreProblemsNamingTheFieldAndCreateNothing() throws Exception {
        HttpClient chu = personaClient("admin-chu");
        long before = jdbc.sql("select count(*) from acme_eab").query(Long.class).single();
        Map<String, String> cases = Map.of(
                "{\"structure\":\"" + CHU + "\",\"environment\":\"PROD\"}", "environment",
                "{\"environment\":\"PRODUCTION\"}", "structure",
                "{\"structure\":\"" + CHU + "\",\"environment\":\"PRODUCTION\",\"actorEmail\":\"not-an-email\"}", "actorEmail");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            HttpResponse<String> refused = post(chu, "/api/v1/acme/eab-credentials", bad.getKey());
            assertThat(refused.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(refused.body()).contains(bad.getValue());
        }
        // another structure's administrator (admin-other manages the clinic): refused
        HttpResponse<String> foreign = post(personaClient("admin-other"), "/api/v1/acme/eab-credentials",
                "{\"structure\":\"" + CHU + "\",\"environment\":\"PRODUCTION\"}");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("urn:ietf:params:acme:error:unauthorized");
        assertThat(jdbc.sql("select count(*) from acme_eab").query(Long.class).single()).isEqualTo(before);

        // a blank actorEmail (the page's empty field) is no address: nothing stored
        JsonNode blank = JSON.readTree(post(chu, "/api/v1/acme/eab-credentials",
                "{\"structure\":\"" + CHU + "\",\"environment\":\"PRODUCTION\",\"actorEmail\":\" \"}").body());
        assertThat(jdbc.sql("select actor_email is null from acme_eab where kid = :k").param("k", blank.get("kid").asText())
                .query(Boolean.class).single()).isTrue();
    }

    @Test
    void theOpenApiDocumentDescribesTheAutomationEndpoints() throws Exception {
        HttpResponse<String> docs = getJson(personaClient("admin-chu"), "/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("/api/v1/est/tokens/{id}/revocation", "/api/v1/acme/eab-credentials/{kid}/revocation",
                "/api/v1/acme/accounts/{id}/deactivation", "/api/v1/acme/accounts", "Revoke an unused token");
    }
}
