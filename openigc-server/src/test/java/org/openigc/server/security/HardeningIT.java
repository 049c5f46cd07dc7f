package org.openigc.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * The hardening checklist of docs/reliability.md, item by item, over real HTTPS: security headers, CSRF on every
 * form and every form endpoint, the public revocation's rate limit, request size limits, no stack trace to
 * clients, no secret in the shipped configuration. TLS versions and suites: {@code TlsHardeningIT}; logs:
 * {@code LogSecretsIT}.
 */
class HardeningIT extends ServerTestSupport {
    /** Exempt from CSRF by design (own authentication or no session authority), see SecurityConfiguration. */
    private static final List<String> CSRF_EXEMPT = List.of("/ocsp", "/.well-known/est/", "/acme/",
            "/api/v1/revocations", "/api/v1/verification", "/certdc/ws/");
    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>.*?</form>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern POST = Pattern.compile("method=\"post\"", Pattern.CASE_INSENSITIVE);

    @Autowired
    List<RequestMappingInfoHandlerMapping> handlerMappings;

    private Set<String> mappings(RequestMethod... methods) {
        Set<String> found = new TreeSet<>();
        Set<RequestMethod> wanted = Set.of(methods);
        for (RequestMappingInfoHandlerMapping mapping : handlerMappings) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> declared = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    for (RequestMethod method : declared.isEmpty() ? Set.of(RequestMethod.GET) : declared) {
                        if (wanted.contains(method)) {
                            found.add(method.name() + " " + pattern);
                        }
                    }
                }
            }
        }
        return found;
    }

    private HttpClient session(String persona) {
        return persona == null ? client(null, null, new CookieManager())
                : client(persona(persona), DEMO_PASSWORD, new CookieManager());
    }

    @Test
    void everyKindOfAnswerCarriesTheSecurityHeaders() {
        HttpClient admin = personaClient("admin-chu");
        for (HttpResponse<String> response : List.of(getString(client(), https("/")),
                getString(client(), https("/revocation")), getString(admin, https("/api/v1/me")),
                getString(client(), https("/api/v1/nothing")), getString(client(), https("/certdc/login")))) {
            String where = response.uri().toString();
            assertThat(response.headers().firstValue("Strict-Transport-Security").orElse("")).as(where)
                    .contains("max-age=31536000");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(where).hasValue("nosniff");
            assertThat(response.headers().firstValue("X-Frame-Options")).as(where).hasValue("DENY");
            assertThat(response.headers().firstValue("Referrer-Policy").orElse("")).as(where).isIn("same-origin", "no-referrer");
            assertThat(response.headers().firstValue("Content-Security-Policy").orElse("")).as(where)
                    .contains("default-src").contains("frame-ancestors 'none'").doesNotContain("unsafe-inline");
        }
    }

    @Test
    void everyPostFormOfEveryPageCarriesACsrfToken() {
        int pages = 0;
        int forms = 0;
        List<String> missing = new ArrayList<>();
        for (String persona : Arrays.asList(null, "operator", "legal-chu", "admin-chu", "auditor", "referent-idf", "doctor")) {
            HttpClient browser = session(persona);
            for (String endpoint : mappings(RequestMethod.GET)) {
                String path = endpoint.substring(4);
                if (path.contains("{") || path.contains("*") || path.startsWith("/api/") || path.startsWith("/acme/")
                        || path.startsWith("/.well-known/") || path.startsWith("/actuator") || path.startsWith("/v3/")) {
                    continue;
                }
                HttpResponse<String> page = send(browser, HttpRequest.newBuilder(URI.create(https(path)))
                        .header("Accept", "text/html").GET().build());
                if (page.statusCode() != 200 || !page.headers().firstValue("Content-Type").orElse("").startsWith("text/html")) {
                    continue;
                }
                pages++;
                Matcher form = FORM.matcher(page.body());
                while (form.find()) {
                    String html = form.group();
                    if (POST.matcher(html.substring(0, html.indexOf('>'))).find()) {
                        forms++;
                        if (!html.contains("name=\"_csrf\"")) {
                            missing.add((persona == null ? "anonymous" : persona) + " " + path + ": "
                                    + html.substring(0, html.indexOf('>') + 1));
                        }
                    }
                }
            }
        }
        assertThat(missing).as("POST forms without a CSRF token").isEmpty();
        assertThat(pages).isGreaterThan(30);
        assertThat(forms).isGreaterThan(20);
    }

    @Test
    void everyFormEndpointRefusesAPostWithoutTheToken() {
        HttpClient admin = session("admin-chu");
        getString(admin, https("/app"));
        HttpClient anonymous = session(null);
        int checked = 0;
        for (String endpoint : mappings(RequestMethod.POST, RequestMethod.PUT)) {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1).replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            if (CSRF_EXEMPT.stream().anyMatch(path::startsWith)) {
                continue;
            }
            for (HttpClient client : List.of(admin, anonymous)) {
                HttpResponse<String> response = send(client, HttpRequest.newBuilder(URI.create(https(path)))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .method(method, HttpRequest.BodyPublishers.ofString("field=value")).build());
                assertThat(response.statusCode()).as(endpoint + " without a CSRF token").isEqualTo(403);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(80);
    }

    @Test
    void revocationByCodeIsRateLimitedPerSerial() {
        HttpClient anonymous = client();
        String serial = UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            statuses.add(send(anonymous, HttpRequest.newBuilder(URI.create(https("/api/v1/revocations")))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"serialNumber\":\"" + serial
                            + "\",\"revocationCode\":\"devine-moi-" + i + "\",\"reason\":\"keyCompromise\"}")).build())
                    .statusCode());
        }
        assertThat(statuses.subList(0, 5)).as("wrong codes").containsOnly(400);
        assertThat(statuses.get(5)).as("the sixth try within a minute").isEqualTo(429);
    }

    @Test
    void bodiesOverTwoMegabytesAre413ProblemsNever500() {
        byte[] justOver = new byte[2 * 1024 * 1024 + 1];
        Arrays.fill(justOver, (byte) 'a');
        HttpClient admin = personaClient("admin-chu");
        HttpResponse<String> json = send(admin, HttpRequest.newBuilder(URI.create(https("/api/v1/certificates")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(justOver)).build());
        assertThat(json.statusCode()).isEqualTo(413);
        assertThat(json.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        HttpResponse<String> form = send(client(), HttpRequest.newBuilder(URI.create(https("/revocation")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofByteArray(justOver)).build());
        assertThat(form.statusCode()).isEqualTo(413);
        HttpClient operator = session("operator");
        String token = csrfToken(getString(operator, https("/app/registry/import")).body());
        String boundary = "hardening" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + token + "\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> upload = send(operator, HttpRequest.newBuilder(URI.create(https("/app/registry/import")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, justOver, justOver, tail))).build());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(413);
    }

    @Test
    void malformedWrongTypedUnknownAndUnsupportedRequestsGetProblemsWithoutTraces() {
        HttpClient admin = personaClient("admin-chu");
        Map<String, HttpResponse<String>> answers = new java.util.LinkedHashMap<>();
        answers.put("malformed JSON", send(admin, json("/api/v1/certificates", "POST", "{\"environment\": ")));
        answers.put("wrong types", send(admin, json("/api/v1/certificates", "POST",
                "{\"environment\": [1], \"termsAccepted\": \"peut-être\", \"generateKey\": 12}")));
        answers.put("wrong type in a path", getString(admin, https("/api/v1/certificates/not-a-uuid")));
        answers.put("wrong type in a query", getString(admin, https("/api/v1/certificates?page=abc&size=-1")));
        answers.put("unknown API path", getString(admin, https("/api/v1/nothing/here")));
        answers.put("wrong method", send(admin, json("/api/v1/me", "DELETE", "")));
        answers.put("not JSON", send(admin, HttpRequest.newBuilder(URI.create(https("/api/v1/certificates")))
                .header("Content-Type", "application/xml").header("X-CSRF-Probe", "1")
                .POST(HttpRequest.BodyPublishers.ofString("<order/>")).build()));
        answers.put("malformed habilitation", send(personaClient("legal-chu"),
                json("/api/v1/habilitations", "POST", "{\"structure\": {\"finess\": {\"a\": 1}}, \"offers\": \"ORG\"}")));
        answers.put("malformed CertDC deposit from a card", send(admin, json("/certdc/ws/v1/deposits", "POST", "{")));
        for (var answer : answers.entrySet()) {
            HttpResponse<String> response = answer.getValue();
            assertThat(response.statusCode()).as(answer.getKey() + ": " + response.body()).isBetween(400, 499);
            assertThat(response.body()).as(answer.getKey()).doesNotContain("Exception").doesNotContain("\tat ")
                    .doesNotContain("at org.").doesNotContain("at java.").doesNotContain("tools.jackson");
            if (!answer.getKey().equals("not JSON")) {
                assertThat(response.headers().firstValue("Content-Type").orElse("")).as(answer.getKey())
                        .startsWith("application/problem+json");
            }
        }
        HttpResponse<String> wrongTypePage = getString(personaClient("admin-chu"), https("/app/certificates/not-a-uuid"));
        assertThat(wrongTypePage.statusCode()).isBetween(400, 404);
        assertThat(wrongTypePage.body()).doesNotContain("Exception").doesNotContain("at org.");
        HttpResponse<String> page = getString(client(), https("/app/nothing/here"));
        assertThat(page.statusCode()).isIn(302, 404);
        HttpResponse<String> unknownPage = getString(personaClient("admin-chu"), https("/app/nothing/here"));
        assertThat(unknownPage.statusCode()).isEqualTo(404);
        assertThat(unknownPage.body()).doesNotContain("Exception").doesNotContain("at org.");
    }

    private static HttpRequest json(String path, String method, String body) {
        return HttpRequest.newBuilder(URI.create(https(path))).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /** Secrets come from the environment or files: no shipped configuration file holds a password, key or secret. */
    @Test
    void noShippedConfigurationFileHoldsASecret() throws IOException {
        Pattern secret = Pattern.compile("(?i)^\\s*[\\w.\\[\\]\"-]*(password|secret|hmac|pin|private-key|api-key)[\\w\\[\\]\"-]*\\s*[:=]\\s*(.+)$");
        List<String> found = new ArrayList<>();
        Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath*:application*.*");
        assertThat(files).isNotEmpty();
        for (Resource file : files) {
            if (file.getURL().toString().contains("/test-classes/")) {
                continue;
            }
            try (InputStream in = file.getInputStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    Matcher matcher = secret.matcher(line);
                    if (matcher.find() && !matcher.group(2).strip().startsWith("${") && !matcher.group(2).strip().startsWith("#")) {
                        found.add(file.getFilename() + ": " + line.strip());
                    }
                }
            }
        }
        assertThat(found).as("literal secrets in shipped configuration").isEmpty();
    }
}
