package org.openigc.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pro Santé Connect login against a real OIDC provider (mock-oauth2-server) configured like PSC: the discovery
 * document is served at the non-standard {@code /.well-known/wallet-openid-configuration} (on another port), its
 * authorisation endpoint is on another host name (127.0.0.1) than the issuer (localhost).
 */
class ProSanteConnectLoginIT extends ServerTestSupport {
    static MockOAuth2Server provider;
    static HttpServer discovery;

    @Autowired
    JsonMapper json;

    @BeforeAll
    static void startProvider() throws Exception {
        provider = new MockOAuth2Server();
        provider.start();
        String issuer = provider.issuerUrl("psc").toString().replace("127.0.0.1", "localhost");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", provider.authorizationEndpointUrl("psc").toString().replace("localhost", "127.0.0.1"));
        metadata.put("token_endpoint", issuer.replaceAll("/$", "") + "/token");
        metadata.put("jwks_uri", issuer.replaceAll("/$", "") + "/jwks");
        metadata.put("userinfo_endpoint", issuer.replaceAll("/$", "") + "/userinfo");
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("id_token_signing_alg_values_supported", List.of("RS256"));
        byte[] document = JsonMapper.builder().build().writeValueAsBytes(metadata);
        discovery = HttpServer.create(new InetSocketAddress("127.0.0.1", OIDC_PORT), 0);
        discovery.createContext("/psc/.well-known/wallet-openid-configuration", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, document.length);
            exchange.getResponseBody().write(document);
            exchange.close();
        });
        discovery.start();
    }

    @AfterAll
    static void stopProvider() {
        if (discovery != null) {
            discovery.stop(0);
        }
        if (provider != null) {
            provider.shutdown();
        }
    }

    @Test
    void theAuthorisationRequestAsksEidas1WithPkceS256OnTheOtherHost() {
        HttpClient browser = client(null, null, new CookieManager());
        HttpResponse<String> start = getString(browser, https("/oauth2/authorization/psc"));
        assertThat(start.statusCode()).isEqualTo(302);
        String location = start.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(provider.authorizationEndpointUrl("psc").toString().replace("localhost", "127.0.0.1"));
        Map<String, String> query = query(URI.create(location));
        assertThat(query).containsEntry("acr_values", "eidas1").containsEntry("scope", "openid scope_all")
                .containsEntry("code_challenge_method", "S256").containsEntry("client_id", OIDC_CLIENT_ID)
                .containsEntry("response_type", "code").containsKeys("code_challenge", "state", "nonce");
        assertThat(query.get("redirect_uri")).endsWith("/login/oauth2/code/psc");
    }

    @Test
    void aFullLoginMapsSubjectNameIdToThePersonWithoutCardLogin() {
        Map<String, Object> me = login("3750712184/INF001", "eidas1");
        assertThat(me).containsEntry("idNatPS", "3750712184/INF001").containsEntry("name", "Antoine ADMIN")
                .containsEntry("cardLogin", false);
        assertThat((List<String>) me.get("roles")).contains("TECHNICAL_ADMINISTRATOR");
    }

    @Test
    void anUnknownPersonOrAWeakAssuranceLevelIsRefused() {
        assertThat(loginLocation("899999999999", "eidas1")).contains("/login?error");
        assertThat(loginLocation("3750712184/INF001", "eidas0")).contains("/login?error");
    }

    private Map<String, Object> login(String idNatPs, String acr) {
        HttpClient browser = client(null, null, new CookieManager());
        String location = callback(browser, idNatPs, acr);
        assertThat(location).endsWith("/app");
        HttpResponse<String> me = getString(browser, https("/api/v1/me"));
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        return json.readValue(me.body(), Map.class);
    }

    private String loginLocation(String idNatPs, String acr) {
        return callback(client(null, null, new CookieManager()), idNatPs, acr);
    }

    /** Starts the login, lets the provider answer with a code, and returns where the platform sends the browser. */
    private String callback(HttpClient browser, String idNatPs, String acr) {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("psc", "sub-" + idNatPs, "JWT", List.of(OIDC_CLIENT_ID),
                Map.of("SubjectNameID", idNatPs, "acr", acr, "given_name", "X", "family_name", "Y"), 3600));
        String authorize = getString(browser, https("/oauth2/authorization/psc")).headers().firstValue("Location").orElseThrow();
        HttpResponse<String> code = getString(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(), authorize);
        assertThat(code.statusCode()).as(code.body()).isEqualTo(302);
        String redirect = code.headers().firstValue("Location").orElseThrow();
        assertThat(redirect).contains("code=");
        HttpResponse<String> done = getString(browser, redirect);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(302);
        return done.headers().firstValue("Location").orElseThrow();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }
}
