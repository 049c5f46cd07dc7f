package org.openigc.server.habilitation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.openigc.server.ServerTestSupport;
import org.openigc.server.registry.Person;
import org.openigc.server.registry.PersonInput;
import org.openigc.server.registry.RegistryService;
import org.openigc.server.security.OpenIgcUser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** Form 413 tests: JSON calls as demo personas over real TLS, forms as maps, counts of stored rows. */
abstract class HabilitationTestSupport extends ServerTestSupport {
    static final String CHU = "750712184";
    static final String CHU_SAINT_DEMO = "750100018";
    static final String CHU_NORD = "920100047";
    static final String CHU_SUD = "750100026";
    static final String CLINIC_EG = "330000076";
    static final String LEGAL_CHU_CARD = "2800000002";
    static final String ADMIN_CHU_CARD = "2800000003";
    private static final AtomicLong UNIQUE = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    @Autowired
    JsonMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RegistryService registry;

    static String unique(String prefix) {
        return prefix + "-" + UNIQUE.incrementAndGet();
    }

    static String uniqueEmail(String who) {
        return unique(who) + "@chu-demo.test";
    }

    /** A complete form 413 signed by legal-chu for one structure, with admin-chu as administrator and ORG. */
    static Map<String, Object> form(String finess, String signatoryEmail, String adminEmail) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("structure", new LinkedHashMap<>(Map.of("finess", finess, "name", "CHU DEMO")));
        form.put("signatory", new LinkedHashMap<>(Map.of("role", "LEGAL_REPRESENTATIVE", "lastName", "LEGRAND",
                "firstNames", "Louise", "phone", "01 23 45 67 89", "email", signatoryEmail, "cardNumber", LEGAL_CHU_CARD)));
        form.put("administrators", new ArrayList<>(List.of(administrator(ADMIN_CHU_CARD, "ADMIN", "Antoine", adminEmail))));
        form.put("usage", new LinkedHashMap<>(Map.of("description", "Authentification et signature sur le DMP",
                "editor", "Éditeur DPI", "solution", "DPI", "version", "12.4")));
        form.put("offers", new ArrayList<>(List.of("ORG")));
        return form;
    }

    static Map<String, Object> administrator(String card, String lastName, String firstName, String email) {
        return new LinkedHashMap<>(Map.of("cardNumber", card, "lastName", lastName, "firstName", firstName,
                "phone", "01 40 00 00 00", "email", email));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> part(Map<String, Object> form, String name) {
        return (Map<String, Object>) form.get(name);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> form, String name) {
        return (List<Object>) form.get(name);
    }

    HttpResponse<String> postJson(HttpClient client, String path, Object body) {
        return send(client, HttpRequest.newBuilder(URI.create(https(path)))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : json.writeValueAsString(body))).build());
    }

    HttpResponse<String> putJson(HttpClient client, String path, Object body) {
        return send(client, HttpRequest.newBuilder(URI.create(https(path)))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build());
    }

    HttpResponse<String> getJson(HttpClient client, String path) {
        return send(client, HttpRequest.newBuilder(URI.create(https(path))).header("Accept", "application/json").GET().build());
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> body(HttpResponse<String> response) {
        return json.readValue(response.body(), Map.class);
    }

    /** Submits as legal-chu and returns the reference (asserting 201). */
    String submit(Map<String, Object> form) {
        HttpResponse<String> response = postJson(personaClient("legal-chu"), "/api/v1/habilitations", form);
        if (response.statusCode() != 201) {
            throw new AssertionError("expected 201, got " + response.statusCode() + ": " + response.body());
        }
        return (String) body(response).get("reference");
    }

    long dossiers() {
        return jdbc.sql("select count(*) from habilitation_dossier").query(Long.class).single();
    }

    long habilitations() {
        return jdbc.sql("select count(*) from habilitation").query(Long.class).single();
    }

    List<String> auditActions(String reference) {
        chainAudit();
        return jdbc.sql("select action from audit_event where object_type = 'habilitation-dossier' and object_id = :r order by id")
                .param("r", reference).query(String.class).list();
    }

    /**
     * Revokes (through the registry) what an approved dossier granted: tests that approve for a demo persona give the
     * demo back its original rights, which other test classes of the same JVM rely on.
     */
    void revokeGrantsOf(String reference) {
        jdbc.sql("select id from habilitation where dossier_reference = :r and revoked_at is null").param("r", reference)
                .query(java.util.UUID.class).list().forEach(registry::revokeHabilitation);
    }

    /** A registered person with an active CPE card of the CHU and a unique card number (no card file: not a persona). */
    Person newCardHolder(String lastName, String cardStatus) {
        String card = String.valueOf(2810000000L + UNIQUE.incrementAndGet() % 9_000_000L);
        String idNatPs = "3" + CHU + "/T" + card.substring(4);
        return registry.createPerson(new PersonInput(card, "CPE", idNatPs, lastName, "Test", unique("p") + "@chu-demo.test",
                "01 02 03 04 05", "", cardStatus, "", "1" + CHU));
    }

    /** The operator persona as the service sees it (for calls made without HTTP). */
    OpenIgcUser operatorUser() {
        Person operator = registry.personByCardNumber("2800000001").orElseThrow();
        return new OpenIgcUser(operator.id(), operator.displayName(), operator.cardNumber(), operator.idNatPs(),
                java.util.Set.of(org.openigc.server.security.Role.OPERATOR), null, true);
    }
}
