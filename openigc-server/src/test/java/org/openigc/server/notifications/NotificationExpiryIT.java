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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.mail.AddressUndeliverable;
import org.openigc.server.mail.demo.ReceivedMail;
import org.openigc.server.registry.Person;
import org.openigc.server.registry.RegistryService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Expiry notices end to end with the real outbox and GreenMail: certificates ordered through the API as admin-chu,
 * their end of validity moved by SQL to a year of their own (each test uses years far apart, so the scans of one test
 * never reach another's certificates: notices stop 30 days after expiry), scans called with chosen instants.
 */
class NotificationExpiryIT extends ServerTestSupport {
    private static final String CHU = "1750712184";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcClient jdbc;
    @Autowired
    ExpiryNotifier notifier;
    @Autowired
    RegistryService registry;
    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    PlatformTransactionManager transactionManager;

    @TempDir
    Path dir;

    private String csr(String name) throws Exception {
        return opensslCsr(dir, name);
    }

    private HttpResponse<String> send(HttpClient client, String method, String path, Object body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(https(path))).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@chu-demo.fr";
    }

    /** Orders a certificate for CHU DEMO and moves its end of validity to {@code notAfter}. */
    private UUID order(String actor, Instant notAfter) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("environment", "PRODUCTION").put("offer", "ORG").put("usage", "AUTH_CLI").put("structure", CHU)
                .put("serviceApplicatif", "NOTIF " + UUID.randomUUID().toString().substring(0, 6).toUpperCase())
                .put("actorEmail", actor).put("ccEmail", "cc-" + actor).put("termsAccepted", true)
                .put("revocationCode", "code-secret-42").put("csr", csr(UUID.randomUUID().toString()));
        HttpResponse<String> created = send(personaClient("admin-chu"), "POST", "/api/v1/certificates", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        UUID id = UUID.fromString(JSON.readTree(created.body()).get("id").asText());
        setNotAfter(id, notAfter);
        return id;
    }

    private void setNotAfter(UUID id, Instant notAfter) {
        jdbc.sql("update certificate set not_before = :nb, not_after = :na where id = :id")
                .param("nb", Timestamp.from(notAfter.minus(Duration.ofDays(1095))))
                .param("na", Timestamp.from(notAfter)).param("id", id).update();
    }

    private static boolean expiryMail(ReceivedMail mail) {
        return mail.subject().startsWith("Certificat à renouveler") || mail.subject().startsWith("Certificat expiré");
    }

    /** Expiry mails to this address, once the outbox is idle long enough for a stray extra one to have arrived. */
    private List<ReceivedMail> expiryMailsTo(String address, int expected) throws InterruptedException {
        if (expected > 0) {
            awaitMails(m -> m.isFor(address) && expiryMail(m), expected);
        }
        Thread.sleep(1500);
        return receivedMailsTo(address).stream().filter(NotificationExpiryIT::expiryMail).toList();
    }

    private List<String> outcomes(UUID id) {
        return jdbc.sql("select threshold_days || ':' || outcome from expiry_notice where certificate_id = :id order by threshold_days desc")
                .param("id", id).query(String.class).list();
    }

    private String column(UUID id, String column) {
        return jdbc.sql("select " + column + " from certificate where id = :id").param("id", id).query(String.class).single();
    }

    /** The row of this certificate on admin-chu's tracking page, searched by its service applicatif. */
    private String trackingRow(UUID id) {
        String html = getString(personaClient("admin-chu"), https("/app/certificates?q="
                + java.net.URLEncoder.encode(column(id, "service_applicatif"), java.nio.charset.StandardCharsets.UTF_8))).body();
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("(?s)<tr data-serial=\"" + column(id, "serial_number")
                + "\">(.*?)</tr>").matcher(html);
        assertThat(row.find()).as("tracking row of " + id).isTrue();
        return row.group(1);
    }

    private static Instant at(String day) {
        return Instant.parse(day + "T10:00:00Z");
    }

    @Test
    void theWholeCalendarOfACertificateSendsExactlyOneMailPerThreshold() throws Exception {
        String actor = unique("calendar");
        Instant end = at("2001-06-01");
        UUID id = order(actor, end);
        String serial = jdbc.sql("select serial_number from certificate where id = :id").param("id", id)
                .query(String.class).single();

        // hourly scans around each threshold: only the first scan past a threshold sends
        for (Instant now : List.of(end.minus(Duration.ofDays(61)), end.minus(Duration.ofDays(60)),
                end.minus(Duration.ofDays(60)).plusSeconds(3600), end.minus(Duration.ofDays(45)),
                end.minus(Duration.ofDays(30)), end.minus(Duration.ofDays(29)), end.minus(Duration.ofDays(7)),
                end.minus(Duration.ofDays(6)), end.minusSeconds(60), end, end.plus(Duration.ofDays(1)),
                end.plus(Duration.ofDays(20)))) {
            notifier.scan(now);
        }
        List<ReceivedMail> mails = expiryMailsTo(actor, 4);
        assertThat(mails).hasSize(4);
        assertThat(outcomes(id)).containsExactly("60:SENT", "30:SENT", "7:SENT", "0:SENT");
        // sent after commit on background threads: arrival order is not the scan order
        assertThat(mails).filteredOn(m -> m.text().contains("dans 60 jour(s)")).hasSize(1);
        assertThat(mails).filteredOn(m -> m.text().contains("dans 30 jour(s)")).hasSize(1);
        assertThat(mails).filteredOn(m -> m.text().contains("dans 7 jour(s)")).hasSize(1);
        assertThat(mails).filteredOn(m -> m.subject().startsWith("Certificat expiré")).hasSize(1);
        ReceivedMail first = mails.stream().filter(m -> m.text().contains("dans 60 jour(s)")).findFirst().orElseThrow();
        assertThat(first.to()).contains(actor);
        assertThat(first.cc()).contains("cc-" + actor);
        // which certificate (service applicatif, structure, environment, serial, end date), what happens at expiry,
        // the direct link to renew it; in French
        assertThat(first.subject()).isEqualTo("Certificat à renouveler avant le 01/06/2001 12:00 : "
                + column(id, "service_applicatif") + " (PRODUCTION)");
        assertThat(first.text()).contains("Service applicatif : " + column(id, "service_applicatif"),
                "Structure          : CHU DEMO", "(" + CHU + ")", "Environnement      : PRODUCTION",
                "Numéro de série    : " + serial, "Fin de validité    : 01/06/2001 12:00",
                "le certificat n'est plus accepté", "cessent de fonctionner",
                "Pour le renouveler dès maintenant :", "https://localhost:8443/app/certificates/" + id);
        // the technical administrators of the structure are told too
        Person admin = registry.personByCardNumber("2800000003").orElseThrow();
        assertThat(admin.email()).isNotBlank();
        assertThat(first.cc()).anyMatch(address -> address.equalsIgnoreCase(admin.email()));
    }

    @Test
    void aDowntimeAcrossTwoThresholdsSendsOnlyTheMostUrgentOnce() throws Exception {
        String actor = unique("downtime");
        Instant end = at("2004-06-01");
        UUID id = order(actor, end);
        assertThat(notifier.scan(end.minus(Duration.ofDays(61)))).isZero();
        // down from 61 to 20 days before the end: 60 and 30 passed; the start-up scan catches up with one mail
        notifier.scan(end.minus(Duration.ofDays(20)));
        notifier.scan(end.minus(Duration.ofDays(20)).plusSeconds(3600)); // a restart right after: nothing more
        List<ReceivedMail> mails = expiryMailsTo(actor, 1);
        assertThat(mails).hasSize(1);
        assertThat(mails.getFirst().text()).contains("dans 20 jour(s)");
        assertThat(outcomes(id)).containsExactly("60:SKIPPED", "30:SENT");
        notifier.scan(end.minus(Duration.ofDays(7)));
        assertThat(expiryMailsTo(actor, 2)).hasSize(2);
        assertThat(outcomes(id)).containsExactly("60:SKIPPED", "30:SENT", "7:SENT");
    }

    @Test
    void aRenewedCertificateGetsNoFurtherNotices() throws Exception {
        String actor = unique("renewed");
        Instant end = at("2007-06-01");
        UUID id = order(actor, end);
        notifier.scan(end.minus(Duration.ofDays(60)));
        assertThat(expiryMailsTo(actor, 1)).hasSize(1);
        assertThat(notifier.due(end.minus(Duration.ofDays(30)))).contains(id);

        // renewal needs a certificate still valid today: back to a real end date for the order, then again in 2007
        setNotAfter(id, Instant.now().plus(Duration.ofDays(30)));
        ObjectNode renewal = JSON.createObjectNode().put("csr", csr("renewal")).put("termsAccepted", true)
                .put("revocationCode", "code-secret-43");
        HttpResponse<String> renewed = send(personaClient("admin-chu"), "POST", "/api/v1/certificates/" + id + "/renewal", renewal);
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(201);
        assertThat(jdbc.sql("select status from certificate where id = :id").param("id", id).query(String.class).single())
                .isEqualTo("ACTIVE");
        setNotAfter(id, end);

        for (int days : List.of(30, 7, 0)) {
            notifier.scan(end.minus(Duration.ofDays(days)));
        }
        assertThat(notifier.due(end)).doesNotContain(id);
        assertThat(expiryMailsTo(actor, 0)).hasSize(1);
        assertThat(outcomes(id)).containsExactly("60:SENT");
        // the tracking page shows the old certificate "renouvelé"
        assertThat(trackingRow(id)).contains("renouvelé");
    }

    @Test
    void aNewerActiveCertificateOfTheSameProductSilencesTheOlder() throws Exception {
        String actor = unique("newer");
        Instant end = at("2013-06-01");
        UUID older = order(actor, end);
        assertThat(notifier.due(end.minus(Duration.ofDays(60)))).contains(older);
        // a second order of the same structure, usage, environment and service applicatif, ending later
        UUID newer = order(unique("newer-other"), end.plus(Duration.ofDays(365)));
        jdbc.sql("""
                update certificate set service_applicatif = (select service_applicatif from certificate where id = :older)
                where id = :newer""").param("older", older).param("newer", newer).update();
        assertThat(notifier.due(end.minus(Duration.ofDays(60)))).doesNotContain(older);
        notifier.scan(end.minus(Duration.ofDays(60)));
        assertThat(outcomes(older)).isEmpty();
        // the silenced certificate is the one tracking shows "renouvelé" (by the newer one); the newer is not
        assertThat(trackingRow(older)).contains("renouvelé");
        assertThat(trackingRow(newer)).doesNotContain("renouvelé");
        assertThat(getString(personaClient("admin-chu"), https("/app/certificates/" + older)).body())
                .contains("Renouvelé par", "/app/certificates/" + newer);
    }

    @Test
    void aThresholdLongerThanTheValidityFiresAtTheFirstScan() throws Exception {
        String actor = unique("short");
        Instant end = at("2022-06-01");
        UUID id = order(actor, end);
        // a 20-day certificate: the 60- and 30-day thresholds are already reached when it is issued
        jdbc.sql("update certificate set not_before = :nb where id = :id")
                .param("nb", Timestamp.from(end.minus(Duration.ofDays(20)))).param("id", id).update();
        assertThat(notifier.scan(end.minus(Duration.ofDays(20)).plusSeconds(3600))).isGreaterThanOrEqualTo(1);
        notifier.scan(end.minus(Duration.ofDays(19)));
        List<ReceivedMail> mails = expiryMailsTo(actor, 1);
        assertThat(mails).hasSize(1);
        assertThat(mails.getFirst().text()).contains("dans 19 jour(s)");
        assertThat(outcomes(id)).containsExactly("60:SKIPPED", "30:SENT");
    }

    @Test
    void twoConcurrentScansSendOnce() throws Exception {
        String actor = unique("concurrent");
        Instant end = at("2010-06-01");
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(order(actor.replace("@", "+" + i + "@"), end.plus(Duration.ofHours(i))));
        }
        Instant now = end.minus(Duration.ofDays(59));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<Integer>> scans = new ArrayList<>();
            for (int node = 0; node < 2; node++) {
                scans.add(pool.submit(() -> {
                    start.await();
                    return notifier.scan(now);
                }));
            }
            int sent = 0;
            for (Future<Integer> scan : scans) {
                sent += scan.get(60, TimeUnit.SECONDS);
            }
            assertThat(sent).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(expiryMailsTo(actor.replace("@", "+" + i + "@"), 1)).hasSize(1);
            assertThat(outcomes(ids.get(i))).containsExactly("60:SENT");
        }
    }

    @Test
    void aDigestUserGetsOneDailyMailInsteadOfOnePerCertificate() throws Exception {
        HttpClient admin = personaClient("admin-chu");
        Person person = registry.personByCardNumber("2800000003").orElseThrow();
        String adminEmail = person.email();
        assertThat(adminEmail).as("admin-chu needs an e-mail address in the demo data").isNotBlank();
        try {
            HttpResponse<String> put = send(admin, "PUT", "/api/v1/me/notification-preferences",
                    JSON.createObjectNode().put("digest", true));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(getString(admin, https("/api/v1/me/notification-preferences")).body());
            assertThat(body.get("digest").asBoolean()).isTrue();

            Instant end = at("2016-06-01");
            String actorA = unique("digest-a");
            String actorB = unique("digest-b");
            UUID a = order(actorA, end);
            UUID b = order(actorB, end.plus(Duration.ofDays(2)));
            int adminMailsBefore = receivedMailsTo(adminEmail).size();
            notifier.scan(end.minus(Duration.ofDays(58)));
            // the contact addresses still get their own mail, without the digest administrator in copy
            ReceivedMail toA = expiryMailsTo(actorA, 1).getFirst();
            assertThat(toA.cc()).noneMatch(address -> address.equalsIgnoreCase(adminEmail));
            assertThat(expiryMailsTo(actorB, 1)).hasSize(1);

            assertThat(notifier.sendDigests(end.minus(Duration.ofDays(58)))).isGreaterThanOrEqualTo(1);
            String serialA = jdbc.sql("select serial_number from certificate where id = :id").param("id", a).query(String.class).single();
            String serialB = jdbc.sql("select serial_number from certificate where id = :id").param("id", b).query(String.class).single();
            // this test's digest (other tests may have sent admin-chu digests of their own)
            List<ReceivedMail> digests = awaitMails(m -> m.isFor(adminEmail) && m.subject().startsWith("Certificats arrivant")
                    && m.text().contains(serialA), 1);
            ReceivedMail digest = digests.getFirst();
            assertThat(digest.text()).contains(serialA, serialB, "/app/certificates/" + a);
            // nothing left: a second run sends no second digest
            assertThat(notifier.sendDigests(end.minus(Duration.ofDays(57)))).isZero();
            Thread.sleep(1500);
            assertThat(receivedMailsTo(adminEmail).size() - adminMailsBefore).isEqualTo(1);
        } finally {
            send(admin, "PUT", "/api/v1/me/notification-preferences", JSON.createObjectNode().put("digest", false));
        }
        assertThat(JSON.readTree(getString(admin, https("/api/v1/me/notification-preferences")).body())
                .get("digest").asBoolean()).isFalse();
    }

    @Test
    void anUndeliverableContactAddressIsToldToTheLegalRepresentativeOnce() throws Exception {
        String actor = unique("bounce");
        UUID id = order(actor, at("2019-06-01"));
        Person legal = registry.personByCardNumber("2800000002").orElseThrow();
        assertThat(legal.email()).as("legal-chu needs an e-mail address in the demo data").isNotBlank();
        Thread.sleep(1000); // the issuance mail, sent after commit
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        transaction.executeWithoutResult(s -> events.publishEvent(new AddressUndeliverable(actor, "550 5.1.1 no such user")));
        List<ReceivedMail> told = awaitMails(m -> m.isFor(legal.email()) && m.text().contains(actor), 1);
        assertThat(told.getFirst().subject()).contains("injoignable");
        assertThat(told.getFirst().text()).contains("550 5.1.1", "/app/certificates/" + id);
        assertThat(jdbc.sql("select count(*) from undeliverable_notice where address = :a").param("a", actor)
                .query(Long.class).single()).isEqualTo(1);

        transaction.executeWithoutResult(s -> events.publishEvent(new AddressUndeliverable(actor, "550 again")));
        Thread.sleep(1500);
        assertThat(receivedMails().stream().filter(m -> m.isFor(legal.email()) && m.text().contains(actor))).hasSize(1);
    }
}
