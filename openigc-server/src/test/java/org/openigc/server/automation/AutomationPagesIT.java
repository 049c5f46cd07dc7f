package org.openigc.server.automation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The automation page: tokens and EAB credentials created and revoked, accounts listed, per structure, CSRF. */
class AutomationPagesIT extends ServerTestSupport {
    private static final String CHU = "1750712184";

    @Autowired
    JdbcClient jdbc;

    private HttpClient browser(String persona) {
        return client(persona(persona), DEMO_PASSWORD, new CookieManager());
    }

    private static HttpResponse<String> form(HttpClient client, String path, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send(client, HttpRequest.newBuilder(URI.create(https(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String group(String html, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(html);
        assertThat(matcher.find()).as(regex).isTrue();
        return matcher.group(1);
    }

    @Test
    void anAdministratorCreatesAndRevokesTokensAndCredentialsForTheirStructureOnly() {
        HttpClient chu = browser("admin-chu");
        HttpResponse<String> page = getString(chu, https("/app/automation?structure=" + CHU));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Jetons d&#39;enrôlement EST", "Identifiants ACME (EAB)", "Comptes ACME");
        String csrf = csrfToken(page.body());

        // without the CSRF token: refused, nothing created
        long tokens = jdbc.sql("select count(*) from est_token").query(Long.class).single();
        String service = "PAGE " + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        Map<String, String> fields = new LinkedHashMap<>(Map.of("structure", CHU, "environment", "PRODUCTION",
                "profile", "ORG_AUTH_CLI", "serviceApplicatif", service, "actorEmail", "page@chu-demo.fr"));
        assertThat(form(chu, "/app/automation/est-tokens", fields).statusCode()).isEqualTo(403);
        assertThat(jdbc.sql("select count(*) from est_token").query(Long.class).single()).isEqualTo(tokens);

        fields.put("_csrf", csrf);
        HttpResponse<String> created = form(chu, "/app/automation/est-tokens", fields);
        assertThat(created.statusCode()).isEqualTo(200);
        String token = group(created.body(), "id=\"token-value\">([^<]+)<");
        assertThat(created.body()).contains("/.well-known/est/org-auth-cli/simpleenroll", service);
        String tokenId = jdbc.sql("select id::text from est_token where service_applicatif = :s").param("s", service)
                .query(String.class).single();

        // a refused creation names the problem and writes nothing
        Map<String, String> bad = new LinkedHashMap<>(fields);
        bad.put("actorEmail", "not-an-email");
        HttpResponse<String> refused = form(chu, "/app/automation/est-tokens", bad);
        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(refused.body()).contains("id=\"token-error\"", "actorEmail");

        // ACME credential: kid and HMAC key shown once
        HttpResponse<String> credential = form(chu, "/app/automation/eab-credentials", Map.of("_csrf", csrf, "structure", CHU,
                "environment", "TEST", "actorEmail", ""));
        assertThat(credential.statusCode()).isEqualTo(200);
        String kid = group(credential.body(), "id=\"kid-value\">([^<]+)<");
        String hmac = group(credential.body(), "id=\"hmac-value\">([^<]+)<");
        assertThat(credential.body()).contains("/acme/test-serv-ssl-serveur/directory");
        HttpResponse<String> again = getString(chu, https("/app/automation?structure=" + CHU));
        assertThat(again.body()).contains(kid).doesNotContain(hmac).doesNotContain(token);

        // admin-other (the clinic's administrator) gets 404 for the CHU's page and objects, and changes nothing
        HttpClient other = browser("admin-other");
        HttpResponse<String> otherPage = getString(other, https("/app/automation"));
        assertThat(otherPage.statusCode()).isEqualTo(200);
        String otherCsrf = csrfToken(otherPage.body());
        assertThat(getString(other, https("/app/automation?structure=" + CHU)).statusCode()).isEqualTo(404);
        assertThat(form(other, "/app/automation/est-tokens/" + tokenId + "/revocation",
                Map.of("_csrf", otherCsrf, "structure", CHU)).statusCode()).isEqualTo(404);
        assertThat(form(other, "/app/automation/eab-credentials/" + kid + "/revocation",
                Map.of("_csrf", otherCsrf, "structure", CHU)).statusCode()).isEqualTo(404);
        Map<String, String> foreign = new LinkedHashMap<>(fields);
        foreign.put("_csrf", otherCsrf);
        foreign.put("serviceApplicatif", service + " X");
        assertThat(form(other, "/app/automation/est-tokens", foreign).statusCode()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from est_token where service_applicatif = :s").param("s", service + " X")
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from est_token where id = :id::uuid and revoked_at is null").param("id", tokenId)
                .query(Long.class).single()).isEqualTo(1);

        // revocations by the CHU's administrator
        HttpResponse<String> revoked = form(chu, "/app/automation/est-tokens/" + tokenId + "/revocation",
                Map.of("_csrf", csrf, "structure", CHU));
        assertThat(revoked.statusCode()).isEqualTo(302);
        HttpResponse<String> after = getString(chu, https("/app/automation?structure=" + CHU));
        assertThat(after.body()).contains("Le jeton a été révoqué.");
        assertThat(jdbc.sql("select count(*) from est_token where id = :id::uuid and revoked_at is not null").param("id", tokenId)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(form(chu, "/app/automation/eab-credentials/" + kid + "/revocation", Map.of("_csrf", csrf, "structure", CHU))
                .statusCode()).isEqualTo(302);
        assertThat(jdbc.sql("select count(*) from acme_eab where kid = :k and revoked_at is not null").param("k", kid)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void trackingAndDetailShowTheIssuingChannel() throws Exception {
        String service = "CANAL " + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String body = "{\"environment\":\"PRODUCTION\",\"offer\":\"ORG\",\"usage\":\"SIGN\",\"structure\":\"" + CHU
                + "\",\"serviceApplicatif\":\"" + service + "\",\"actorEmail\":\"canal@chu-demo.fr\",\"termsAccepted\":true,"
                + "\"revocationCode\":\"code-secret-42\",\"generateKey\":{\"algorithm\":\"EC_P256\",\"password\":\"un-mot-de-passe-long\"}}";
        HttpResponse<String> ordered = personaClient("admin-chu").send(HttpRequest.newBuilder(URI.create(https("/api/v1/certificates")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ordered.statusCode()).as(ordered.body()).isEqualTo(201);
        String id = jdbc.sql("select id::text from certificate where service_applicatif = :s").param("s", service)
                .query(String.class).single();
        assertThat(jdbc.sql("select channel from certificate where id = :id::uuid").param("id", id).query(String.class).single())
                .isEqualTo("API");

        HttpClient chu = browser("admin-chu");
        HttpResponse<String> tracking = getString(chu, https("/app/certificates?q=" + URLEncoder.encode(service, StandardCharsets.UTF_8)));
        assertThat(tracking.statusCode()).isEqualTo(200);
        assertThat(tracking.body()).contains(">Canal</th>", "<td class=\"channel\">API</td>");
        HttpResponse<String> detail = getString(chu, https("/app/certificates/" + id));
        assertThat(detail.body()).contains("id=\"channel\">API<");
    }
}
