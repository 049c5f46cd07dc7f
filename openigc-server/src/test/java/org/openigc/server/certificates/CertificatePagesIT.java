package org.openigc.server.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The certificates pages through a browser-like session (cookies, CSRF tokens, multipart upload), openssl as holder. */
class CertificatePagesIT extends ServerTestSupport {
    private static final String CHU = "1750712184";
    private static final Pattern LOCATION_ID = Pattern.compile("/app/certificates/([0-9a-f-]{36})$");

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

    private byte[] csrDer(String name) throws Exception {
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + ".key", "-out", name + ".der", "-outform", "DER", "-subj", "/CN=ignored");
        return Files.readAllBytes(dir.resolve(name + ".der"));
    }

    private String csrPem(String name) throws Exception {
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=ignored");
        return Files.readString(dir.resolve(name + ".csr"));
    }

    private HttpClient browser() {
        return client(persona("admin-chu"), DEMO_PASSWORD, new CookieManager());
    }

    private long certificates() {
        return jdbc.sql("select count(*) from certificate").query(Long.class).single();
    }

    private static Map<String, String> orderFields(String token, String service, String usage, String actor) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("_csrf", token);
        fields.put("offer", "ORG");
        fields.put("structure", CHU);
        fields.put("usage", usage);
        fields.put("environment", "PRODUCTION");
        fields.put("mode", "new");
        fields.put("serviceApplicatif", service);
        fields.put("actorEmail", actor);
        fields.put("ccEmail", "");
        fields.put("keyMode", "csr");
        fields.put("action", "review");
        return fields;
    }

    private static final Pattern REVIEW_PATH = Pattern.compile("^/app/certificates/new/review/[A-Za-z0-9_-]+$");

    /** Submits the wizard (the review step) and returns the path of the confirmation page it redirects to. */
    private static String review(HttpClient client, Map<String, String> fields, byte[] file) {
        HttpResponse<String> reviewed = multipart(client, "/app/certificates/new", fields, file);
        String path = location(reviewed).replaceFirst("^https?://[^/]+", "");
        assertThat(path).matches(REVIEW_PATH);
        return path;
    }

    /** Posts the confirmation page: the terms, the revocation code (and password) are given here. */
    private static HttpResponse<String> confirm(HttpClient client, String reviewPath, Map<String, String> secrets) {
        HttpResponse<String> recap = getString(client, https(reviewPath));
        assertThat(recap.statusCode()).isEqualTo(200);
        Map<String, String> fields = new LinkedHashMap<>(secrets);
        fields.put("_csrf", csrfToken(recap.body()));
        fields.put("action", "confirm");
        return form(client, reviewPath, fields);
    }

    private static Map<String, String> secrets(String code) {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("termsAccepted", "true");
        secrets.put("revocationCode", code);
        return secrets;
    }

    /** Wizard then confirmation, as a user who checks the recap and confirms. */
    private static HttpResponse<String> orderAndConfirm(HttpClient client, Map<String, String> fields, byte[] file) {
        return confirm(client, review(client, fields, file), secrets("code-ui-secret-1"));
    }

    /** A multipart/form-data POST as a browser sends the wizard, with an optional CSR file part. */
    private static HttpResponse<String> multipart(HttpClient client, String path, Map<String, String> fields,
                                                  byte[] file) {
        String boundary = "----openigc" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        if (file != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrFile\"; filename=\"req.der\""
                    + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(client, HttpRequest.newBuilder(URI.create(https(path)))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    private static HttpResponse<String> form(HttpClient client, String path, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send(client, HttpRequest.newBuilder(URI.create(https(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
                "no redirect: " + response.statusCode() + " " + response.body()));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@chu-demo.fr";
    }

    private static String serviceName() {
        return "Portail " + (100000 + (int) (Math.random() * 899999));
    }

    @Test
    void anOrderWithAnUploadedOpensslCsrIsTrackedFilteredAndRevokedThroughTheForms() throws Exception {
        HttpClient browser = browser();
        HttpResponse<String> wizard = getString(browser, https("/app/certificates/new"));
        assertThat(wizard.statusCode()).isEqualTo(200);
        assertThat(wizard.body()).contains("jamais être copiés sur une autre instance", "INSI-AUTO", "adresses génériques")
                .contains("value=\"" + CHU + "\"");
        String token = csrfToken(wizard.body());
        String service = serviceName();
        String actor = unique("ui");

        assertThat(multipart(browser, "/app/certificates/new", orderFields("wrong", service, "SIGN", actor),
                csrDer("first")).statusCode()).as("no CSRF token, no order").isEqualTo(403);
        HttpResponse<String> ordered = orderAndConfirm(browser, orderFields(token, service, "SIGN", actor),
                Files.readAllBytes(dir.resolve("first.der")));
        assertThat(ordered.statusCode()).as(ordered.body()).isEqualTo(302);
        Matcher matcher = LOCATION_ID.matcher(location(ordered));
        assertThat(matcher.find()).isTrue();
        String id = matcher.group(1);

        HttpResponse<String> detail = getString(browser, https("/app/certificates/" + id));
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body()).contains("Le certificat a été émis", service, "certificate.pem", "chain.pem",
                "certificate.p7b", "certificate.der", "keyCompromise").doesNotContain("pkcs12-link");
        String serial = jdbc.sql("select serial_number from certificate where id = :id").param("id", UUID.fromString(id))
                .query(String.class).single();
        assertThat(detail.body()).contains(serial);
        // the key of the certificate is the one of the uploaded DER CSR
        Files.write(dir.resolve("leaf.pem"), get(browser, https("/api/v1/certificates/" + id + "/certificate.pem")).body());
        assertThat(openssl("x509", "-in", "leaf.pem", "-noout", "-pubkey")).isEqualTo(openssl("pkey", "-in", "first.key", "-pubout"));

        String search = "/app/certificates?q=" + URLEncoder.encode(service, StandardCharsets.UTF_8);
        HttpResponse<String> active = getString(browser, https(search + "&status=ACTIVE&structure=" + CHU));
        assertThat(active.statusCode()).isEqualTo(200);
        assertThat(active.body()).contains("data-serial=\"" + serial + "\"", "1 certificat(s)", "Actif")
                .contains("/api/v1/certificates.csv?structure=" + CHU + "&amp;status=ACTIVE&amp;q=Portail%20");
        assertThat(getString(browser, https(search + "&status=REVOKED")).body())
                .doesNotContain("data-serial=\"" + serial + "\"").contains("0 certificat(s)");
        assertThat(getString(browser, https(search + "&environment=TEST")).body()).doesNotContain(serial);
        HttpResponse<String> badFilter = getString(browser, https(search + "&expiringWithinDays=beaucoup"));
        assertThat(badFilter.body()).contains("nombre entier attendu");

        HttpResponse<String> revoked = form(browser, "/app/certificates/" + id + "/revocation",
                Map.of("_csrf", csrfToken(detail.body()), "reason", "keyCompromise"));
        assertThat(location(revoked)).endsWith("/app/certificates/" + id);
        HttpResponse<String> after = getString(browser, https("/app/certificates/" + id));
        assertThat(after.body()).contains("Le certificat a été révoqué", "Clé compromise (keyCompromise)", "Révoqué")
                .contains("ne peut pas être renouvelé");
        assertThat(jdbc.sql("select status from certificate where id = :id").param("id", UUID.fromString(id))
                .query(String.class).single()).isEqualTo("REVOKED");
        assertThat(getString(browser, https(search + "&status=REVOKED")).body()).contains("data-serial=\"" + serial + "\"");
    }

    private long outbox() {
        return jdbc.sql("select count(*) from mail_outbox").query(Long.class).single();
    }

    private long issuedEvents() {
        chainAudit();
        return jdbc.sql("select count(*) from audit_event where action in ('certificate.issued', 'certificate.renewed')")
                .query(Long.class).single();
    }

    @Test
    void nothingIsIssuedBeforeTheConfirmationWhichShowsARecapAndIssuesExactlyOnce() throws Exception {
        HttpClient browser = browser();
        String token = csrfToken(getString(browser, https("/app/certificates/new")).body());
        String service = serviceName();
        String actor = unique("confirm");
        Map<String, String> fields = orderFields(token, service, "SIGN", actor);
        fields.put("ccEmail", "pki-copie@chu-demo.fr");
        long certificates = certificates();
        long mails = outbox();
        long events = issuedEvents();

        String reviewPath = review(browser, fields, csrDer("confirm"));
        HttpResponse<String> recap = getString(browser, https(reviewPath));
        assertThat(recap.statusCode()).isEqualTo(200);
        String body = recap.body().replace("&#39;", "'");
        assertThat(body).contains("Confirmer la commande", "rien n'est encore émis", "ORG SIGN", "CHU DEMO (" + CHU + ")",
                service, "Production", actor, "pki-copie@chu-demo.fr", "CSR fournie, clé EC P-256",
                "CN=" + service, "OU=" + CHU, "C=FR", "Confirmer et émettre", "Modifier", "id=\"revocationCode\"")
                .doesNotContain("id=\"password\"");
        assertThat(certificates()).as("no row before confirmation").isEqualTo(certificates);
        assertThat(outbox()).as("no mail before confirmation").isEqualTo(mails);
        assertThat(issuedEvents()).isEqualTo(events);

        // "Modifier" brings the wizard back filled in; the draft is still there to confirm
        HttpResponse<String> edit = getString(browser, https("/app/certificates/new?draft="
                + reviewPath.substring(reviewPath.lastIndexOf('/') + 1)));
        assertThat(edit.body()).contains("value=\"" + service + "\"", "value=\"" + actor + "\"", "BEGIN CERTIFICATE REQUEST");

        // the confirmation's own fields are checked there, the recap comes back and still nothing is issued
        HttpResponse<String> noTerms = confirm(browser, reviewPath, Map.of("revocationCode", "code-ui-secret-1"));
        assertThat(noTerms.statusCode()).isEqualTo(200);
        assertThat(noTerms.body()).contains("acceptez les conditions générales", "Confirmer et émettre");
        assertThat(certificates()).isEqualTo(certificates);
        assertThat(outbox()).isEqualTo(mails);

        // another user's session cannot use the draft
        HttpClient other = client(persona("admin-other"), DEMO_PASSWORD, new CookieManager());
        assertThat(getString(other, https(reviewPath)).statusCode()).isEqualTo(302);

        HttpResponse<String> issued = confirm(browser, reviewPath, secrets("code-ui-secret-1"));
        assertThat(location(issued)).matches(".*/app/certificates/[0-9a-f-]{36}$");
        assertThat(certificates()).isEqualTo(certificates + 1);
        assertThat(issuedEvents()).isEqualTo(events + 1);
        assertThat(jdbc.sql("select count(*) from mail_outbox where template = 'certificate-issued' and :actor = any(to_addresses)")
                .param("actor", actor).query(Long.class).single()).isEqualTo(1);

        // replaying the confirmation (double click, back button) issues nothing more
        HttpResponse<String> replay = form(browser, reviewPath, Map.of("_csrf", token, "termsAccepted", "true",
                "revocationCode", "code-ui-secret-1", "action", "confirm"));
        assertThat(location(replay)).endsWith("/app/certificates/new");
        assertThat(getString(browser, https("/app/certificates/new")).body().replace("&#39;", "'")).contains("n'est plus en attente");
        assertThat(certificates()).isEqualTo(certificates + 1);
    }

    @Test
    void insiAutoInLowerCaseIsShownOnTheFieldWithTheValuesKeptAndNothingStored() throws Exception {
        HttpClient browser = browser();
        String token = csrfToken(getString(browser, https("/app/certificates/new")).body());
        String actor = unique("insi");
        long before = certificates();
        Map<String, String> fields = orderFields(token, "INSI-auto", "AUTH_CLI", actor);
        fields.put("csr", csrPem("insi"));
        HttpResponse<String> refused = multipart(browser, "/app/certificates/new", fields, null);
        assertThat(refused.statusCode()).isEqualTo(200);
        String body = refused.body().replace("&#39;", "'");
        assertThat(body).contains("rien n'a été émis");
        int input = body.indexOf("id=\"serviceApplicatif\"");
        int error = body.indexOf("un certificat INSi se nomme exactement INSI-AUTO");
        int nextField = body.indexOf("id=\"dnsNames\"");
        assertThat(input).isPositive();
        assertThat(error).as("the error is next to the service applicatif field").isGreaterThan(input).isLessThan(nextField);
        assertThat(body).contains("value=\"INSI-auto\"", "value=\"" + actor + "\"", "BEGIN CERTIFICATE REQUEST");
        assertThat(certificates()).isEqualTo(before);
    }

    @Test
    void theCheckMyCsrButtonExplainsProblemsInFrenchAndAcceptsAGoodCsrWithoutOrdering() throws Exception {
        HttpClient browser = browser();
        String token = csrfToken(getString(browser, https("/app/certificates/new")).body());
        long before = certificates();
        Map<String, String> fields = orderFields(token, "SAMU 75", "SIGN", unique("check"));
        fields.put("action", "check");
        fields.put("csr", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        HttpResponse<String> bad = multipart(browser, "/app/certificates/new", fields, null);
        assertThat(bad.statusCode()).isEqualTo(200);
        assertThat(bad.body().replace("&#39;", "'")).contains("n'est pas une requête de certificat").doesNotContain("CSR valide");

        openssl("req", "-new", "-newkey", "rsa:1024", "-nodes", "-keyout", "weak.key", "-out", "weak.csr", "-subj", "/CN=x");
        fields.put("csr", Files.readString(dir.resolve("weak.csr")));
        assertThat(multipart(browser, "/app/certificates/new", fields, null).body()).contains("clé RSA trop courte");

        fields.put("csr", "");
        HttpResponse<String> good = multipart(browser, "/app/certificates/new", fields, csrDer("good"));
        assertThat(good.body()).contains("CSR valide (EC P-256)").doesNotContain("field-error");
        assertThat(certificates()).isEqualTo(before);
    }

    @Test
    void thePublicRevocationPageRevokesWithTheSerialAndTheCodeWithoutLogin() throws Exception {
        HttpClient browser = browser();
        String token = csrfToken(getString(browser, https("/app/certificates/new")).body());
        Map<String, String> fields = orderFields(token, serviceName(), "SIGN", unique("public"));
        HttpResponse<String> ordered = confirm(browser, review(browser, fields, csrDer("public")),
                secrets("mon-code-public-9"));
        Matcher matcher = LOCATION_ID.matcher(location(ordered));
        assertThat(matcher.find()).isTrue();
        UUID id = UUID.fromString(matcher.group(1));
        String serial = jdbc.sql("select serial_number from certificate where id = :id").param("id", id)
                .query(String.class).single();

        HttpClient anonymous = client(null, null, new CookieManager());
        HttpResponse<String> page = getString(anonymous, https("/revocation"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Révoquer un certificat", "cessationOfOperation");
        assertThat(getString(anonymous, https("/")).body()).as("linked from every page").contains("href=\"/revocation\"");
        String publicToken = csrfToken(page.body());
        assertThat(form(anonymous, "/revocation", Map.of("serialNumber", serial, "revocationCode", "mon-code-public-9",
                "reason", "keyCompromise")).statusCode()).as("CSRF kept on the public form").isEqualTo(403);
        HttpResponse<String> wrong = form(anonymous, "/revocation", Map.of("_csrf", publicToken, "serialNumber", serial,
                "revocationCode", "pas-le-bon-code", "reason", "keyCompromise"));
        assertThat(wrong.body()).contains("numéro de série ou code de révocation incorrect", "value=\"" + serial + "\"");
        assertThat(jdbc.sql("select status from certificate where id = :id").param("id", id).query(String.class).single())
                .isEqualTo("ACTIVE");
        HttpResponse<String> done = form(anonymous, "/revocation", Map.of("_csrf", publicToken, "serialNumber", serial,
                "revocationCode", "mon-code-public-9", "reason", "keyCompromise"));
        assertThat(done.body()).contains("Le certificat " + serial + " est révoqué");
        assertThat(jdbc.sql("select status from certificate where id = :id").param("id", id).query(String.class).single())
                .isEqualTo("REVOKED");
    }

    @Test
    void anotherAdministratorGetsNotFoundOnTheDetailPageAndAnOperatorSeesIt() throws Exception {
        HttpClient browser = browser();
        String token = csrfToken(getString(browser, https("/app/certificates/new")).body());
        HttpResponse<String> ordered = orderAndConfirm(browser,
                orderFields(token, serviceName(), "SIGN", unique("other")), csrDer("other"));
        String path = location(ordered).replaceFirst("^https?://[^/]+", "");
        HttpClient other = client(persona("admin-other"), DEMO_PASSWORD, new CookieManager());
        assertThat(getString(other, https(path)).statusCode()).isEqualTo(404);
        assertThat(getString(other, https("/app/certificates")).body()).doesNotContain(path.substring(path.lastIndexOf('/') + 1));
        HttpClient operator = client(persona("operator"), DEMO_PASSWORD, new CookieManager());
        assertThat(getString(operator, https(path)).statusCode()).as("operators see every certificate").isEqualTo(200);
        assertThat(getString(operator, https("/app/certificates?structure=" + CHU + "&sort=-notBefore")).body())
                .contains(path.substring(path.lastIndexOf('/') + 1), "placeholder=\"idNatStruct\"");
    }

    @Test
    void renewalFromTheDetailPageTakesAnOnlineKeyLinksBothAndIsRefusedOnceRevoked() throws Exception {
        HttpClient browser = browser();
        String token = csrfToken(getString(browser, https("/app/certificates/new")).body());
        HttpResponse<String> ordered = orderAndConfirm(browser,
                orderFields(token, serviceName(), "SIGN", unique("renew")), csrDer("renew"));
        Matcher first = LOCATION_ID.matcher(location(ordered));
        assertThat(first.find()).isTrue();
        String oldId = first.group(1);
        HttpResponse<String> detail = getString(browser, https("/app/certificates/" + oldId));
        assertThat(detail.body()).contains("name=\"renews\" value=\"" + oldId + "\"");

        Map<String, String> renewal = new LinkedHashMap<>();
        renewal.put("_csrf", csrfToken(detail.body()));
        renewal.put("mode", "renewal");
        renewal.put("renews", oldId);
        renewal.put("action", "review");
        renewal.put("keyMode", "generate");
        renewal.put("algorithm", "EC_P256");
        String renewalReview = review(browser, renewal, null);
        assertThat(getString(browser, https(renewalReview)).body()).as("the recap names the renewed certificate")
                .contains("Renouvelle le certificat", "id=\"password\"", "générée en ligne à la confirmation");
        Map<String, String> renewalSecrets = secrets("code-renouvellement");
        renewalSecrets.put("password", "mot-de-passe-renouvellement");
        HttpResponse<String> renewed = confirm(browser, renewalReview, renewalSecrets);
        Matcher second = LOCATION_ID.matcher(location(renewed));
        assertThat(second.find()).isTrue();
        String newId = second.group(1);
        assertThat(newId).isNotEqualTo(oldId);
        HttpResponse<String> newDetail = getString(browser, https("/app/certificates/" + newId));
        assertThat(newDetail.body()).contains("id=\"pkcs12-link\"", "/api/v1/certificates/" + newId + "/pkcs12/",
                "Renouvelle", oldId);
        Matcher link = Pattern.compile("href=\"(/api/v1/certificates/" + newId + "/pkcs12/[A-Za-z0-9_-]+)\"")
                .matcher(newDetail.body());
        assertThat(link.find()).isTrue();
        HttpResponse<byte[]> p12 = get(browser, https(link.group(1)));
        assertThat(p12.statusCode()).isEqualTo(200);
        assertThat(p12.headers().firstValue("Content-Disposition").orElseThrow()).contains("OPENIGC-p12-EL-PROD-ORG-SIGN-");
        assertThat(get(browser, https(link.group(1))).statusCode()).as("the PKCS#12 is given once").isEqualTo(404);
        assertThat(getString(browser, https("/app/certificates/" + newId)).body()).doesNotContain("pkcs12-link");
        HttpResponse<String> oldDetail = getString(browser, https("/app/certificates/" + oldId));
        assertThat(oldDetail.body()).contains("renouvelé", "Renouvelé par", newId);

        form(browser, "/app/certificates/" + oldId + "/revocation",
                Map.of("_csrf", csrfToken(oldDetail.body()), "reason", "superseded"));
        long before = certificates();
        renewal.put("_csrf", csrfToken(getString(browser, https("/app/certificates/new")).body()));
        HttpResponse<String> refused = multipart(browser, "/app/certificates/new", renewal, null);
        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(refused.body()).contains("passez une nouvelle commande");
        assertThat(certificates()).isEqualTo(before);
    }
    private static String link(String html, String rel) {
        Matcher matcher = Pattern.compile("<a rel=\"" + rel + "\" href=\"([^\"]+)\"").matcher(html);
        return matcher.find() ? matcher.group(1).replace("&amp;", "&") : null;
    }

    private static List<String> serials(String html) {
        Matcher matcher = Pattern.compile("data-serial=\"([0-9a-f]+)\"").matcher(html);
        List<String> serials = new ArrayList<>();
        while (matcher.find()) {
            serials.add(matcher.group(1));
        }
        return serials;
    }

    @Test
    void theTrackingPagerWalksByCursorForwardAndBackAndRefusesABadCursorOnThePage() throws Exception {
        String prefix = "PAGER " + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String chu = jdbc.sql("select id::text from structure where id_nat_struct = :id").param("id", CHU)
                .query(String.class).single();
        for (int i = 0; i < 30; i++) {
            jdbc.sql("""
                    insert into certificate (id, serial_number, ca_name, profile, environment, status, subject,
                        not_before, not_after, public_key_sha256, structure_id, offer, usage, service_applicatif,
                        actor_email)
                    select gen_random_uuid(), :serial, (select name from ca_certificate order by name limit 1), 'ORG_SIGN',
                           'PRODUCTION', 'ACTIVE', 'CN=' || :service || ',C=FR', now() - interval '1 day',
                           now() + (200 + :i % 7) * interval '1 day', :serial, cast(:structure as uuid), 'ORG',
                           'AUTH_CLI', :service, 'pager@chu-demo.fr'
                    """).param("serial", "fa" + UUID.randomUUID().toString().replace("-", "").substring(0, 20))
                    .param("service", prefix + " " + i).param("i", i).param("structure", chu).update();
        }
        HttpClient browser = browser();
        String search = "/app/certificates?q=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8);
        String first = getString(browser, https(search)).body();
        assertThat(serials(first)).hasSize(25);
        assertThat(first).contains("Page 1 sur 2").doesNotContain("rel=\"prev\"");
        String next = link(first, "next");
        assertThat(next).contains("cursor=").contains("q=PAGER");
        HttpResponse<String> second = getString(browser, https(next));
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).contains("Page 2 sur 2", "Première page").doesNotContain("rel=\"next\"");
        assertThat(serials(second.body())).hasSize(5).doesNotContainAnyElementsOf(serials(first));
        String back = getString(browser, https(link(second.body(), "prev"))).body();
        assertThat(serials(back)).isEqualTo(serials(first));
        assertThat(back).contains("Page 1 sur 2");

        HttpResponse<String> bad = getString(browser, https(search + "&cursor=abc!"));
        assertThat(bad.statusCode()).isEqualTo(200);
        assertThat(bad.body()).contains("curseur illisible");
        HttpResponse<String> otherSort = getString(browser, https(next.replace("q=PAGER", "sort=-notAfter&q=PAGER")));
        assertThat(otherSort.statusCode()).isEqualTo(200);
        assertThat(otherSort.body()).contains("ce curseur a été fait pour le tri notAfter");
    }
}
