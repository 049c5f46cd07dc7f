package org.openigc.certdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.openigc.ca.Environment;
import org.openigc.certdc.connection.ServerCertificates;
import org.openigc.certdc.trust.PlatformTrust;
import org.springframework.beans.factory.annotation.Autowired;

/** The public space, CertDC accounts, the instruction of a connection request and the production switch, end to end. */
class CertDcConnectionIT extends CertDcTestSupport {
    @Autowired
    ServerCertificates serverCertificates;

    private static Map<String, List<String>> form(String email, String captcha, boolean consent, String... establishments) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        form.put("lastName", List.of("DURAND"));
        form.put("firstName", List.of("Alice"));
        form.put("function", List.of("Responsable SI"));
        form.put("email", List.of(email));
        form.put("phone", List.of("04 72 00 00 00"));
        form.put("address", List.of("3 rue de la Paix"));
        form.put("postcode", List.of("69003"));
        form.put("town", List.of("Lyon"));
        form.put("siName", List.of("DPI LYON"));
        form.put("siVersion", List.of("5.2"));
        form.put("comments", List.of("Raccordement du DPI"));
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < establishments.length; i++) {
            kinds.add(i == 0 ? "EJ" : "EG");
        }
        form.put("establishmentNumber", List.of(establishments));
        form.put("establishmentKind", kinds);
        form.put("establishmentName", java.util.Collections.nCopies(establishments.length, "Site"));
        if (captcha != null) {
            form.put("captcha", List.of(captcha));
        }
        if (consent) {
            form.put("consent", List.of("yes"));
        }
        form.put("action", List.of("submit"));
        return form;
    }

    private int systemsOf(String email) {
        return jdbc.sql("select count(*) from certdc.information_system where requester_email = :e").param("e", email)
                .query(Integer.class).single();
    }

    @Test
    void theRequestNeedsARightSingleUseCaptchaAndTheConsent() {
        String email = "captcha-" + System.nanoTime() + "@chu.example";
        String legal = newFiness();
        Browser browser = browser();
        browser.get("/certdc/connexion");

        HttpResponse<String> noCaptcha = browser.post("/certdc/connexion", form(email, null, true, legal));
        assertThat(noCaptcha.statusCode()).isEqualTo(400);
        assertThat(noCaptcha.body()).contains("La réponse de vérification est incorrecte");

        HttpResponse<String> wrong = browser.post("/certdc/connexion", form(email, "ZZZZZ", true, legal));
        assertThat(wrong.statusCode()).isEqualTo(400);

        browser.get("/certdc/connexion?captcha=question");
        String answer = solve(browser.last.body());
        HttpResponse<String> noConsent = browser.post("/certdc/connexion", form(email, answer, false, legal));
        assertThat(noConsent.statusCode()).isEqualTo(400);
        assertThat(noConsent.body()).contains("Cochez la case de consentement");
        // the answer was used: the same answer to the new question is wrong (unless, by chance, it is the same sum)
        if (!solve(noConsent.body()).equals(answer)) {
            assertThat(browser.post("/certdc/connexion", form(email, answer, true, legal)).statusCode()).isEqualTo(400);
        }
        assertThat(systemsOf(email)).isZero();
        assertThat(accounts.repository().emailsOf(org.openigc.certdc.account.AccountKind.SI_MANAGER)).doesNotContain(email);
    }

    @Test
    void theCaptchaImageIsDrawnByTheServerForEachChallenge() throws Exception {
        Browser browser = browser();
        HttpResponse<String> page = browser.get("/certdc/connexion");
        assertThat(page.body()).contains("/certdc/captcha.png");
        HttpResponse<byte[]> first = browser.getBytes("/certdc/captcha.png");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(first.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        var image = ImageIO.read(new ByteArrayInputStream(first.body()));
        assertThat(image.getWidth()).isEqualTo(220);
        assertThat(image.getHeight()).isEqualTo(80);
        assertThat(browser.getBytes("/certdc/captcha.png?renew=1").body()).isNotEqualTo(first.body());
    }

    @Test
    void establishmentsAreAddedAndRemovedInTheFormWithoutJavaScript() {
        Browser browser = browser();
        browser.get("/certdc/connexion");
        Map<String, List<String>> form = form("rows@chu.example", null, false, "750712184", "750100018");
        form.put("action", List.of("add"));
        HttpResponse<String> added = browser.post("/certdc/connexion", form);
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(count(added.body(), "name=\"establishmentNumber\"")).isEqualTo(3);
        form.put("action", List.of("remove-0"));
        HttpResponse<String> removed = browser.post("/certdc/connexion", form);
        assertThat(count(removed.body(), "name=\"establishmentNumber\"")).isEqualTo(1);
        assertThat(removed.body()).contains("value=\"750100018\"").doesNotContain("value=\"750712184\"");
    }

    @Test
    void aRequestIsRecordedPendingWithAnAccountWhoseMailedPasswordMustBeChangedFirst() {
        String email = "manager-" + System.nanoTime() + "@chu.example";
        String legal = newFiness();
        Browser browser = browser();
        browser.get("/certdc/connexion?captcha=question");
        HttpResponse<String> sent = browser.post("/certdc/connexion",
                form(email, solve(browser.last.body()), true, legal, "750100018"));
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(302);
        HttpResponse<String> done = browser.follow();
        assertThat(done.body()).contains("en attente d&#39;instruction");

        Map<String, Object> si = jdbc.sql("select reference, status, mode, structure from certdc.information_system "
                + "where requester_email = :e").param("e", email).query().singleRow();
        assertThat(si.get("status")).isEqualTo("PENDING");
        assertThat(si.get("mode")).isEqualTo("SANDBOX");
        assertThat(si.get("structure")).isEqualTo("1" + legal);
        assertThat(done.body()).contains((String) si.get("reference"));

        RecordingMailer.Mail mail = mails().last("account-created", email).orElseThrow();
        String login = mail.get("login");
        String password = mail.get("password");
        assertThat(done.body()).contains(login).doesNotContain(password);
        assertThat(mail.get("reference")).isEqualTo(si.get("reference"));
        String hash = jdbc.sql("select password_hash from certdc.account where login = :l").param("l", login)
                .query(String.class).single();
        assertThat(hash).startsWith("{argon2}").doesNotContain(password);

        Browser manager = browser();
        assertThat(manager.login(login, password).headers().firstValue("Location").orElse(""))
                .endsWith("/certdc/account/password");
        assertThat(manager.get("/certdc/si").statusCode()).isEqualTo(302);
        assertThat(manager.last.headers().firstValue("Location").orElse("")).endsWith("/certdc/account/password");
        manager.get("/certdc/account/password");
        HttpResponse<String> weak = manager.post("/certdc/account/password", "current", password,
                "password", "short", "confirmation", "short");
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(weak.body()).contains("au moins 12 caractères");
        HttpResponse<String> changed = manager.post("/certdc/account/password", "current", password,
                "password", "Nouveau-Mot-2passe", "confirmation", "Nouveau-Mot-2passe");
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(mails().last("password-changed", email)).isPresent();
        HttpResponse<String> space = manager.get("/certdc/si");
        assertThat(space.statusCode()).isEqualTo(200);
        assertThat(space.body()).contains("En attente d&#39;instruction").contains(legal);
        // the one-time password is gone
        assertThat(browser().login(login, password).headers().firstValue("Location").orElse("")).contains("error=bad");
    }

    @Test
    void theAdministratorInstructsAndSwitchesToProductionEachStepMailed() {
        String email = "prod-" + System.nanoTime() + "@chu.example";
        String legal = newFiness();
        var submitted = connections.submit(request(email, legal), "10.2.0.1");
        String managerPassword = mails().last("account-created", email).orElseThrow().get("password");
        Browser manager = browser();
        manager.login(submitted.login(), managerPassword);
        manager.get("/certdc/account/password");
        manager.post("/certdc/account/password", "current", managerPassword, "password", "Manager-Pass-2026",
                "confirmation", "Manager-Pass-2026");

        Browser admin = browser();
        assertThat(admin.login(CertDcDemo.ADMIN, CertDcDemo.ADMIN_PASSWORD).headers().firstValue("Location").orElse(""))
                .endsWith("/certdc/admin");
        assertThat(admin.get("/certdc/admin?status=PENDING").body()).contains(submitted.reference());
        admin.get("/certdc/admin/si/" + submitted.id());
        assertThat(admin.post("/certdc/admin/si/" + submitted.id() + "/validation").statusCode()).isEqualTo(302);
        assertThat(admin.follow().body()).contains("Validée");
        assertThat(mails().last("request-validated", email)).isPresent();

        Credential test = orgAuthCli(Environment.TEST, "1" + legal);
        Credential production = orgAuthCli(Environment.PRODUCTION, "1" + legal);
        assertThat(json(deposit(mtls(test), depositJson(legal, newIpp(), "DUPONT", "Jean"), null)).get("mode").asString())
                .isEqualTo("SANDBOX");

        manager.get("/certdc/si");
        assertThat(manager.post("/certdc/si/" + submitted.id() + "/production").statusCode()).isEqualTo(302);
        assertThat(mails().last("production-requested", email)).isPresent();
        assertThat(mails().last("production-requested-admin", "certdc-admin@openigc.example")).isPresent();
        // asked once only
        manager.get("/certdc/si");
        assertThat(manager.post("/certdc/si/" + submitted.id() + "/production").statusCode()).isEqualTo(409);

        admin.get("/certdc/admin/si/" + submitted.id());
        assertThat(admin.post("/certdc/admin/si/" + submitted.id() + "/production", "decision", "grant", "reason", "")
                .statusCode()).isEqualTo(302);
        assertThat(mails().last("production-validated", email)).isPresent();
        assertThat(jdbc.sql("select mode from certdc.information_system where id = :id").param("id", submitted.id())
                .query(String.class).single()).isEqualTo("PRODUCTION");

        HttpResponse<String> withTest = deposit(mtls(test), depositJson(legal, newIpp(), "DUPONT", "Jean"), null);
        assertThat(withTest.statusCode()).isEqualTo(403);
        assertThat(json(withTest).get("code").asString()).isEqualTo("certificate.environment");
        String ipp = newIpp();
        HttpResponse<String> withProduction = deposit(mtls(production), depositJson(legal, ipp, "DUPONT", "Jean"), null);
        assertThat(withProduction.statusCode()).as(withProduction.body()).isEqualTo(201);
        assertThat(json(withProduction).get("mode").asString()).isEqualTo("PRODUCTION");

        // real data: a doctor's PRODUCTION card sees it as production data, a TEST card never sees it
        String rpps = newRpps();
        doctor(rpps, "prod-dr-" + rpps + "@chu.example", legal);
        var item = json(getJson(mtls(card(Environment.PRODUCTION, "8" + rpps, "MEDECIN", "Noé")),
                "/certdc/api/v1/deposits?ipp=" + ipp)).get("items").get(0);
        assertThat(item.get("mode").asString()).isEqualTo("PRODUCTION");
        assertThat(item.get("sandbox").asBoolean()).isFalse();
        assertThat(item.get("pending").asBoolean()).isTrue();
        assertThat(json(getJson(mtls(card(Environment.TEST, "8" + rpps, "MEDECIN", "Noé")),
                "/certdc/api/v1/deposits?ipp=" + ipp)).get("total").asInt()).isZero();
    }

    @Test
    void aRejectedRequestIsMailedWithItsReason() {
        String email = "reject-" + System.nanoTime() + "@chu.example";
        var submitted = connections.submit(request(email, newFiness()), "10.2.0.2");
        Browser admin = browser();
        admin.login(CertDcDemo.ADMIN, CertDcDemo.ADMIN_PASSWORD);
        admin.get("/certdc/admin/si/" + submitted.id());
        assertThat(admin.post("/certdc/admin/si/" + submitted.id() + "/rejection", "reason", "").statusCode())
                .isEqualTo(400);
        admin.get("/certdc/admin/si/" + submitted.id());
        admin.post("/certdc/admin/si/" + submitted.id() + "/rejection", "reason", "FINESS inconnu");
        assertThat(mails().last("request-rejected", email).orElseThrow().get("reason")).isEqualTo("FINESS inconnu");
        admin.get("/certdc/admin/si/" + submitted.id());
        assertThat(admin.post("/certdc/admin/si/" + submitted.id() + "/validation").statusCode()).isEqualTo(409);
    }

    @Test
    void anAccountIsLockedAfterFiveFailuresAndUnlockedByTheMailedLinkOnce() {
        String email = "lock-" + System.nanoTime() + "@chu.example";
        var submitted = connections.submit(request(email, newFiness()), "10.2.0.3");
        String password = mails().last("account-created", email).orElseThrow().get("password");
        for (int i = 0; i < 4; i++) {
            assertThat(browser().login(submitted.login(), "wrong-" + i).headers().firstValue("Location").orElse(""))
                    .contains("error=bad");
        }
        assertThat(browser().login(submitted.login(), "wrong-5").headers().firstValue("Location").orElse(""))
                .contains("error=locked");
        assertThat(browser().login(submitted.login(), password).headers().firstValue("Location").orElse(""))
                .contains("error=locked");
        RecordingMailer.Mail locked = mails().last("account-locked", email).orElseThrow();
        assertThat(mails().count("account-locked", email)).isEqualTo(1);

        String link = locked.get("unlockUrl");
        Browser owner = browser();
        HttpResponse<String> page = owner.get(link);
        assertThat(page.statusCode()).isEqualTo(200);
        String token = link.substring(link.indexOf("token=") + 6);
        assertThat(owner.post("/certdc/unlock", "token", token).statusCode()).isEqualTo(200);
        assertThat(owner.post("/certdc/unlock", "token", token).statusCode()).isEqualTo(410);
        assertThat(browser().login(submitted.login(), password).headers().firstValue("Location").orElse(""))
                .endsWith("/certdc/account/password");
    }

    @Test
    void aForgottenPasswordIsResetByASingleUseLinkThatExpires() {
        String email = "forgot-" + System.nanoTime() + "@chu.example";
        var submitted = connections.submit(request(email, newFiness()), "10.2.0.4");
        Browser owner = browser();
        owner.get("/certdc/password/forgot");
        assertThat(owner.post("/certdc/password/forgot", "login", submitted.login()).body())
                .contains("Si un compte correspond");
        String link = mails().last("password-reset", email).orElseThrow().get("resetUrl");
        String token = link.substring(link.indexOf("token=") + 6);
        // same answer for an identifier that does not exist: nothing to learn
        owner.get("/certdc/password/forgot");
        assertThat(owner.post("/certdc/password/forgot", "login", "nobody-" + System.nanoTime()).body())
                .contains("Si un compte correspond");

        assertThat(owner.get(link).statusCode()).isEqualTo(200);
        HttpResponse<String> weak = owner.post("/certdc/password/reset", "token", token, "password", "aaaaaaaaaaaa",
                "confirmation", "aaaaaaaaaaaa");
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(owner.post("/certdc/password/reset", "token", token, "password", "Reset-Pass-2026",
                "confirmation", "Reset-Pass-2026").statusCode()).isEqualTo(200);
        assertThat(owner.post("/certdc/password/reset", "token", token, "password", "Other-Pass-2026",
                "confirmation", "Other-Pass-2026").statusCode()).isEqualTo(410);
        assertThat(browser().login(submitted.login(), "Reset-Pass-2026").headers().firstValue("Location").orElse(""))
                .endsWith("/certdc/si");

        owner.get("/certdc/password/forgot");
        owner.post("/certdc/password/forgot", "login", submitted.login());
        String second = mails().last("password-reset", email).orElseThrow().get("resetUrl");
        jdbc.sql("update certdc.account_token set expires_at = now() - interval '1 second' where used_at is null "
                + "and account_id = (select id from certdc.account where login = :l)").param("l", submitted.login()).update();
        assertThat(owner.get(second).statusCode()).isEqualTo(410);
    }

    @Test
    void forgottenPasswordRequestsAreRateLimited() {
        String email = "rate-" + System.nanoTime() + "@chu.example";
        var submitted = connections.submit(request(email, newFiness()), "10.2.0.5");
        Browser browser = browser();
        for (int i = 0; i < 3; i++) {
            browser.get("/certdc/password/forgot");
            assertThat(browser.post("/certdc/password/forgot", "login", submitted.login()).statusCode()).isEqualTo(200);
        }
        browser.get("/certdc/password/forgot");
        HttpResponse<String> limited = browser.post("/certdc/password/forgot", "login", submitted.login());
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(mails().count("password-reset", email)).isEqualTo(3);
    }

    @Test
    void theManagerDownloadsTheServerCertificateAndAKitWhoseExampleIsAccepted() throws Exception {
        Browser manager = browser();
        assertThat(manager.login(CertDcDemo.MANAGER, CertDcDemo.MANAGER_PASSWORD).headers().firstValue("Location")
                .orElse("")).endsWith("/certdc/si");
        HttpResponse<String> space = manager.get("/certdc/si");
        assertThat(space.body()).contains(CertDcDemo.SI_REFERENCE).contains("Bac à sable").contains("Validée");

        HttpResponse<String> pem = manager.get("/certdc/si/server-certificate.pem");
        assertThat(pem.statusCode()).isEqualTo(200);
        var presented = (java.security.cert.X509Certificate) pem.sslSession().orElseThrow().getPeerCertificates()[0];
        var downloaded = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.body().getBytes(StandardCharsets.US_ASCII)));
        assertThat(downloaded).isEqualTo(presented);

        HttpResponse<byte[]> kit = manager.getBytes("/certdc/si/kit.zip");
        assertThat(kit.statusCode()).isEqualTo(200);
        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(kit.body()))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                entries.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries).containsKeys("certdc-kit/README.txt", "certdc-kit/ca-chain.pem", "certdc-kit/certdc-server.pem",
                "certdc-kit/openigc-cas.pem", "certdc-kit/deposit.schema.json", "certdc-kit/deposit-example.json",
                "certdc-kit/curl-example.sh");
        assertThat(entries.get("certdc-kit/README.txt")).contains("bac à sable").contains("production")
                .contains(https("/certdc/ws/v1/deposits")).contains(PlatformTrust.fingerprint(presented));
        assertThat(entries.get("certdc-kit/curl-example.sh")).contains("--cert").contains("/certdc/ws/v1/deposits");
        assertThat(entries.get("certdc-kit/ca-chain.pem")).contains("BEGIN CERTIFICATE");
        assertThat(JSON.readTree(entries.get("certdc-kit/deposit.schema.json")).get("required").toString()).contains("ipp");

        String example = entries.get("certdc-kit/deposit-example.json").replace("466656", newIpp());
        HttpResponse<String> deposited = deposit(mtls(orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE)), example, null);
        assertThat(deposited.statusCode()).as(deposited.body()).isEqualTo(201);

        // the kit's curl example, run as an SI would run it, with curl as the peer
        if (java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/curl"))) {
            java.nio.file.Path kitDir = java.nio.file.Files.createTempDirectory(DATA_DIR, "kit-");
            for (String name : List.of("ca-chain.pem", "curl-example.sh")) {
                java.nio.file.Files.writeString(kitDir.resolve(name), entries.get("certdc-kit/" + name));
            }
            java.nio.file.Files.writeString(kitDir.resolve("deposit-example.json"),
                    entries.get("certdc-kit/deposit-example.json").replace("466656", newIpp()));
            Credential si = orgAuthCli(Environment.TEST, CertDcDemo.STRUCTURE);
            java.nio.file.Files.writeString(kitDir.resolve("si-auth-cli.pem"), org.openigc.ca.CertificateFormats.pem(
                    List.of(si.certificate(), authorities.ca(Environment.TEST, org.openigc.ca.CaRole.ORGANISATIONS).certificate())));
            java.io.StringWriter key = new java.io.StringWriter();
            try (var writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(key)) {
                writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(
                        (java.security.PrivateKey) si.keyStore().getKey("client", PASSWORD), null));
            }
            java.nio.file.Files.writeString(kitDir.resolve("si-auth-cli.key"), key.toString());
            Process curl = new ProcessBuilder("sh", "curl-example.sh").directory(kitDir.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor()).as(output).isZero();
            assertThat(JSON.readTree(output).get("mode").asString()).isEqualTo("SANDBOX");
        }
    }

    @Test
    void theManagerGivesADoctorOfItsEstablishmentsACertDcAccount() {
        String rpps = newRpps();
        String email = "referent-" + rpps + "@chu.example";
        Browser manager = browser();
        manager.login(CertDcDemo.MANAGER, CertDcDemo.MANAGER_PASSWORD);
        String si = connections.repository().byReference(CertDcDemo.SI_REFERENCE).orElseThrow().id().toString();
        assertThat(manager.get("/certdc/si").body()).contains("/certdc/si/" + si + "/doctors");
        HttpResponse<String> added = manager.post("/certdc/si/" + si + "/doctors", Map.of("rpps", List.of(rpps),
                "lastName", List.of("MEDECIN"), "firstName", List.of("Hugo"), "email", List.of(email),
                "establishments", List.of("750100018", "130000000")));
        assertThat(added.statusCode()).isEqualTo(302);
        var doctor = accounts.repository().byLogin(rpps).orElseThrow();
        assertThat(doctor.idNatPs()).isEqualTo("8" + rpps);
        assertThat(accounts.repository().establishmentsOf(doctor.id())).containsExactly("750100018");
        assertThat(mails().last("doctor-account-created", email).orElseThrow().get("login")).isEqualTo(rpps);

        manager.get("/certdc/si");
        manager.post("/certdc/si/" + si + "/doctors", Map.of("rpps", List.of("12345678901"),
                "lastName", List.of("MEDECIN"), "firstName", List.of("Hugo"), "email", List.of(email),
                "establishments", List.of("750100018")));
        assertThat(manager.follow().body()).contains("N° RPPS invalide");
    }

    @Test
    void aRenewedServerCertificateIsMailedToEveryManagerOnce() {
        jdbc.sql("update certdc.server_certificate set fingerprint_sha256 = 'previous' where name = 'https'").update();
        int mailed = serverCertificates.checkRenewal();
        assertThat(mailed).isPositive();
        RecordingMailer.Mail mail = mails().last("server-certificate-renewed", "si-manager@chu-demo.example").orElseThrow();
        assertThat(mail.get("fingerprint")).isEqualTo(PlatformTrust.fingerprint(serverCertificates.current().orElseThrow()));
        assertThat(serverCertificates.checkRenewal()).isZero();
    }

    @Test
    void eachKindOfAccountStaysInItsOwnSpace() {
        Browser manager = browser();
        manager.login(CertDcDemo.MANAGER, CertDcDemo.MANAGER_PASSWORD);
        assertThat(manager.get("/certdc/admin").statusCode()).isEqualTo(403);
        assertThat(manager.get("/certdc/doctor").statusCode()).isEqualTo(403);
        assertThat(browser().get("/certdc/si").headers().firstValue("Location").orElse("")).endsWith("/certdc/login");
        HttpResponse<String> home = browser().get("/certdc");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("96 heures");
        assertThat(home.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'");
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
