package org.openigc.server.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openigc.ca.CsrChecker;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.authority.CertificateDigests;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The certificates API of SPEC §7 end to end: real TLS with the demo cards, openssl as the holder and verifier. */
class CertificateApiIT extends ServerTestSupport {
    private static final String CHU = "1750712184";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;

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

    /**
     * Two orders with one key at the same moment: the first is held at its insert (the test locks the certificate
     * table), the second starts meanwhile. Without the key's lock the second would read no certificate for the key
     * and both would be issued; with it the second waits, then sees the first one's certificate and is refused.
     */
    @Test
    void twoSimultaneousOrdersWithOneKeyGiveOneCertificate() throws Exception {
        HttpClient admin = personaClient("admin-chu");
        String csr = csr("simultaneous");
        String digest = CertificateDigests.publicKey(CsrChecker.check(csr.getBytes(StandardCharsets.US_ASCII)).publicKey());
        CompletableFuture<HttpResponse<String>> first;
        CompletableFuture<HttpResponse<String>> second;
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("lock table certificate in exclusive mode");
            first = send(admin, order("DMP AUTHENTIFICATION", "AUTH_CLI", csr, unique("first")));
            awaitWaitingOrders(1);
            second = send(admin, order("DMP SIGNATURE", "SIGN", csr, unique("second")));
            awaitWaitingOrders(2);
            blocker.rollback();
        }
        HttpResponse<String> issued = first.get(60, TimeUnit.SECONDS);
        HttpResponse<String> refused = second.get(60, TimeUnit.SECONDS);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(json(refused).get("errors").findValuesAsString("code")).containsExactly("keyInUse");
        assertThat(jdbc.sql("select count(*) from certificate where public_key_sha256 = :key").param("key", digest)
                .query(Long.class).single()).isEqualTo(1);
    }

    private CompletableFuture<HttpResponse<String>> send(HttpClient client, Object body)
            throws Exception {
        return client.sendAsync(HttpRequest.newBuilder(URI.create(https("/api/v1/certificates")))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Until {@code n} orders wait for a lock: at their certificate insert, or at a key's lock. */
    private void awaitWaitingOrders(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (jdbc.sql("""
                select count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid where not l.granted
                and (a.query like '%insert into certificate (%' or a.query like '%pg_advisory_xact_lock($%, $%)%')
                """).query(Long.class).single() < n) {
            assertThat(System.nanoTime()).as("%d orders waiting for a lock", n).isLessThan(deadline);
            Thread.sleep(20);
        }
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
    // ---- keyset (cursor) pagination of the tracking list ----------------------------------------

    /** The CHU's four structures (EJ and its three EG): what admin-chu sees and admin-other must never see. */
    private List<String> chuStructureIds() {
        return jdbc.sql("select id::text from structure where finess in ('750712184', '750100018', '750100026', '920100047')")
                .query(String.class).list();
    }

    /**
     * Inserts {@code count} listed certificates on the demo CHU EJ whose service applicatif starts with
     * {@code prefix}: end and start dates repeat (ties broken by the id), service names repeat by threes, and the
     * dates have microseconds (the cursor must carry them exactly). Returns their ids.
     */
    private List<String> insertTrackedRows(String prefix, int from, int count) {
        String chu = jdbc.sql("select id::text from structure where id_nat_struct = :id").param("id", CHU)
                .query(String.class).single();
        List<String> ids = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            jdbc.sql("""
                    insert into certificate (id, serial_number, ca_name, profile, environment, status, subject,
                        not_before, not_after, public_key_sha256, structure_id, offer, usage, service_applicatif,
                        actor_email)
                    select cast(:id as uuid), :serial, (select name from ca_certificate order by name limit 1),
                           'ORG_SIGN', 'PRODUCTION', 'ACTIVE', 'CN=' || :service || ',C=FR',
                           timestamptz '2025-01-01 10:00:00.123456+00' + (:i % 4) * interval '1 day',
                           timestamptz '2027-03-01 08:30:00.654321+00' + (:i % 5) * interval '7 days 1 microsecond',
                           :key, cast(:structure as uuid), 'ORG', 'AUTH_CLI', :service, 'keyset@chu-demo.fr'
                    """).param("id", id).param("serial", "ee" + id.replace("-", "").substring(0, 24))
                    .param("service", prefix + "-" + String.format("%03d", i / 3)).param("i", i)
                    .param("key", "keyset-" + id).param("structure", chu).update();
        }
        return ids;
    }

    /** The ids of the list as a plain SQL query orders them (uuid order = the order of its text form). */
    private List<String> expectedOrder(String prefix, String sort) {
        String order = switch (sort) {
            case "notAfter" -> "not_after, id";
            case "-notAfter" -> "not_after desc, id desc";
            case "serviceApplicatif" -> "service_applicatif, id";
            case "-notBefore" -> "not_before desc, id desc";
            default -> throw new IllegalArgumentException(sort);
        };
        return jdbc.sql("select id::text from certificate where service_applicatif like :prefix order by " + order)
                .param("prefix", prefix + "-%").query(String.class).list();
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    /** A text field of a list response, null when absent or null. */
    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    private static String list(String query) {
        return https("/api/v1/certificates?" + query);
    }

    @Test
    void trackingWalksEveryPageByCursorForEverySortSeeingEachRowOnceInOrder() throws Exception {
        HttpClient admin = personaClient("admin-chu");
        for (String sort : List.of("notAfter", "-notAfter", "serviceApplicatif", "-notBefore")) {
            String prefix = "KEYSET " + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
            insertTrackedRows(prefix, 0, 23);
            List<String> expected = expectedOrder(prefix, sort);
            String filters = "q=" + prefix.replace(" ", "%20") + "&sort=" + sort + "&size=5";

            // offset pages (compatibility) and the first cursor page agree
            JsonNode first = json(getString(admin, list(filters)));
            assertThat(ids(first)).as(sort).isEqualTo(expected.subList(0, 5));
            assertThat(text(first, "previousCursor")).isNull();
            assertThat(first.get("next").asText()).startsWith("/api/v1/certificates?").contains("cursor=");
            JsonNode second = json(getString(admin, https(first.get("next").asText())));
            assertThat(ids(second)).as(sort).isEqualTo(ids(json(getString(admin, list(filters + "&page=1")))));
            assertThat(second.get("page").asInt()).isEqualTo(1);

            // the whole walk, forward; rows inserted and revoked meanwhile
            List<String> seen = new ArrayList<>(ids(first));
            List<String> added = new ArrayList<>();
            String cursor = first.get("nextCursor").asText();
            int pages = 1;
            while (cursor != null) {
                HttpResponse<String> response = getString(admin, list(filters + "&cursor=" + cursor));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode page = json(response);
                assertThat(page.get("size").asInt()).isEqualTo(5);
                seen.addAll(ids(page));
                pages++;
                if (pages == 2) {
                    // a row inserted on both sides of the position, two rows revoked (one seen, one ahead)
                    added.addAll(insertTrackedRows(prefix, 100, 4));
                    jdbc.sql("update certificate set status = 'REVOKED', revoked_at = now(), revocation_reason = 'superseded'"
                            + " where id in (cast(:a as uuid), cast(:b as uuid))")
                            .param("a", seen.getFirst()).param("b", expected.get(17)).update();
                }
                cursor = text(page, "nextCursor");
                assertThat(pages).as("the walk ends").isLessThan(20);
            }
            assertThat(seen).as(sort + ": no row twice").doesNotHaveDuplicates();
            assertThat(seen).as(sort + ": every row present at the start, once").containsAll(expected);
            List<String> now = expectedOrder(prefix, sort);
            assertThat(seen).as(sort + ": in the list's order").isEqualTo(now.stream().filter(seen::contains).toList());
            assertThat(seen.size()).as(sort + ": the rows added after the position are seen")
                    .isEqualTo(expected.size() + added.stream().filter(id -> now.indexOf(id) > now.indexOf(expected.get(9))).count());

            // and backward from the last page to the first, which ends on a full first page
            JsonNode last = json(getString(admin, list(filters + "&page=" + ((now.size() - 1) / 5))));
            List<String> back = new ArrayList<>(ids(last));
            String previous = last.get("previousCursor").asText();
            JsonNode page = last;
            while (previous != null) {
                page = json(getString(admin, list(filters + "&cursor=" + previous)));
                back.addAll(0, ids(page));
                previous = text(page, "previousCursor");
            }
            assertThat(page.get("page").asInt()).isZero();
            assertThat(ids(page)).isEqualTo(now.subList(0, 5));
            assertThat(back).as(sort + ": backward walk").isEqualTo(now);
        }
    }

    @Test
    void aCursorOfAnotherUserShowsOnlyWhatTheReaderMaySee() throws Exception {
        String prefix = "KEYSET SCOPE " + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        insertTrackedRows(prefix, 0, 8);
        HttpClient chu = personaClient("admin-chu");
        HttpClient other = personaClient("admin-other");
        List<String> chuStructures = chuStructureIds();
        for (String filters : List.of("q=" + prefix.replace(" ", "%20") + "&size=3", "size=3", "sort=-notBefore&size=3")) {
            JsonNode chuPage = json(getString(chu, list(filters)));
            assertThat(chuPage.get("items").size()).isEqualTo(3);
            for (String cursor : List.of(chuPage.get("nextCursor").asText(),
                    json(getString(chu, https(chuPage.get("next").asText()))).get("previousCursor").asText())) {
                HttpResponse<String> response = getString(other, list(filters + "&cursor=" + cursor));
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode page = json(response);
                page.get("items").forEach(item -> assertThat(chuStructures).as(filters)
                        .doesNotContain(item.get("structureId").asText()));
                if (filters.startsWith("q=")) {
                    assertThat(page.get("items").size()).isZero();
                    assertThat(page.get("total").asLong()).isZero();
                }
            }
        }
    }

    @Test
    void anInvalidCursorIsABadRequestNamingTheCursor() throws Exception {
        HttpClient admin = personaClient("admin-chu");
        insertTrackedRows("KEYSET BAD " + UUID.randomUUID().toString().substring(0, 6).toUpperCase(), 0, 4);
        String cursor = json(getString(admin, list("size=2"))).get("nextCursor").asText();
        String decoded = new String(java.util.Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        java.util.function.Function<String, String> encode = text -> java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(text.getBytes(StandardCharsets.UTF_8));
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("size=2&cursor=not-a-cursor!!", "format");
        cases.put("size=2&cursor=" + encode.apply("hello"), "format");
        cases.put("size=2&cursor=" + encode.apply(decoded.replaceFirst("^v1", "v9")), "format");
        cases.put("size=2&cursor=" + encode.apply(decoded.replaceFirst("\n[0-9a-f-]{36}\n", "\nnot-an-id\n")), "format");
        cases.put("size=2&cursor=" + encode.apply(decoded.replaceFirst("\n[^\n]*$", "\n2027-13-45T99:00:00Z")), "format");
        cases.put("size=2&cursor=" + encode.apply(decoded.replace("\nnotAfter\n", "\nbogus\n")), "format");
        cases.put("size=2&cursor=" + encode.apply(decoded.replaceFirst("\nF\n", "\nX\n")), "format");
        cases.put("size=2&cursor=" + encode.apply(decoded.replaceFirst("\n[0-9]+\n", "\n-4\n")), "format");
        cases.put("size=2&cursor=" + "A".repeat(5000), "format");
        cases.put("size=2&sort=-notAfter&cursor=" + cursor, "sort");
        cases.put("size=2&status=ACTIVE&cursor=" + cursor, "filters");
        cases.put("size=2&page=3&cursor=" + cursor, "exclusive");
        for (java.util.Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> response = getString(admin, list(c.getKey()));
            assertThat(response.statusCode()).as(c.getKey() + " " + response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
            JsonNode error = json(response).get("errors").get(0);
            assertThat(error.get("field").asText()).isEqualTo("cursor");
            assertThat(error.get("code").asText()).as(c.getKey()).isEqualTo(c.getValue());
        }
        // the same cursor, untouched, still works (and the page size may change along the walk)
        assertThat(getString(admin, list("size=7&cursor=" + cursor)).statusCode()).isEqualTo(200);
    }
}
