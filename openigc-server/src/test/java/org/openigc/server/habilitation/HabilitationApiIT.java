package org.openigc.server.habilitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openigc.server.mail.demo.ReceivedMail;
import org.openigc.server.registry.Person;

/**
 * {@code /api/v1/habilitations} (SPEC §7) over real TLS with the demo personas' cards, the real PostgreSQL and the
 * demo GreenMail: the whole workflow, every bad input of issue 3, authorisation per dossier, the state machine.
 */
class HabilitationApiIT extends HabilitationTestSupport {

    @Test
    @SuppressWarnings("unchecked")
    void legalRepresentativeSubmitsForAnEgOperatorApprovesAndTheAdministratorIsHabilitated() {
        HttpClient legal = personaClient("legal-chu");
        HttpClient admin = personaClient("admin-chu");
        HttpClient operator = personaClient("operator");
        String signatoryEmail = uniqueEmail("direction");
        String adminEmail = uniqueEmail("dsi");
        assertThat(habilitationOf(admin, "1" + CHU_NORD)).as("not habilitated on HOPITAL NORD yet").isNull();

        Map<String, Object> form = form(CHU_NORD, signatoryEmail, adminEmail);
        part(form, "structure").put("name", "CHU DEMO - HOPITAL NORD");
        form.put("offers", List.of("ORG", "SERV", "PRO"));
        form.put("sslDomains", List.of("nord.chu-demo.fr"));
        form.put("smimeDomains", List.of("@chu-demo.fr"));
        HttpResponse<String> created = postJson(legal, "/api/v1/habilitations", form);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, Object> answer = body(created);
        String reference = (String) answer.get("reference");
        assertThat(reference).matches("413-\\d{4}-\\d{6}");
        assertThat(answer.get("status")).isEqualTo("ACKNOWLEDGED");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/habilitations/" + reference);

        // The reference is mailed to the signatory at once.
        ReceivedMail acknowledgement = awaitMailsTo(signatoryEmail, 1).getFirst();
        assertThat(acknowledgement.subject()).isEqualTo("[OpenIGC] Formulaire 413 reçu — dossier " + reference);
        assertThat(acknowledgement.text()).contains(reference).contains("CHU DEMO - HOPITAL NORD").contains("3 jours ouvrés");
        cameThroughTheOutbox(acknowledgement, "habilitation-acknowledged");

        // Submitter, named administrator and operator see it, with its prerequisites.
        for (HttpClient reader : List.of(legal, admin, operator)) {
            HttpResponse<String> got = getJson(reader, "/api/v1/habilitations/" + reference);
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(body(got).get("status")).isEqualTo("ACKNOWLEDGED");
        }
        Map<String, Object> dossier = body(getJson(operator, "/api/v1/habilitations/" + reference));
        List<Map<String, Object>> prerequisites = (List<Map<String, Object>>) dossier.get("prerequisites");
        assertThat(prerequisites).extracting(p -> p.get("name")).containsExactly("contract", "signatory", "administrators[0]");
        assertThat(prerequisites).allSatisfy(p -> assertThat(p.get("passed")).isEqualTo(true));
        assertThat(prerequisites.getFirst().get("message")).asString().contains("Contrat d’adhésion actif");
        assertThat((Map<String, Object>) dossier.get("age")).containsEntry("workingDays", 0).containsEntry("late", false)
                .containsEntry("targetWorkingDays", 3);
        assertThat((Map<String, Object>) dossier.get("structure")).containsEntry("idNatStruct", "1" + CHU_NORD);

        // It is in the operator's queue.
        Map<String, Object> queue = body(getJson(operator, "/api/v1/habilitations?q=" + reference));
        assertThat((List<Map<String, Object>>) queue.get("items")).extracting(i -> i.get("reference")).containsExactly(reference);

        HttpResponse<String> approved = postJson(operator, "/api/v1/habilitations/" + reference + "/approval", Map.of());
        try {
            approvedPath(reference, approved, admin, signatoryEmail, adminEmail);
        } finally {
            revokeGrantsOf(reference);
        }
        assertThat(habilitationOf(admin, "1" + CHU_NORD)).as("revoked again").isNull();
    }

    /**
     * Issue 6 point 5: the 413 mails go through the outbox like the expiry notices (the received mail has its outbox
     * row, same Message-ID) and name only the dossier's structure.
     */
    private void cameThroughTheOutbox(ReceivedMail mail, String template) {
        assertThat(mail.messageId()).isNotBlank();
        assertThat(jdbc.sql("select template from mail_outbox where message_id = :id").param("id", mail.messageId())
                .query(String.class).list()).as("outbox row of " + mail.subject()).containsExactly(template);
        assertThat(mail.text()).doesNotContain("CLINIQUE DEMO", "CENTRE DE SANTE DEMO", "1330000068", "1930000054");
    }

    @SuppressWarnings("unchecked")
    private void approvedPath(String reference, HttpResponse<String> approved, HttpClient admin, String signatoryEmail,
                              String adminEmail) {
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(body(approved).get("status")).isEqualTo("APPROVED");

        Map<String, Object> habilitation = habilitationOf(admin, "1" + CHU_NORD);
        assertThat(habilitation).as("GET /api/v1/me of admin-chu").isNotNull();
        assertThat((List<String>) habilitation.get("offers")).containsExactlyInAnyOrder("ORG", "SERV", "PRO");
        Person adminChu = registry.personByCardNumber(ADMIN_CHU_CARD).orElseThrow();
        assertThat(registry.habilitationsOf(adminChu.id())).filteredOn(h -> reference.equals(h.dossierReference()))
                .hasSize(3).anySatisfy(h -> {
                    assertThat(h.offer().name()).isEqualTo("SERV");
                    assertThat(h.sslDomains()).containsExactly("nord.chu-demo.fr");
                    assertThat(h.smimeDomains()).containsExactly("chu-demo.fr");
                });

        // Mails: the signatory and the registry's legal representative, and the administrator.
        ReceivedMail approval = awaitMails(m -> m.subject().equals("[OpenIGC] Formulaire 413 approuvé — dossier " + reference), 1)
                .getFirst();
        assertThat(approval.to()).containsExactlyInAnyOrder(signatoryEmail, "legal-chu@demo.openigc.test");
        cameThroughTheOutbox(approval, "habilitation-approved");
        ReceivedMail toAdmin = awaitMailsTo(adminEmail, 1).getFirst();
        cameThroughTheOutbox(toAdmin, "habilitation-approved-administrator");
        assertThat(toAdmin.subject()).contains("CHU DEMO - HOPITAL NORD");
        assertThat(toAdmin.text()).contains(reference).contains("nord.chu-demo.fr");
        assertThat(toAdmin.html()).contains("Antoine ADMIN");

        assertThat(auditActions(reference)).containsExactly("habilitation.submitted", "habilitation.acknowledged",
                "habilitation.approved");
        assertThat(jdbc.sql("select count(*) from audit_event where action = 'habilitation.granted' and details::text like :r")
                .param("r", "%" + reference + "%").query(Long.class).single()).isEqualTo(3);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> habilitationOf(HttpClient client, String idNatStruct) {
        Map<String, Object> me = body(getJson(client, "/api/v1/me"));
        return ((List<Map<String, Object>>) me.get("habilitations")).stream()
                .filter(h -> idNatStruct.equals(h.get("structure")) && !((List<?>) h.get("offers")).isEmpty())
                .findFirst().orElse(null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWrongFinessCheckDigitNamesTheFieldAndTheRuleInFrenchAndEnglishAndStoresNothing() {
        long before = dossiers();
        String email = uniqueEmail("direction");
        HttpResponse<String> fr = postJson(personaClient("legal-chu"), "/api/v1/habilitations", form("750712185", email, email));
        assertThat(fr.statusCode()).isEqualTo(400);
        assertThat(fr.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        List<Map<String, String>> errors = (List<Map<String, String>>) body(fr).get("errors");
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("field", "structure.finess").containsEntry("code", "identifier.checkDigit");
            assertThat(e.get("message")).isEqualTo("« FINESS géographique (ou juridique) » a une clé de contrôle fausse "
                    + "(règle : clé de contrôle Luhn du FINESS).");
        });
        HttpResponse<String> en = send(personaClient("legal-chu"), HttpRequest.newBuilder(URI.create(https("/api/v1/habilitations")))
                .header("Content-Type", "application/json").header("Accept-Language", "en")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(form("750712185", email, email)))).build());
        assertThat(en.statusCode()).isEqualTo(400);
        assertThat(((List<Map<String, String>>) body(en).get("errors")).getFirst().get("message"))
                .isEqualTo("\"FINESS géographique (or juridique)\" has a wrong check digit (rule: Luhn check digit of the FINESS).");
        assertThat(dossiers()).isEqualTo(before);
        assertThat(receivedMailsTo(email)).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEgOfAnotherEjCannotBeSubmittedByTheChuLegalRepresentative() {
        long before = dossiers();
        String email = uniqueEmail("direction");
        Map<String, Object> form = form(CLINIC_EG, email, email);
        HttpResponse<String> response = postJson(personaClient("legal-chu"), "/api/v1/habilitations", form);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat((List<Map<String, String>>) body(response).get("errors")).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("field", "structure.finess").containsEntry("code", "habilitation.signatory.notRepresentative");
            assertThat(e.get("message")).contains("ni le représentant légal ni un mandataire enregistré")
                    .contains("CLINIQUE DEMO BORDEAUX - SITE RIVE DROITE");
        });
        // An administrator of that clinic is no representative either.
        assertThat(postJson(personaClient("admin-other"), "/api/v1/habilitations", form).statusCode()).isEqualTo(400);
        assertThat(dossiers()).isEqualTo(before);
    }

    @Test
    @SuppressWarnings("unchecked")
    void administratorsWithoutCardNumberOrTwiceAndOtherBadFieldsAreAllReported() {
        long before = dossiers();
        String email = uniqueEmail("direction");
        Map<String, Object> form = form(CHU, email, email);
        list(form, "administrators").add(administrator("", "SANS", "Carte", email));
        list(form, "administrators").add(administrator(ADMIN_CHU_CARD, "ADMIN", "Antoine", email));
        part(form, "signatory").put("cardNumber", ADMIN_CHU_CARD);
        part(form, "structure").put("siret", "41234567000019");
        form.put("offers", List.of("ORG", "CPX"));
        HttpResponse<String> response = postJson(personaClient("legal-chu"), "/api/v1/habilitations", form);
        assertThat(response.statusCode()).isEqualTo(400);
        List<Map<String, String>> errors = (List<Map<String, String>>) body(response).get("errors");
        assertThat(errors).extracting(e -> e.get("field") + ":" + e.get("code")).containsExactlyInAnyOrder(
                "administrators[1].cardNumber:field.required",
                "administrators[2].cardNumber:habilitation.administrator.duplicate",
                "structure.siret:habilitation.structure.siretWithFiness",
                "offers[1]:field.oneOf",
                "signatory.cardNumber:habilitation.signatory.notCaller");
        assertThat(errors).filteredOn(e -> e.get("field").equals("administrators[1].cardNumber")).singleElement()
                .satisfies(e -> assertThat(e.get("message")).isEqualTo("« Administrateur technique 2 — n° de carte » est obligatoire."));
        assertThat(errors).filteredOn(e -> e.get("field").equals("administrators[2].cardNumber")).singleElement()
                .satisfies(e -> assertThat(e.get("message")).contains("administrateur technique 1"));

        // Signing with someone else's card is refused once the form is otherwise right.
        Map<String, Object> other = form(CHU, email, email);
        part(other, "signatory").put("cardNumber", ADMIN_CHU_CARD);
        assertThat((List<Map<String, String>>) body(postJson(personaClient("legal-chu"), "/api/v1/habilitations", other)).get("errors"))
                .extracting(e -> e.get("field") + ":" + e.get("code"))
                .containsExactly("signatory.cardNumber:habilitation.signatory.notCaller");
        assertThat(dossiers()).isEqualTo(before);
    }

    @Test
    void malformedAndOversizedBodiesChangeNothing() {
        long before = dossiers();
        HttpClient legal = personaClient("legal-chu");
        byte[] huge = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'a');
        String prefix = "{\"usage\":{\"description\":\"";
        byte[] body = new byte[huge.length + prefix.length() + 3];
        System.arraycopy(prefix.getBytes(), 0, body, 0, prefix.length());
        System.arraycopy(huge, 0, body, prefix.length(), huge.length);
        System.arraycopy("\"}}".getBytes(), 0, body, body.length - 3, 3);
        HttpResponse<String> tooLarge = send(legal, HttpRequest.newBuilder(URI.create(https("/api/v1/habilitations")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(tooLarge.statusCode()).isEqualTo(413);

        HttpResponse<String> notJson = send(legal, HttpRequest.newBuilder(URI.create(https("/api/v1/habilitations")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"structure\": [")).build());
        assertThat(notJson.statusCode()).isEqualTo(400);
        HttpResponse<String> empty = postJson(legal, "/api/v1/habilitations", null);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("\"field\":\"body\"");
        HttpResponse<String> wrongTypes = send(legal, HttpRequest.newBuilder(URI.create(https("/api/v1/habilitations")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"administrators\": \"2800000003\", \"offers\": {\"a\": 1}}")).build());
        assertThat(wrongTypes.statusCode()).isEqualTo(400);
        HttpResponse<String> badPage = getJson(personaClient("operator"), "/api/v1/habilitations?page=abc");
        assertThat(badPage.statusCode()).isEqualTo(400);
        assertThat(badPage.body()).contains("\"field\":\"page\"");
        HttpResponse<String> badStatus = getJson(personaClient("operator"), "/api/v1/habilitations?status=NOPE");
        assertThat(badStatus.statusCode()).isEqualTo(400);
        assertThat(badStatus.body()).contains("\"field\":\"status\"");
        // A form post without the CSRF token is refused before anything happens.
        HttpResponse<String> form = send(legal, HttpRequest.newBuilder(URI.create(https("/api/v1/habilitations")))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("a=b")).build());
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(dossiers()).isEqualTo(before);
    }

    @Test
    void scriptsInTextFieldsAreStoredLiterallyAndEscapedOnDisplay() {
        String script = "<script>alert('413')</script>";
        String email = uniqueEmail("direction");
        Map<String, Object> form = form(CHU_SAINT_DEMO, email, email);
        part(form, "usage").put("description", script + " & \"DMP\"");
        part(form, "usage").put("solution", "<img src=x onerror=alert(1)>");
        part(form, "structure").put("name", "CHU </dd><b>DEMO</b>");
        String reference = submit(form);

        Map<String, Object> dossier = body(getJson(personaClient("legal-chu"), "/api/v1/habilitations/" + reference));
        assertThat(part(dossier, "usage")).containsEntry("description", script + " & \"DMP\"")
                .containsEntry("solution", "<img src=x onerror=alert(1)>");
        assertThat(part(dossier, "structure")).containsEntry("declaredName", "CHU </dd><b>DEMO</b>");

        String page = getString(personaClient("legal-chu"), https("/app/habilitations/" + reference)).body();
        assertThat(page).contains("&lt;script&gt;alert(&#39;413&#39;)&lt;/script&gt; &amp; &quot;DMP&quot;")
                .contains("&lt;img src=x onerror=alert(1)&gt;").contains("CHU &lt;/dd&gt;&lt;b&gt;DEMO&lt;/b&gt;")
                .doesNotContain("<script>alert").doesNotContain("<img src=x").doesNotContain("<b>DEMO</b>");
        ReceivedMail mail = awaitMailsTo(email, 1).getFirst();
        assertThat(mail.html()).doesNotContain("<b>DEMO</b>").contains("CHU DEMO - HOPITAL SAINT-DEMO");
    }

    @Test
    void anotherStructuresDossierAnswers404AndOnlyOperatorsInstruct() {
        String email = uniqueEmail("direction");
        String reference = submit(form(CHU, email, email));
        HttpClient other = personaClient("admin-other");
        HttpResponse<String> foreign = getJson(other, "/api/v1/habilitations/" + reference);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.body()).doesNotContain("CHU DEMO").doesNotContain(email);
        assertThat(postJson(other, "/api/v1/habilitations/" + reference + "/approval", Map.of()).statusCode()).isEqualTo(404);
        assertThat(getString(other, https("/app/habilitations/" + reference)).statusCode()).isEqualTo(404);
        assertThat(getJson(personaClient("auditor"), "/api/v1/habilitations/" + reference).statusCode()).isEqualTo(404);
        assertThat(getJson(personaClient("admin-other"), "/api/v1/habilitations/413-2026-999999").statusCode()).isEqualTo(404);

        // The submitter sees its dossier but does not instruct it.
        HttpResponse<String> self = postJson(personaClient("legal-chu"), "/api/v1/habilitations/" + reference + "/approval", Map.of());
        assertThat(self.statusCode()).isEqualTo(403);
        assertThat(body(self).get("code")).isEqualTo("habilitation.operatorOnly");
        // Nobody logged in: 401.
        assertThat(getJson(client(), "/api/v1/habilitations/" + reference).statusCode()).isEqualTo(401);
        assertThat(body(getJson(personaClient("operator"), "/api/v1/habilitations/" + reference)).get("status"))
                .isEqualTo("ACKNOWLEDGED");
    }

    @Test
    void wrongTransitionsAnswer409AndChangeNothing() {
        HttpClient operator = personaClient("operator");
        String email = uniqueEmail("direction");
        Person admin = newCardHolder("TRANSITION", "ACTIVE");
        Map<String, Object> form = form(CHU, email, email);
        list(form, "administrators").set(0, administrator(admin.cardNumber(), admin.lastName(), admin.firstName(), email));
        String reference = submit(form);
        String path = "/api/v1/habilitations/" + reference;

        HttpResponse<String> resubmitTooEarly = putJson(personaClient("legal-chu"), path, form(CHU, email, email));
        assertThat(resubmitTooEarly.statusCode()).isEqualTo(409);
        assertThat(body(resubmitTooEarly).get("code")).isEqualTo("habilitation.transition.notAllowed");
        assertThat(body(resubmitTooEarly).get("detail")).asString()
                .isEqualTo("Action refusée : le renvoi du dossier corrigé n’est pas possible quand le dossier est « reçu, en cours d’instruction ».");

        assertThat(postJson(operator, path + "/approval", Map.of()).statusCode()).isEqualTo(200);
        long habilitations = habilitations();
        for (String action : List.of("/approval", "/rejection", "/information-request")) {
            HttpResponse<String> again = postJson(operator, path + action, Map.of("reason", "x", "message", "y"));
            assertThat(again.statusCode()).as(action).isEqualTo(409);
            assertThat(body(again).get("code")).isEqualTo("habilitation.transition.notAllowed");
        }
        assertThat(habilitations()).isEqualTo(habilitations);
        assertThat(body(getJson(operator, path)).get("status")).isEqualTo("APPROVED");
        assertThat(auditActions(reference)).containsExactly("habilitation.submitted", "habilitation.acknowledged",
                "habilitation.approved");
    }

    @Test
    @SuppressWarnings("unchecked")
    void approvalIsRefusedWhilePrerequisitesFail() {
        HttpClient operator = personaClient("operator");
        Person opposed = newCardHolder("OPPOSEE", "OPPOSED");
        String email = uniqueEmail("direction");
        Map<String, Object> form = form(CHU, email, email);
        list(form, "administrators").add(administrator("2899999990", "INCONNU", "Jean", email));
        list(form, "administrators").add(administrator(opposed.cardNumber(), "OPPOSEE", "Test", email));
        String reference = submit(form);

        Map<String, Object> dossier = body(getJson(operator, "/api/v1/habilitations/" + reference));
        List<Map<String, Object>> prerequisites = (List<Map<String, Object>>) dossier.get("prerequisites");
        assertThat(prerequisites).extracting(p -> p.get("name") + ":" + p.get("passed")).containsExactly(
                "contract:true", "signatory:true", "administrators[0]:true", "administrators[1]:false", "administrators[2]:false");
        assertThat(prerequisites.get(3).get("message")).asString().contains("2899999990");
        assertThat(prerequisites.get(4).get("message")).asString().contains("en opposition");

        long habilitations = habilitations();
        HttpResponse<String> refused = postJson(operator, "/api/v1/habilitations/" + reference + "/approval", Map.of());
        assertThat(refused.statusCode()).isEqualTo(409);
        Map<String, Object> problem = body(refused);
        assertThat(problem.get("code")).isEqualTo("habilitation.prerequisitesFailed");
        assertThat((List<Map<String, Object>>) problem.get("prerequisites")).extracting(p -> p.get("name"))
                .containsExactly("administrators[1]", "administrators[2]");
        assertThat((List<Map<String, Object>>) problem.get("errors")).extracting(p -> p.get("field"))
                .containsExactly("prerequisites.administrators[1]", "prerequisites.administrators[2]");
        assertThat(habilitations()).as("nothing granted").isEqualTo(habilitations);
        assertThat(body(getJson(operator, "/api/v1/habilitations/" + reference)).get("status")).isEqualTo("ACKNOWLEDGED");
        assertThat(auditActions(reference)).doesNotContain("habilitation.approved");
    }

    @Test
    @SuppressWarnings("unchecked")
    void informationRequestedThenResubmittedThenRejectedWithAReason() {
        HttpClient operator = personaClient("operator");
        HttpClient legal = personaClient("legal-chu");
        String email = uniqueEmail("direction");
        String reference = submit(form(CHU_SUD, email, email));
        String path = "/api/v1/habilitations/" + reference;

        HttpResponse<String> noMessage = postJson(operator, path + "/information-request", Map.of("message", "  "));
        assertThat(noMessage.statusCode()).isEqualTo(400);
        assertThat((List<Map<String, String>>) body(noMessage).get("errors")).extracting(e -> e.get("field") + ":" + e.get("code"))
                .containsExactly("message:field.required");
        HttpResponse<String> asked = postJson(operator, path + "/information-request",
                Map.of("message", "Précisez la version du DPI."));
        assertThat(asked.statusCode()).isEqualTo(200);
        assertThat(body(asked)).containsEntry("status", "INFORMATION_REQUESTED")
                .containsEntry("informationRequest", "Précisez la version du DPI.");
        ReceivedMail question = awaitMails(m -> m.isFor(email) && m.subject().contains("compléments"), 1).getFirst();
        assertThat(question.text()).contains("Précisez la version du DPI.").contains("/app/habilitations/" + reference + "/edit");
        cameThroughTheOutbox(question, "habilitation-information-requested");

        // The corrected form: bad input is refused and changes nothing, the good one is acknowledged again.
        Map<String, Object> corrected = form(CHU_SUD, email, email);
        part(corrected, "usage").put("version", "12.4.1");
        Map<String, Object> moved = form(CHU_NORD, email, email);
        HttpResponse<String> otherStructure = putJson(legal, path, moved);
        assertThat(otherStructure.statusCode()).isEqualTo(400);
        assertThat(otherStructure.body()).contains("habilitation.resubmit.structureChanged");
        assertThat(putJson(personaClient("admin-chu"), path, corrected).statusCode()).as("only the submitter").isEqualTo(403);
        HttpResponse<String> resubmitted = putJson(legal, path, corrected);
        assertThat(resubmitted.statusCode()).as(resubmitted.body()).isEqualTo(200);
        assertThat(body(resubmitted)).containsEntry("reference", reference).containsEntry("status", "ACKNOWLEDGED");
        Map<String, Object> dossier = body(getJson(operator, path));
        assertThat(part(dossier, "usage")).containsEntry("version", "12.4.1");
        assertThat(dossier.get("resubmissions")).isEqualTo(1);
        awaitMails(m -> m.isFor(email) && m.subject().contains("reçu"), 2);

        HttpResponse<String> noReason = postJson(operator, path + "/rejection", Map.of());
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(body(noReason).get("errors").toString()).contains("Motif du rejet");
        HttpResponse<String> rejected = postJson(operator, path + "/rejection", Map.of("reason", "Contrat à renouveler"));
        assertThat(body(rejected)).containsEntry("status", "REJECTED").containsEntry("rejectionReason", "Contrat à renouveler");
        ReceivedMail rejection = awaitMails(m -> m.isFor(email) && m.subject().contains("rejeté"), 1).getFirst();
        assertThat(rejection.text()).contains("Contrat à renouveler");
        cameThroughTheOutbox(rejection, "habilitation-rejected");
        assertThat(auditActions(reference)).containsExactly("habilitation.submitted", "habilitation.acknowledged",
                "habilitation.information-requested", "habilitation.resubmitted", "habilitation.acknowledged",
                "habilitation.rejected");
        assertThat((List<Map<String, Object>>) dossier.get("history")).extracting(h -> h.get("to")).containsExactly(
                "SUBMITTED", "ACKNOWLEDGED", "INFORMATION_REQUESTED", "SUBMITTED", "ACKNOWLEDGED");
    }

    @Test
    void referencesAreUniqueAndSequential() {
        String email = uniqueEmail("direction");
        String first = submit(form(CHU, email, email));
        String second = submit(form(CHU, email, email));
        assertThat(first).isNotEqualTo(second);
        int year = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Paris")).getYear();
        assertThat(first).startsWith("413-" + year + "-");
        assertThat(Long.parseLong(second.substring(9))).isGreaterThan(Long.parseLong(first.substring(9)));
    }
}
