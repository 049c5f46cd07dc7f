package org.openigc.server.habilitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The pages of form 413 as a browser without JavaScript uses them (session cookie, CSRF token, submit buttons), over
 * real TLS with the personas' cards: rows added and removed, field errors next to their input with the values kept,
 * the operator queue with ages and late dossiers, the operator's buttons and the correction page.
 */
class HabilitationWebIT extends HabilitationTestSupport {

    private HttpClient session(String persona) {
        return client(persona(persona), DEMO_PASSWORD, new CookieManager());
    }

    private HttpResponse<String> postForm(HttpClient client, String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(client, HttpRequest.newBuilder(URI.create(https(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Map<String, String> formFields(String csrf, String finess, String email) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("_csrf", csrf);
        f.put("structure.name", "CHU DEMO");
        f.put("structure.finess", finess);
        f.put("signatory.role", "LEGAL_REPRESENTATIVE");
        f.put("signatory.lastName", "LEGRAND");
        f.put("signatory.firstNames", "Louise");
        f.put("signatory.phone", "01 23 45 67 89");
        f.put("signatory.email", email);
        f.put("signatory.cardNumber", LEGAL_CHU_CARD);
        f.put("administrators[0].cardNumber", ADMIN_CHU_CARD);
        f.put("administrators[0].lastName", "ADMIN");
        f.put("administrators[0].firstName", "Antoine");
        f.put("administrators[0].phone", "01 40 00 00 00");
        f.put("administrators[0].email", email);
        f.put("usage.description", "Authentification et signature sur le DMP");
        f.put("offers", "ORG");
        return f;
    }

    /** The field-error paragraphs between an input and the next label or row. */
    private static List<String> errorsAfter(String html, String inputId) {
        int start = html.indexOf("id=\"" + inputId + "\"");
        assertThat(start).as("input " + inputId).isPositive();
        int end = html.length();
        for (String stop : List.of("<label", "</td>", "</section>")) {
            int at = html.indexOf(stop, start);
            if (at > 0 && at < end) {
                end = at;
            }
        }
        Matcher m = Pattern.compile("<p class=\"field-error\">([^<]*)</p>").matcher(html.substring(start, end));
        List<String> errors = new java.util.ArrayList<>();
        while (m.find()) {
            errors.add(m.group(1));
        }
        return errors;
    }

    private static String value(String html, String inputId) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(inputId) + "\"[^>]*value=\"([^\"]*)\"").matcher(html);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void theFormAddsAndRemovesRowsWithoutJavaScriptAndShowsErrorsOnTheirFields() {
        HttpClient legal = session("legal-chu");
        HttpResponse<String> page = getString(legal, https("/app/habilitations/new"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("3.1 Identification de la structure").contains("4.1 Déclaration des administrateurs techniques")
                .contains("4.3 Type de certificats souhaités").contains("CHU DEMO - HOPITAL NORD");
        assertThat(value(page.body(), "signatory-lastName")).as("prefilled from the card").isEqualTo("LEGRAND");
        String csrf = csrfToken(page.body());
        String email = uniqueEmail("web");
        long before = dossiers();

        Map<String, String> fields = formFields(csrf, "750712185", email);
        fields.put("action", "add");
        HttpResponse<String> added = postForm(legal, "/app/habilitations", fields);
        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(added.body()).contains("id=\"admin-1-cardNumber\"").doesNotContain("id=\"admin-2-cardNumber\"");
        assertThat(value(added.body(), "admin-0-cardNumber")).isEqualTo(ADMIN_CHU_CARD);
        assertThat(errorsAfter(added.body(), "structure-finess")).as("adding a row checks nothing yet").isEmpty();

        fields.put("administrators[1].cardNumber", "2800000004");
        fields.put("administrators[1].lastName", "AUTRE");
        fields.put("action", "remove-0");
        HttpResponse<String> removed = postForm(legal, "/app/habilitations", fields);
        assertThat(value(removed.body(), "admin-0-cardNumber")).isEqualTo("2800000004");
        assertThat(removed.body()).doesNotContain("id=\"admin-1-cardNumber\"");

        Map<String, String> wrong = formFields(csrf, "750712185", email);
        wrong.put("administrators[1].lastName", "SANS CARTE");
        wrong.put("action", "submit");
        HttpResponse<String> refused = postForm(legal, "/app/habilitations", wrong);
        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(refused.body()).contains("Le formulaire contient des erreurs");
        assertThat(errorsAfter(refused.body(), "structure-finess")).containsExactly(
                "« FINESS géographique (ou juridique) » a une clé de contrôle fausse (règle : clé de contrôle Luhn du FINESS).");
        assertThat(errorsAfter(refused.body(), "admin-1-cardNumber"))
                .containsExactly("« Administrateur technique 2 — n° de carte » est obligatoire.");
        assertThat(value(refused.body(), "structure-finess")).as("values kept").isEqualTo("750712185");
        assertThat(value(refused.body(), "admin-1-lastName")).isEqualTo("SANS CARTE");
        assertThat(refused.body()).contains("id=\"offer-ORG\" checked");
        assertThat(dossiers()).as("nothing stored").isEqualTo(before);

        HttpResponse<String> noCsrf = postForm(session("legal-chu"), "/app/habilitations", formFields("bad", CHU, email));
        assertThat(noCsrf.statusCode()).isEqualTo(403);

        HttpResponse<String> accepted = postForm(legal, "/app/habilitations", formFields(csrf, CHU, email));
        assertThat(accepted.statusCode()).isEqualTo(302);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches(".*/app/habilitations/413-\\d{4}-\\d{6}\\?submitted");
        String reference = location.replaceAll(".*/(413-\\d{4}-\\d{6}).*", "$1");
        String dossier = getString(legal, https("/app/habilitations/" + reference + "?submitted")).body();
        assertThat(dossier).contains("id=\"reference\">" + reference).contains("Reçu — en cours d’instruction")
                .contains("Formulaire reçu : dossier " + reference).contains("✔ rempli");
        assertThat(dossiers()).isEqualTo(before + 1);
        assertThat(awaitMailsTo(email, 1).getFirst().subject()).contains(reference);
    }

    @Test
    void theOperatorQueueShowsAgesAgainstTheTargetAndHighlightsLateDossiers() {
        String email = uniqueEmail("queue");
        String fresh = submit(form(CHU, email, email));
        String old = submit(form(CHU, email, email));
        jdbc.sql("update habilitation_dossier set acknowledged_at = :at where reference = :r")
                .param("at", java.sql.Timestamp.from(Instant.now().minus(12, ChronoUnit.DAYS))).param("r", old).update();

        HttpClient operator = session("operator");
        String queue = getString(operator, https("/app/habilitations")).body();
        assertThat(queue).contains("Dossiers 413 à instruire").contains(fresh).contains(old)
                .contains("data-reference=\"" + old + "\" data-late=\"true\"")
                .contains("data-reference=\"" + fresh + "\" data-late=\"false\"")
                .contains("dossier(s) en retard sur l’objectif");
        assertThat(queue.indexOf(old)).as("oldest first").isLessThan(queue.indexOf(fresh));
        String lateOnly = getString(operator, https("/app/habilitations?late=true")).body();
        assertThat(lateOnly).contains(old).doesNotContain(fresh);
        String one = getString(operator, https("/app/habilitations?q=" + fresh)).body();
        assertThat(one).contains(fresh).doesNotContain(old);
        assertThat(getString(operator, https("/app/habilitations?region=11&q=" + fresh)).body())
                .as("Île-de-France").contains("data-reference=\"" + fresh);
        assertThat(getString(operator, https("/app/habilitations?region=75&q=" + fresh)).body())
                .as("Nouvelle-Aquitaine").doesNotContain("data-reference=\"" + fresh);
        String page = getString(operator, https("/app/habilitations/" + old)).body();
        assertThat(page).contains("En retard").containsPattern("[1-9][0-9]? jour\\(s\\) ouvré\\(s\\) sur 3");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) body(getJson(personaClient("operator"),
                "/api/v1/habilitations?late=true")).get("items");
        assertThat(items).extracting(i -> i.get("reference")).contains(old).doesNotContain(fresh);

        // Everyone else sees their own dossiers there, not the queue.
        String mine = getString(session("legal-chu"), https("/app/habilitations")).body();
        assertThat(mine).contains("Mes dossiers 413").contains(fresh).doesNotContain("Dossiers 413 à instruire");
        String adminOther = getString(session("admin-other"), https("/app/habilitations")).body();
        assertThat(adminOther).doesNotContain(fresh);
    }

    @Test
    void theOperatorInstructsOnTheDossierPageAndTheSubmitterCorrectsIt() {
        String email = uniqueEmail("page");
        Map<String, Object> form = form(CHU, email, email);
        list(form, "administrators").add(administrator("2899999981", "INCONNU", "Jean", email));
        String reference = submit(form);
        HttpClient operator = session("operator");
        String path = "/app/habilitations/" + reference;
        String page = getString(operator, https(path)).body();
        assertThat(page).contains("id=\"approve\"").contains("id=\"reject\"").contains("id=\"request-information\"")
                .contains("✘ non rempli").contains("2899999981");
        String csrf = csrfToken(page);

        assertThat(postForm(operator, path + "/approval", Map.of()).statusCode()).as("no CSRF token").isEqualTo(403);
        HttpResponse<String> approval = postForm(operator, path + "/approval", Map.of("_csrf", csrf));
        assertThat(approval.statusCode()).isEqualTo(302);
        String refused = getString(operator, https(path)).body();
        assertThat(refused).contains("id=\"action-errors\"").contains("des prérequis ne sont pas remplis")
                .contains("Aucune personne enregistrée ne détient la carte 2899999981");
        assertThat(refused).contains("data-status=\"ACKNOWLEDGED\"");

        postForm(operator, path + "/rejection", Map.of("_csrf", csrf, "reason", ""));
        assertThat(getString(operator, https(path)).body()).contains("« Motif du rejet » est obligatoire.");
        postForm(operator, path + "/information-request", Map.of("_csrf", csrf, "message", "Retirez l’administrateur inconnu."));
        String asked = getString(operator, https(path)).body();
        assertThat(asked).contains("data-status=\"INFORMATION_REQUESTED\"").contains("Demande de compléments envoyée")
                .doesNotContain("id=\"approve\"");

        HttpClient legal = session("legal-chu");
        String dossier = getString(legal, https(path)).body();
        assertThat(dossier).contains("id=\"correct\"").contains("Retirez l’administrateur inconnu.")
                .doesNotContain("id=\"approve\"");
        HttpResponse<String> edit = getString(legal, https(path + "/edit"));
        assertThat(edit.statusCode()).isEqualTo(200);
        assertThat(value(edit.body(), "admin-1-cardNumber")).as("prefilled with the dossier").isEqualTo("2899999981");
        Map<String, String> corrected = formFields(csrfToken(edit.body()), CHU, email);
        org.openigc.server.registry.Person admin = newCardHolder("CORRIGE", "ACTIVE");
        corrected.put("administrators[0].cardNumber", admin.cardNumber());
        corrected.put("administrators[0].lastName", admin.lastName());
        corrected.put("administrators[0].firstName", admin.firstName());
        corrected.put("action", "submit");
        HttpResponse<String> resubmitted = postForm(legal, path, corrected);
        assertThat(resubmitted.statusCode()).isEqualTo(302);
        assertThat(getString(legal, https(path)).body()).contains("data-status=\"ACKNOWLEDGED\"")
                .contains("Formulaire corrigé reçu").doesNotContain("2899999981");
        assertThat(getString(legal, https(path + "/edit")).statusCode()).as("nothing to correct any more").isEqualTo(409);

        String again = getString(operator, https(path)).body();
        HttpResponse<String> approved = postForm(operator, path + "/approval", Map.of("_csrf", csrfToken(again)));
        assertThat(approved.statusCode()).isEqualTo(302);
        assertThat(getString(operator, https(path)).body()).contains("data-status=\"APPROVED\"").contains("Dossier approuvé")
                .doesNotContain("id=\"reject\"");
    }

    @Test
    void thePagesSpeakEnglishOnRequest() {
        HttpResponse<String> page = send(session("legal-chu"), HttpRequest.newBuilder(URI.create(https("/app/habilitations/new")))
                .header("Accept-Language", "en").GET().build());
        assertThat(page.body()).contains("Form 413 — habilitation of technical administrators")
                .contains("4.1 Technical administrators").contains("Add an administrator");
    }
}
