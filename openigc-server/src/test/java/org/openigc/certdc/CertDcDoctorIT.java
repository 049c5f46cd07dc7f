package org.openigc.certdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openigc.ca.Environment;
import org.openigc.certdc.deposit.PurgeJob;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The declaring doctor's retrieval (API and pages), its drafts, the demo doctor, and the 96-hour purge. */
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class CertDcDoctorIT extends CertDcTestSupport {
    @Autowired
    CertDcDemo demo;
    @Autowired
    CertDcAudit audit;

    private String deposit(String establishment, String ipp, String birthName) {
        HttpResponse<String> response = deposit(mtls(orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE)),
                depositJson(establishment, ipp, birthName, "Jeanne Marie"), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).get("id").asString();
    }

    @Test
    void aDoctorOfTheEstablishmentRetrievesTheDataSetByIppWithItsCard() {
        String rpps = newRpps();
        doctor(rpps, "dr-" + rpps + "@chu.example", "750100018");
        Credential card = card(Environment.PRODUCTION, "8" + rpps, "MEDECIN", "Claire");
        String ipp = newIpp();
        String id = deposit("750100018", ipp, "DUPONT");

        HttpResponse<String> response = getJson(mtls(card), "/certdc/api/v1/deposits?ipp=" + ipp);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("total").asInt()).isEqualTo(1);
        JsonNode item = body.get("items").get(0);
        assertThat(item.get("id").asString()).isEqualTo(id);
        assertThat(item.get("mode").asString()).isEqualTo("SANDBOX");
        assertThat(item.get("sandbox").asBoolean()).isTrue();
        assertThat(item.get("ipp").asString()).isEqualTo(ipp);
        assertThat(item.get("patient").get("birthName").asString()).isEqualTo("DUPONT");
        assertThat(item.get("patient").get("firstNames").asString()).isEqualTo("Jeanne Marie");
        assertThat(item.get("patient").get("birthDate").asString()).isEqualTo("1938-04-12");
        assertThat(item.get("death").get("date").asString()).isEqualTo("2026-01-02T06:40");
        // another IPP, or a filter on production, finds nothing
        assertThat(json(getJson(mtls(card), "/certdc/api/v1/deposits?ipp=" + newIpp())).get("total").asInt()).isZero();
        assertThat(json(getJson(mtls(card), "/certdc/api/v1/deposits?ipp=" + ipp + "&mode=PRODUCTION")).get("total")
                .asInt()).isZero();
    }

    @Test
    void doctorsOfOtherEstablishmentsAndStrangersSeeNothing() {
        String ipp = newIpp();
        deposit("750100026", ipp, "DUPONT");
        String other = newRpps();
        doctor(other, "other-" + other + "@chu.example", newFiness());
        HttpResponse<String> elsewhere = getJson(mtls(card(Environment.PRODUCTION, "8" + other, "AUTRE", "Paul")),
                "/certdc/api/v1/deposits?ipp=" + ipp);
        assertThat(elsewhere.statusCode()).isEqualTo(200);
        assertThat(json(elsewhere).get("total").asInt()).isZero();

        HttpResponse<String> unknownCard = getJson(mtls(card(Environment.PRODUCTION, "8" + newRpps(), "INCONNU", "Luc")),
                "/certdc/api/v1/deposits?ipp=" + ipp);
        assertThat(unknownCard.statusCode()).isEqualTo(403);
        assertThat(json(unknownCard).get("code").asString()).isEqualTo("certdc.card.unknown");

        HttpResponse<String> anonymous = getJson(client(), "/certdc/api/v1/deposits?ipp=" + ipp);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");

        Browser manager = browser();
        manager.login(CertDcDemo.MANAGER, CertDcDemo.MANAGER_PASSWORD);
        assertThat(manager.get("/certdc/api/v1/deposits?ipp=" + ipp).statusCode()).isEqualTo(403);

        String rpps = newRpps();
        doctor(rpps, "dr2-" + rpps + "@chu.example", "750100026");
        HttpResponse<String> noIpp = getJson(mtls(card(Environment.PRODUCTION, "8" + rpps, "MEDECIN", "Anne")),
                "/certdc/api/v1/deposits");
        assertThat(noIpp.statusCode()).isEqualTo(400);
        assertThat(json(noIpp).get("errors").get(0).get("field").asString()).isEqualTo("ipp");
    }

    @Test
    void aDoctorLogsInWithItsCardOnTheLoginPage() {
        String rpps = newRpps();
        doctor(rpps, "cardlogin-" + rpps + "@chu.example", "750100018");
        Browser withCard = browser(card(Environment.TEST, "8" + rpps, "MEDECIN", "Lina"));
        assertThat(withCard.get("/certdc/login").body()).contains("Un certificat a été présenté");
        HttpResponse<String> loggedIn = withCard.post("/certdc/login/card");
        assertThat(loggedIn.statusCode()).isEqualTo(302);
        assertThat(loggedIn.headers().firstValue("Location").orElse("")).endsWith("/certdc/doctor");
        HttpResponse<String> home = withCard.follow();
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("Claire MEDECIN").doesNotContain("/certdc/account/password\">");

        Browser stranger = browser(card(Environment.TEST, "8" + newRpps(), "INCONNU", "Tom"));
        stranger.get("/certdc/login");
        HttpResponse<String> refused = stranger.post("/certdc/login/card");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("ne donne accès à aucun compte CertDC");
        Browser noCard = browser();
        noCard.get("/certdc/login");
        assertThat(noCard.post("/certdc/login/card").statusCode()).isEqualTo(403);
        // an SI certificate is not a card
        Browser si = browser(orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE));
        si.get("/certdc/login");
        assertThat(si.post("/certdc/login/card").statusCode()).isEqualTo(403);
    }

    @Test
    void aCertDcLoginNeverAuthenticatesAnyoneToThePlatform() {
        int anonymous = browser().get("/app/certificates").statusCode();
        Browser manager = browser();
        manager.login(CertDcDemo.MANAGER, CertDcDemo.MANAGER_PASSWORD);
        assertThat(manager.get("/certdc/si").statusCode()).isEqualTo(200);
        assertThat(manager.get("/app/certificates").statusCode()).isEqualTo(anonymous).isNotEqualTo(404);
        // logging out of CertDC ends the CertDC login only
        manager.get("/certdc/si");
        assertThat(manager.post("/certdc/logout").statusCode()).isEqualTo(302);
        assertThat(manager.get("/certdc/si").statusCode()).isEqualTo(302);
    }

    @Test
    void nothingNominativeReachesTheLogs(org.springframework.boot.test.system.CapturedOutput output) {
        String name = "JOURNAL" + Long.toString(System.nanoTime(), 36).toUpperCase().replaceAll("[0-9]", "X");
        String ipp = newIpp();
        deposit("750100018", ipp, name);
        deposit(mtls(orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE)),
                depositJson("750100018", ipp, name + "<", "Jean"), null);
        String rpps = newRpps();
        doctor(rpps, "logs-" + rpps + "@chu.example", "750100018");
        getJson(mtls(card(Environment.PRODUCTION, "8" + rpps, "MEDECIN", "Ada")), "/certdc/api/v1/deposits?ipp=" + ipp);
        assertThat(output.getAll()).contains("certdc.deposit").doesNotContain(name).doesNotContain(ipp);
    }

    @Test
    void aRevokedCardIsRefused() throws Exception {
        String rpps = newRpps();
        doctor(rpps, "revoked-" + rpps + "@chu.example", "750100018");
        Credential card = card(Environment.PRODUCTION, "8" + rpps, "MEDECIN", "Rose");
        assertThat(getJson(mtls(card), "/certdc/api/v1/deposits?ipp=X").statusCode()).isEqualTo(200);
        revokeAtThePlatform(card.certificate());
        Thread.sleep(1_100);
        HttpResponse<String> refused = getJson(mtls(card), "/certdc/api/v1/deposits?ipp=X");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).get("code").asString()).isEqualTo("certificate.revoked");
    }

    @Test
    void theDoctorOpensAPrefilledDraftAsMedecinDeclarantSavesItAndCompletesItLater() {
        String rpps = newRpps();
        String password = doctor(rpps, "draft-" + rpps + "@chu.example", "920100047");
        String ipp = newIpp();
        deposit("920100047", ipp, "D'ARTAGNAN");

        Browser doctor = browser();
        doctor.login(rpps, password);
        doctor.get("/certdc/account/password");
        doctor.post("/certdc/account/password", "current", password, "password", "Docteur-Pass-2026",
                "confirmation", "Docteur-Pass-2026");
        HttpResponse<String> home = doctor.get("/certdc/doctor");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("en attente de création de certificat").contains("Médecin déclarant");
        int pendingBefore = pendingSandbox(home.body());
        assertThat(pendingBefore).isPositive();

        HttpResponse<String> found = doctor.post("/certdc/doctor/search", "ipp", ipp);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).contains("D&#39;ARTAGNAN").contains("BAC À SABLE").contains("MEDECIN_DECLARANT");
        String depositId = json(getJson(mtls(card(Environment.PRODUCTION, "8" + rpps, "MEDECIN", "Claire")),
                "/certdc/api/v1/deposits?ipp=" + ipp)).get("items").get(0).get("id").asString();

        assertThat(doctor.post("/certdc/doctor/drafts", "deposit", depositId, "profile", "AUTRE").statusCode())
                .isEqualTo(400);
        doctor.get("/certdc/doctor");
        HttpResponse<String> opened = doctor.post("/certdc/doctor/drafts", "deposit", depositId, "profile",
                "MEDECIN_DECLARANT");
        assertThat(opened.statusCode()).isEqualTo(302);
        String draftPath = opened.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> draft = doctor.follow();
        assertThat(draft.body()).contains("D&#39;ARTAGNAN").contains("Jeanne Marie")
                .contains(ipp).contains("value=\"2026-01-02\"").contains("12/04/1938").contains("value=\"06:40\"");

        HttpResponse<String> saved = doctor.post(draftPath, "deathDate", "2026-01-02", "deathTime", "06:40",
                "deathCommune", "Paris", "deathPlaceType", "", "immediateCause", "", "underlyingCauses", "",
                "medicoLegalObstacle", "", "action", "save");
        assertThat(saved.statusCode()).isEqualTo(302);
        HttpResponse<String> incomplete = doctor.post(draftPath, "deathDate", "2026-01-02", "deathTime", "06:40",
                "deathCommune", "Paris", "deathPlaceType", "", "immediateCause", "", "underlyingCauses", "",
                "medicoLegalObstacle", "", "action", "complete");
        assertThat(incomplete.statusCode()).isEqualTo(400);

        // later, in a new session: the draft kept what was saved
        Browser later = browser();
        later.login(rpps, "Docteur-Pass-2026");
        HttpResponse<String> reopened = later.get(draftPath);
        assertThat(reopened.body()).contains("value=\"Paris\"").contains("Brouillon");
        HttpResponse<String> completed = later.post(draftPath, "deathDate", "2026-01-02", "deathTime", "06:40",
                "deathCommune", "Paris", "deathPlaceType", "ETABLISSEMENT_SANTE", "immediateCause", "Arrêt cardiaque",
                "underlyingCauses", "", "medicoLegalObstacle", "NON", "action", "complete");
        assertThat(completed.statusCode()).isEqualTo(302);
        assertThat(later.follow().body()).contains("Finalisé");
        assertThat(pendingSandbox(later.get("/certdc/doctor").body())).isEqualTo(pendingBefore - 1);
        // another doctor cannot open it
        String intruder = newRpps();
        String intruderPassword = doctor(intruder, "intruder-" + intruder + "@chu.example", "920100047");
        Browser other = browser();
        other.login(intruder, intruderPassword);
        other.get("/certdc/account/password");
        other.post("/certdc/account/password", "current", intruderPassword, "password", "Intrus-Pass-2026",
                "confirmation", "Intrus-Pass-2026");
        assertThat(other.get(draftPath).statusCode()).isEqualTo(404);
        // the draft's content is encrypted at rest too
        byte[] content = jdbc.sql("select content from certdc.certificate_draft where id = :id")
                .param("id", UUID.fromString(draftPath.substring(draftPath.lastIndexOf('/') + 1))).query(byte[].class).single();
        assertThat(new String(content, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("ARTAGNAN")
                .doesNotContain("cardiaque");
    }

    @Test
    void namesWithMarkupOrSqlAreRefusedAndQuotesAreStoredLiterallyAndEscapedOnDisplay() {
        HttpResponse<String> script = deposit(mtls(orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE)),
                depositJson("750100018", newIpp(), "<script>alert(1)</script>", "Jean"), null);
        assertThat(script.statusCode()).isEqualTo(400);
        assertThat(json(script).get("errors").get(0).get("field").asString()).isEqualTo("patient.birthName");
        HttpResponse<String> sql = deposit(mtls(orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE)),
                depositJson("750100018", newIpp(), "Robert'); DROP TABLE certdc.deposit;--", "Jean"), null);
        assertThat(sql.statusCode()).isEqualTo(400);

        String ipp = newIpp();
        deposit("750100018", ipp, "X' OR 'X");
        String rpps = newRpps();
        String password = doctor(rpps, "escape-" + rpps + "@chu.example", "750100018");
        JsonNode item = json(getJson(mtls(card(Environment.PRODUCTION, "8" + rpps, "MEDECIN", "Eve")),
                "/certdc/api/v1/deposits?ipp=" + ipp)).get("items").get(0);
        assertThat(item.get("patient").get("birthName").asString()).isEqualTo("X' OR 'X");
        Browser doctor = browser();
        doctor.login(rpps, password);
        doctor.get("/certdc/account/password");
        doctor.post("/certdc/account/password", "current", password, "password", "Escape-Pass-2026",
                "confirmation", "Escape-Pass-2026");
        doctor.get("/certdc/doctor");
        String page = doctor.post("/certdc/doctor/search", "ipp", ipp).body();
        assertThat(page).contains("X&#39; OR &#39;X").doesNotContain("X' OR 'X");
        assertThat(jdbc.sql("select count(*) from certdc.deposit").query(Integer.class).single()).isPositive();
    }

    @Test
    void depositsArePurgedNinetySixHoursAfterReceptionWithTheirDraftsContent() {
        String ipp = newIpp();
        String id = deposit("750100018", ipp, "PURGE");
        String rpps = newRpps();
        doctor(rpps, "purge-" + rpps + "@chu.example", "750100018");
        var user = org.openigc.certdc.account.AccountService.user(accounts.repository().byLogin(rpps).orElseThrow(), "card");
        UUID draft = doctorService.openDraft(user, UUID.fromString(id), "MEDECIN_DECLARANT");
        Instant receivedAt = jdbc.sql("select received_at from certdc.deposit where id = :id").param("id", UUID.fromString(id))
                .query(java.sql.Timestamp.class).single().toInstant();

        PurgeJob.Outcome early = purgeAt(receivedAt.plus(Duration.ofHours(95).plusMinutes(59)));
        assertThat(early.skipped()).isFalse();
        assertThat(exists(id)).isTrue();
        assertThat(draftContent(draft)).isTrue();

        PurgeJob.Outcome due = purgeAt(receivedAt.plus(Duration.ofHours(96)));
        assertThat(due.deposits()).isPositive();
        assertThat(exists(id)).isFalse();
        assertThat(draftContent(draft)).isFalse();
        assertThat(jdbc.sql("select status from certdc.certificate_draft where id = :id").param("id", draft)
                .query(String.class).single()).isEqualTo("EXPIRED");
        assertThat(json(getJson(mtls(card(Environment.PRODUCTION, "8" + rpps, "MEDECIN", "Max")),
                "/certdc/api/v1/deposits?ipp=" + ipp)).get("total").asInt()).isZero();
    }

    @Test
    void thePurgeRunsOnOneNodeAtATime() {
        Boolean held = transactions.execute(status -> {
            jdbc.sql("select pg_advisory_xact_lock(:lock)").param("lock", 0x0CE2_7DC0_0001L).query().singleValue();
            return new java.util.concurrent.CompletableFuture<PurgeJob.Outcome>().completeAsync(
                    () -> purgeAt(Instant.now().plus(Duration.ofDays(30)))).join().skipped();
        });
        assertThat(held).isTrue();
    }

    @Test
    void theDemoDoctorsCardIsLinkedToTheChuEstablishmentsAndTheReadmeHasACertDcSection() throws Exception {
        Path demoDir = DATA_DIR.resolve("demo");
        Files.createDirectories(demoDir);
        Path readme = demoDir.resolve("README.txt");
        if (!Files.exists(readme)) {
            Files.writeString(readme, "OpenIGC demo\n\n== Personas ==\noperator: operator.p12\n");
        }
        String before = Files.readString(readme);
        Path p12 = demoDir.resolve("doctor.p12");
        if (!Files.exists(p12)) {
            // the platform's demo seeding writes it; without that seeding, a card of our own plays the persona
            Credential card = card(Environment.PRODUCTION, "8" + newRpps(), "DEMO", "Docteur");
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("doctor", card.keyStore().getKey("client", PASSWORD), "demo".toCharArray(),
                    card.keyStore().getCertificateChain("client"));
            try (var out = Files.newOutputStream(p12)) {
                store.store(out, "demo".toCharArray());
            }
        }
        demo.seed();
        demo.seed();

        KeyStore doctorCard = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            doctorCard.load(in, "demo".toCharArray());
        }
        String alias = java.util.Collections.list(doctorCard.aliases()).stream()
                .filter(a -> isKey(doctorCard, a)).findFirst().orElseThrow();
        var certificate = (java.security.cert.X509Certificate) doctorCard.getCertificate(alias);
        String idNatPs = org.openigc.ca.verification.ClientCertificates.cardHolderOf(certificate).format();
        var doctor = accounts.repository().byIdNatPs(idNatPs).orElseThrow();
        assertThat(accounts.repository().establishmentsOf(doctor.id()))
                .contains("750712184", "750100018", "750100026", "920100047");
        // the demo doctor's card retrieves what the demo SI deposits
        String ipp = newIpp();
        deposit("750100026", ipp, "DEMO");
        assertThat(json(getJson(client(doctorCard, "demo".toCharArray()), "/certdc/api/v1/deposits?ipp=" + ipp))
                .get("total").asInt()).isEqualTo(1);

        String text = Files.readString(readme);
        assertThat(text).startsWith(before.substring(0, Math.min(before.length(), before.indexOf("== CertDC ==") < 0
                ? before.length() : before.indexOf("== CertDC =="))).strip());
        assertThat(text).contains("== CertDC ==").contains(CertDcDemo.MANAGER_PASSWORD).contains(CertDcDemo.ADMIN_PASSWORD)
                .contains("login " + doctor.login());
        assertThat(text.indexOf("== CertDC ==")).isEqualTo(text.lastIndexOf("== CertDC =="));
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (java.security.KeyStoreException e) {
            return false;
        }
    }

    @Test
    void theDataKeyLivesOutsideTheDatabaseReadableByTheOwnerOnly() throws Exception {
        Path key = DATA_DIR.resolve("secrets").resolve("certdc-data.key");
        assertThat(Files.getPosixFilePermissions(key))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        String material = Files.readString(key).strip();
        assertThat(jdbc.sql("select count(*) from certdc.deposit where encode(payload, 'base64') like :k")
                .param("k", "%" + material.substring(0, 12) + "%").query(Integer.class).single()).isZero();
    }

    @Autowired
    org.openigc.certdc.deposit.DoctorService doctorService;

    private PurgeJob.Outcome purgeAt(Instant instant) {
        return new PurgeJob(jdbc, transactions, Clock.fixed(instant, ZoneOffset.UTC), audit).run();
    }

    private boolean exists(String id) {
        return jdbc.sql("select count(*) from certdc.deposit where id = :id").param("id", UUID.fromString(id))
                .query(Integer.class).single() == 1;
    }

    private boolean draftContent(UUID draft) {
        return jdbc.sql("select content is not null from certdc.certificate_draft where id = :id").param("id", draft)
                .query(Boolean.class).single();
    }

    private static int pendingSandbox(String page) {
        var matcher = java.util.regex.Pattern.compile("id=\"pending-sandbox\">.*?<strong>(\\d+)</strong>",
                java.util.regex.Pattern.DOTALL).matcher(page);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

}
