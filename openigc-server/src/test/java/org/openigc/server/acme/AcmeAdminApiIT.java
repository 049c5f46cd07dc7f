package org.openigc.server.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The administrator's API for EAB credentials and ACME accounts: listing, revocation, deactivation, per structure. */
class AcmeAdminApiIT extends ServerTestSupport {
    private static final String CHU = "1750712184";
    private static final ObjectMapper JSON = new ObjectMapper();

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

    @Test
    void theOpenApiDocumentDescribesTheAutomationEndpoints() throws Exception {
        HttpResponse<String> docs = getJson(personaClient("admin-chu"), "/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(docs.body()).contains("/api/v1/est/tokens/{id}/revocation", "/api/v1/acme/eab-credentials/{kid}/revocation",
                "/api/v1/acme/accounts/{id}/deactivation", "/api/v1/acme/accounts", "Revoke an unused token");
    }
}
