package org.openigc.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.openigc.ca.Offer;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.web.Problems;
import org.openigc.server.web.ValidationException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** Registry: visibility per persona, rights, identifier validation with French messages, CSV import all or nothing. */
class RegistryIT extends ServerTestSupport {
    @Autowired
    RegistryService registry;
    @Autowired
    Problems problems;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;

    @Test
    void eachPersonaSeesOnlyItsStructures() {
        assertThat(visible("operator")).contains("1750712184", "1330000068", "341234567000019", "1930000054");
        assertThat(visible("admin-chu")).containsExactlyInAnyOrder("1750712184", "1750100018", "1920100047", "1750100026");
        assertThat(visible("admin-other")).contains("1330000068").doesNotContain("1750712184", "1750100018");
        assertThat(visible("admin-editor")).containsExactly("1930000054");
        // Île-de-France only: the CHU and its EG (75, 92, 94), the health centre (93); not Bordeaux nor Lyon.
        assertThat(visible("referent-idf")).containsExactlyInAnyOrder("1750712184", "1750100018", "1920100047",
                "1750100026", "1930000054");
        assertThat(visible("auditor")).isEmpty();
        assertThat(visible("admin-chu", "nord")).containsExactly("1920100047");
    }

    @Test
    void rightsFollowHabilitationsDelegationsAndTheEjEgDoctrine() {
        UUID chu = id("1750712184");
        UUID chuEg = id("1920100047");
        UUID centre = id("1930000054");
        UUID clinic = id("1330000068");
        UUID adminChu = registry.personByCardNumber("2800000003").orElseThrow().id();
        UUID editor = registry.personByCardNumber("2800000005").orElseThrow().id();
        UUID legal = registry.personByCardNumber("2800000002").orElseThrow().id();
        assertThat(registry.canManage(adminChu, chu, Offer.SERV)).isTrue();
        assertThat(registry.canManage(adminChu, chu, Offer.PRO)).isFalse();
        assertThat(registry.canManage(adminChu, chuEg, Offer.ORG)).as("CHU may order under its EJ").isTrue();
        assertThat(registry.canManage(adminChu, clinic, Offer.ORG)).isFalse();
        assertThat(registry.canManage(editor, centre, Offer.ORG)).isTrue();
        assertThat(registry.canManage(editor, centre, Offer.PRO)).isFalse();
        assertThat(registry.isLegalRepresentativeOrMandataire(legal, chuEg)).isTrue();
        assertThat(registry.isLegalRepresentativeOrMandataire(legal, clinic)).isFalse();
        assertThat(registry.ejOf(chuEg).orElseThrow().idNatStruct()).isEqualTo("1750712184");
        assertThat(registry.hasActiveContract(chuEg)).as("the EJ's contract covers its EG").isTrue();
        assertThat(registry.habilitationsOf(adminChu)).anySatisfy(h ->
                assertThat(h.sslDomains()).containsExactly("chu-demo.fr"));
    }

    @Test
    void aWrongCheckDigitNamesTheFieldAndTheRuleInFrenchAndEnglishAndStoresNothing() {
        long before = count();
        StructureInput input = new StructureInput("EJ", "750000011", "", "", "", "", "HOPITAL FAUX", "", "75013", "Paris",
                "", "HOSPITAL", false, "");
        assertThatThrownBy(() -> registry.createStructure(input)).isInstanceOfSatisfying(ValidationException.class, e -> {
            assertThat(e.errors()).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("finess");
                assertThat(error.code()).isEqualTo("identifier.checkDigit");
                assertThat(problems.message(error, Locale.FRENCH))
                        .isEqualTo("« FINESS » a une clé de contrôle fausse (règle : clé de contrôle Luhn du FINESS).");
                assertThat(problems.message(error, Locale.ENGLISH)).contains("FINESS").contains("check digit");
            });
        });
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void anEgUnderAnUnknownEjAndACabinetWithoutIdentifierReportEveryRule() {
        StructureInput input = new StructureInput("EG", "750000036", "", "", "", "330000077", "", "", "", "", "",
                "NOWHERE", false, "");
        assertThatThrownBy(() -> registry.createStructure(input)).isInstanceOfSatisfying(ValidationException.class, e ->
                assertThat(e.errors()).extracting(error -> error.field() + ":" + error.code()).contains(
                        "sector:field.oneOf", "name:field.required", "parentFiness:identifier.checkDigit"));
    }

    @Test
    void csvImportIsAllOrNothingAndReportsEveryBadLine() throws Exception {
        long before = count();
        String bad = """
                kind;finess;siren;siret;rpps_rang;parent_finess;name;postcode;city;sector;may_order_under_ej
                EJ;130000029;;;;;CH TEST MARSEILLE;13005;Marseille;HOSPITAL;oui
                EG;130000037;;;;130000029;CH TEST - SITE NORD;13015;Marseille;HOSPITAL;non
                EJ;130000025;;;;;CHECK DIGIT FAUX;13005;Marseille;HOSPITAL;non
                CABINET;;;;;;CABINET SANS ID;13001;Marseille;RADIOLOGIE;
                EG;130000045;;;;999999999;EG ORPHELIN;13001;Marseille;HOSPITAL;
                """;
        ImportReport report = registry.importStructures(new StringReader(bad));
        assertThat(report.ok()).isFalse();
        assertThat(report.imported()).isZero();
        assertThat(report.errors()).extracting(e -> e.line() + ":" + e.error().field() + ":" + e.error().code())
                .contains("4:finess:identifier.checkDigit", "5:rpps_rang:structure.cabinet.identifier",
                        "6:parent_finess:identifier.departement");
        assertThat(count()).as("nothing imported from a file with errors").isEqualTo(before);

        String good = bad.lines().limit(3).collect(Collectors.joining("\n"));
        ImportReport ok = registry.importStructures(new StringReader(good));
        assertThat(ok.errors()).isEmpty();
        assertThat(ok.imported()).isEqualTo(2);
        assertThat(registry.structureByFiness("130000037").orElseThrow().parentId())
                .isEqualTo(registry.structureByFiness("130000029").orElseThrow().id());
        assertThat(registry.structureByFiness("130000029").orElseThrow().region()).isEqualTo("93");
        ImportReport again = registry.importStructures(new StringReader(good));
        assertThat(again.errors()).extracting(e -> e.error().code()).contains("structure.duplicate");
        assertThat(count()).isEqualTo(before + 2);
    }

    @Test
    void theOperatorFormShowsFrenchFieldErrorsAndAFormWithoutCsrfTokenIsRefused() {
        HttpClient browser = client(persona("operator"), DEMO_PASSWORD, new CookieManager());
        HttpResponse<String> form = getString(browser, https("/app/registry/structures/new"));
        assertThat(form.statusCode()).isEqualTo(200);
        String token = csrfToken(form.body());
        long before = count();
        Map<String, String> fields = Map.of("kind", "EJ", "finess", "750000011", "name", "HOPITAL <script>x</script>",
                "postcode", "75013", "sector", "HOSPITAL");
        HttpResponse<String> refused = post(browser, "/app/registry/structures", fields);
        assertThat(refused.statusCode()).as("no CSRF token").isEqualTo(403);
        HttpResponse<String> page = post(browser, "/app/registry/structures", with(fields, "_csrf", token));
        assertThat(page.statusCode()).as(page.headers().map() + page.body()).isEqualTo(200);
        assertThat(page.body()).contains("a une clé de contrôle fausse (règle : clé de contrôle Luhn du FINESS)")
                .contains("HOPITAL &lt;script&gt;").doesNotContain("<script>x");
        assertThat(count()).isEqualTo(before);

        HttpResponse<String> forbidden = getString(client(persona("admin-chu"), DEMO_PASSWORD, new CookieManager()),
                https("/app/registry/structures"));
        assertThat(forbidden.statusCode()).as("registry screens are for operators").isEqualTo(403);
    }


    private HttpResponse<String> post(HttpClient client, String path, Map<String, String> fields) {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send(client, HttpRequest.newBuilder(URI.create(https(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Map<String, String> with(Map<String, String> fields, String key, String value) {
        Map<String, String> copy = new java.util.HashMap<>(fields);
        copy.put(key, value);
        return copy;
    }

    private List<String> visible(String persona) {
        return visible(persona, "");
    }

    private List<String> visible(String persona, String q) {
        HttpResponse<String> response = getString(personaClient(persona),
                https("/api/v1/structures?size=200&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> body = json.readValue(response.body(), Map.class);
        return ((List<Map<String, Object>>) body.get("items")).stream().map(m -> (String) m.get("idNatStruct")).toList();
    }

    private java.util.UUID id(String idNatStruct) {
        return registry.structureByIdNatStruct(idNatStruct).orElseThrow().id();
    }

    private long count() {
        return jdbc.sql("select count(*) from structure").query(Long.class).single();
    }
}
