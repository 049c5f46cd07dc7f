package org.openigc.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/** Security defaults over real HTTPS: headers, CSRF rules, API errors as problems, the persona picker. */
class WebSecurityIT extends ServerTestSupport {
    @Autowired
    JsonMapper json;

    @Test
    void pagesCarryHstsAStrictCspAndTheDefaultHeaders() {
        HttpResponse<String> home = getString(client(), https("/"));
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.headers().firstValue("Strict-Transport-Security").orElse("")).contains("max-age=31536000")
                .contains("includeSubDomains");
        assertThat(home.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("default-src 'self'").contains("script-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(home.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(home.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(home.body()).contains("OpenIGC").contains("Carte CPx").contains("Pro Santé Connect")
                .contains("DÉMONSTRATION").contains("/ca/prod-root.crt").contains("/crl/prod-root.crl");
    }

    @Test
    void aCrossSiteStyleFormPostIsRefusedEvenWithACardButAJsonApiCallIsNotACsrfCase() {
        HttpClient card = personaClient("admin-chu");
        // What a forged cross-site form could send: form-encoded or text/plain, the card presented by the browser.
        for (String type : new String[] {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"}) {
            HttpResponse<String> forged = send(card, HttpRequest.newBuilder(URI.create(https("/api/v1/structures")))
                    .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(forged.statusCode()).as(type).isEqualTo(403);
            assertThat(forged.body()).contains("csrf.invalid");
        }
        HttpResponse<String> noBody = send(card, HttpRequest.newBuilder(URI.create(https("/api/v1/structures")))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(noBody.statusCode()).as("no content type at all").isEqualTo(403);
        HttpResponse<String> jsonCall = send(card, HttpRequest.newBuilder(URI.create(https("/api/v1/structures")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(jsonCall.statusCode()).as("past CSRF: GET-only endpoint").isEqualTo(405);
        assertThat(jsonCall.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    @Test
    void oversizedBodiesAnswer413AndUnknownApiPaths404AsProblems() {
        HttpClient card = personaClient("admin-chu");
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(tenMegabytes, (byte) ' ');
        HttpResponse<String> tooLarge = send(card, HttpRequest.newBuilder(URI.create(https("/api/v1/structures")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(tenMegabytes)).build());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("body.tooLarge");
        HttpResponse<String> unknown = getString(card, https("/api/v1/nothing-here"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(unknown.body()).doesNotContain("Exception").doesNotContain("at org.");
    }

    @Test
    void aForbiddenApiCallIsA403Problem() {
        HttpResponse<String> response = getString(personaClient("admin-chu"), https("/app/registry/structures"));
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void thePersonaPickerLogsInAsIfByCardWithTheCsrfToken() {
        HttpClient browser = client(null, null, new CookieManager());
        HttpResponse<String> picker = getString(browser, https("/demo/personas"));
        assertThat(picker.statusCode()).isEqualTo(200);
        assertThat(picker.body()).contains("DÉMONSTRATION").contains("admin-chu").contains("referent-idf");
        String token = csrfToken(picker.body());
        HttpResponse<String> withoutToken = send(browser, HttpRequest.newBuilder(URI.create(https("/demo/personas/legal-chu")))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        HttpResponse<String> login = send(browser, HttpRequest.newBuilder(URI.create(https("/demo/personas/legal-chu")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + token)).build());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElse("")).endsWith("/app");
        Map<String, Object> me = json.readValue(getString(browser, https("/api/v1/me")).body(), Map.class);
        assertThat(me).containsEntry("idNatPS", "3750712184/DIR001").containsEntry("cardLogin", true);
        HttpResponse<String> dashboard = getString(browser, https("/app"));
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("Louise LEGRAND").contains("CHU DEMO").contains("représentant légal");
    }
}
