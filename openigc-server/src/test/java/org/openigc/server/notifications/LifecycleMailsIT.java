package org.openigc.server.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.mail.demo.ReceivedMail;
import org.openigc.server.registry.Person;
import org.openigc.server.registry.RegistryService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The other mails of a certificate's life (issued, renewed, key retrieved, revoked) go through the outbox like the
 * expiry notices: each mail the SMTP server received has its outbox row (same Message-ID, status SENT), and each
 * recipient reads only its own structure. A digest never lists a structure its recipient no longer administers.
 */
class LifecycleMailsIT extends ServerTestSupport {
    private static final String CHU = "1750712184";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcClient jdbc;
    @Autowired
    ExpiryNotifier notifier;
    @Autowired
    RegistryService registry;

    @TempDir
    Path dir;

    private String csr(String name) throws Exception {
        return opensslCsr(dir, name);
    }

    private static HttpResponse<String> post(HttpClient client, String path, Object body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(https(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@chu-demo.fr";
    }

    /** The received mail has an outbox row with its Message-ID, of this template, sent. */
    private void cameThroughTheOutbox(ReceivedMail mail, String template) {
        assertThat(mail.messageId()).isNotBlank();
        List<String> rows = jdbc.sql("select template || ':' || status from mail_outbox where message_id = :id")
                .param("id", mail.messageId()).query(String.class).list();
        assertThat(rows).as("outbox row of " + mail.subject()).hasSize(1);
        assertThat(rows.getFirst()).isIn(template + ":SENT", template + ":PENDING");
    }

    /** Only the CHU's information: no other demo structure is named. */
    private static void onlyTheChu(ReceivedMail mail) {
        assertThat(mail.text()).contains("CHU DEMO", CHU)
                .doesNotContain("CLINIQUE DEMO", "CENTRE DE SANTE DEMO", "1330000068", "1930000054");
    }

    @Test
    void issuedRenewedRetrievedAndRevokedMailsAreQueuedInTheOutboxAndNameOnlyTheirStructure() throws Exception {
        HttpClient admin = personaClient("admin-chu");
        String actor = unique("cycle");
        String cc = unique("cycle-cc");
        ObjectNode order = JSON.createObjectNode();
        order.put("environment", "PRODUCTION").put("offer", "ORG").put("usage", "SIGN").put("structure", CHU)
                .put("serviceApplicatif", "CYCLE " + UUID.randomUUID().toString().substring(0, 6).toUpperCase())
                .put("actorEmail", actor).put("ccEmail", cc).put("termsAccepted", true)
                .put("revocationCode", "code-secret-42");
        order.putObject("generateKey").put("algorithm", "EC_P256").put("password", "un-mot-de-passe-long");
        HttpResponse<String> created = post(admin, "/api/v1/certificates", order);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode certificate = JSON.readTree(created.body());
        String id = certificate.get("id").asText();

        ReceivedMail issued = awaitMails(m -> m.isFor(actor) && m.subject().startsWith("Certificat émis"), 1).getFirst();
        assertThat(issued.cc()).anyMatch(a -> a.equalsIgnoreCase(cc));
        cameThroughTheOutbox(issued, "certificate-issued");
        onlyTheChu(issued);

        // retrieval of the online-generated key: mailed to the contacts, through the outbox
        HttpResponse<byte[]> p12 = admin.send(HttpRequest.newBuilder(URI.create(https(certificate.get("pkcs12").asText())))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(p12.statusCode()).isEqualTo(200);
        ReceivedMail retrieved = awaitMails(m -> m.isFor(actor) && m.subject().startsWith("Clé et certificat retirés"), 1)
                .getFirst();
        assertThat(retrieved.cc()).anyMatch(a -> a.equalsIgnoreCase(cc));
        assertThat(retrieved.text()).contains("téléchargé", "keyCompromise", certificate.get("serialNumber").asText());
        cameThroughTheOutbox(retrieved, "certificate-retrieved");
        onlyTheChu(retrieved);
        assertThat(admin.send(HttpRequest.newBuilder(URI.create(https(certificate.get("pkcs12").asText()))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(404);

        HttpResponse<String> renewed = post(admin, "/api/v1/certificates/" + id + "/renewal", JSON.createObjectNode()
                .put("csr", csr("renewal")).put("termsAccepted", true).put("revocationCode", "code-secret-43"));
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(201);
        ReceivedMail renewal = awaitMails(m -> m.isFor(actor) && m.subject().startsWith("Certificat renouvelé"), 1)
                .getFirst();
        cameThroughTheOutbox(renewal, "certificate-issued");
        onlyTheChu(renewal);

        HttpResponse<String> revoked = post(admin, "/api/v1/certificates/" + id + "/revocation",
                JSON.createObjectNode().put("reason", "superseded"));
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        ReceivedMail revocation = awaitMails(m -> m.isFor(actor) && m.subject().startsWith("Certificat révoqué"), 1)
                .getFirst();
        cameThroughTheOutbox(revocation, "certificate-revoked");
        onlyTheChu(revocation);
        assertThat(revocation.text()).contains("superseded");
    }

    @Test
    void aDigestDropsTheStructuresItsRecipientNoLongerAdministers() throws Exception {
        Person adminChu = registry.personByCardNumber("2800000003").orElseThrow();
        UUID chu = jdbc.sql("select id from structure where id_nat_struct = :id").param("id", CHU).query(UUID.class).single();
        UUID clinic = jdbc.sql("select id from structure where id_nat_struct = '1330000068'").query(UUID.class).single();
        String ca = jdbc.sql("select name from ca_certificate order by name limit 1").query(String.class).single();
        Instant end = Instant.parse("2008-06-01T10:00:00Z");
        UUID mine = UUID.randomUUID();
        UUID foreign = UUID.randomUUID();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        for (UUID[] row : new UUID[][] {{mine, chu}, {foreign, clinic}}) {
            jdbc.sql("""
                    insert into certificate (id, serial_number, ca_name, profile, environment, status, subject, not_before,
                        not_after, public_key_sha256, structure_id, offer, usage, service_applicatif, actor_email)
                    values (:id, :serial, :ca, 'ORG_SIGN', 'PRODUCTION', 'ACTIVE', 'CN=x', :nb, :na, :key, :structure,
                            'ORG', 'SIGN', :service, 'digest-scope@chu-demo.fr')
                    """).param("id", row[0]).param("serial", "dd" + row[0].toString().substring(0, 8)).param("ca", ca)
                    .param("nb", Timestamp.from(end.minus(Duration.ofDays(1095)))).param("na", Timestamp.from(end))
                    .param("key", "digest-scope-" + row[0]).param("structure", row[1])
                    .param("service", (row[1].equals(chu) ? "MIEN " : "ETRANGER ") + suffix).update();
        }
        // items collected while admin-chu administered both (its habilitation on the clinic has ended since)
        for (UUID certificate : List.of(mine, foreign)) {
            jdbc.sql("""
                    insert into notification_digest_item (person_id, certificate_id, threshold_days, created_at)
                    values (:person, :certificate, 30, :now)
                    """).param("person", adminChu.id()).param("certificate", certificate)
                    .param("now", Timestamp.from(end.minus(Duration.ofDays(30)))).update();
        }
        assertThat(notifier.sendDigests(end.minus(Duration.ofDays(29)))).isGreaterThanOrEqualTo(1);
        ReceivedMail digest = awaitMails(m -> m.isFor(adminChu.email()) && m.text().contains("MIEN " + suffix), 1).getFirst();
        assertThat(digest.text()).doesNotContain("ETRANGER " + suffix, "CLINIQUE DEMO");
        cameThroughTheOutbox(digest, "certificate-expiry-digest");
        assertThat(jdbc.sql("select count(*) from notification_digest_item where person_id = :p and sent_at is null")
                .param("p", adminChu.id()).query(Long.class).single()).as("nothing left pending").isZero();
    }
}
