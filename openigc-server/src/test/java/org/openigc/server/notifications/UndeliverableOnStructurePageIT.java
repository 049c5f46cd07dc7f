package org.openigc.server.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.mail.demo.ReceivedMail;
import org.openigc.server.registry.RegistryService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * An actor address the SMTP server refuses for good (the demo GreenMail refuses the {@code .invalid} domain with a
 * 550) is flagged undeliverable by the outbox and shown on the structure's registry page, in French and in English,
 * and only on the page of the structure whose certificate uses it.
 */
class UndeliverableOnStructurePageIT extends ServerTestSupport {
    private static final String CHU = "1750712184";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcClient jdbc;
    @Autowired
    RegistryService registry;

    @TempDir
    Path dir;

    private String csr() throws Exception {
        Process process = new ProcessBuilder("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.key", "-out", "r.csr", "-subj", "/CN=x")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return Files.readString(dir.resolve("r.csr"), StandardCharsets.UTF_8);
    }

    private UUID structureId(String idNatStruct) {
        return jdbc.sql("select id from structure where id_nat_struct = :id").param("id", idNatStruct)
                .query(UUID.class).single();
    }

    private static HttpResponse<String> page(HttpClient client, String path, String language) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(https(path))).GET();
        if (language != null) {
            request.header("Accept-Language", language);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRefusedActorAddressIsShownOnItsStructurePageOnly() throws Exception {
        String bounce = "retour-" + UUID.randomUUID().toString().substring(0, 8) + "@pki.invalid";
        HttpClient operator = personaClient("operator");
        String chuPage = "/app/registry/structures/" + structureId(CHU);
        assertThat(page(operator, chuPage, null).body()).doesNotContain(bounce);

        ObjectNode body = JSON.createObjectNode();
        body.put("environment", "PRODUCTION").put("offer", "ORG").put("usage", "SIGN").put("structure", CHU)
                .put("serviceApplicatif", "RETOUR " + UUID.randomUUID().toString().substring(0, 6).toUpperCase())
                .put("actorEmail", bounce).put("termsAccepted", true).put("revocationCode", "code-secret-42")
                .put("csr", csr());
        HttpResponse<String> created = personaClient("admin-chu").send(HttpRequest.newBuilder(
                        URI.create(https("/api/v1/certificates"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        // the issuance mail is refused with a 550: the outbox flags the address, the notifier ties it to the CHU
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && jdbc.sql(
                "select count(*) from undeliverable_address where address = :a and structure_id is not null")
                .param("a", bounce).query(Long.class).single() == 0) {
            Thread.sleep(200);
        }
        HttpResponse<String> french = page(operator, chuPage, null);
        assertThat(french.statusCode()).isEqualTo(200);
        String html = french.body().replace("&#39;", "'");
        int section = html.indexOf("id=\"undeliverable\"");
        assertThat(section).as("the section is on the page").isPositive();
        assertThat(html.substring(section)).contains("Adresses e-mail non distribuables", "data-address=\"" + bounce + "\"",
                "550 5.1.1", "le représentant légal a été prévenu");

        // the CHU's legal representative is told by mail (once), naming the refused address and the server's answer
        String legal = registry.personByCardNumber("2800000002").orElseThrow().email();
        ReceivedMail told = awaitMails(m -> m.isFor(legal) && m.text().contains(bounce), 1).getFirst();
        assertThat(told.subject()).contains("injoignable");
        assertThat(told.text()).contains("550 5.1.1");
        assertThat(jdbc.sql("select count(*) from undeliverable_notice where address = :a").param("a", bounce)
                .query(Long.class).single()).isEqualTo(1);

        HttpResponse<String> english = page(operator, chuPage, "en");
        assertThat(english.body()).contains("Undeliverable e-mail addresses", "Server answer", bounce);

        // another structure's page does not show it
        String clinic = "/app/registry/structures/" + structureId("1330000068");
        assertThat(page(operator, clinic, null).body()).doesNotContain(bounce).contains("id=\"undeliverable-none\"");
    }
}
