package org.openigc.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.habilitation.HabilitationForm;
import org.openigc.server.habilitation.HabilitationService;
import org.openigc.server.registry.Person;
import org.openigc.server.registry.PersonInput;
import org.openigc.server.registry.RegistryService;
import org.openigc.server.registry.RepresentativeRole;
import org.openigc.server.registry.Structure;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import tools.jackson.databind.json.JsonMapper;

/**
 * The authorisation matrix (issue 11, point 1): every endpoint of the running application — read from Spring's own
 * request mappings, plus the paths served by servlet and security filters listed in {@link #FILTER_ENDPOINTS} —
 * called by every demo persona and by an anonymous client, on a resource of admin-chu's structure (CHU DEMO, "own")
 * and on one of another structure ("foreign"), compared with {@link #MATRIX}, a table written and reviewed by hand.
 *
 * <ul>
 *   <li>A mapping without an entry in the table fails the test, and so does an entry without a mapping.</li>
 *   <li>PUBLIC: anything but a 5xx. ALLOW: anything but a refusal (401/403/404, a redirect to a login page) and never a 5xx; a refusal on an
 *       allowed caller is a false denial. DENY: 401, 403, 404 or a redirect to a login page, never 2xx.
 *       REFUSED (machine protocols whose credentials no caller here holds): a 4xx for everyone.</li>
 *   <li>Leak check on every answer: the ids, serial numbers and references of the resources made in the setup
 *       appear only in answers to callers listed as their viewers ({@link #viewers}), whatever the status.</li>
 * </ul>
 * Denied callers are exercised before allowed ones, so an allowed state change (an approval, a revocation) happens
 * last and only to the resources this test made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixIT extends ServerTestSupport {
    static final String ANONYMOUS = "anonymous";
    static final List<String> PERSONAS = List.of("operator", "legal-chu", "admin-chu", "admin-other", "admin-editor",
            "referent-idf", "auditor", "doctor");

    enum Outcome { OPEN, ALLOW, DENY, REFUSED }

    enum Scope { NONE, OWN, FOREIGN }

    /** Expected outcome for a caller (persona name or {@link #ANONYMOUS}) on a scope. */
    @FunctionalInterface
    interface Rule {
        Outcome expect(String caller, Scope scope);
    }

    /** Anyone, logged in or not (the endpoint may still answer 4xx to a bad request). */
    static final Rule PUBLIC = (caller, scope) -> Outcome.OPEN;
    /** Any logged-in persona; what it sees is filtered by structure (checked by the leak check). */
    static final Rule LOGGED_IN = (caller, scope) -> caller.equals(ANONYMOUS) ? Outcome.DENY : Outcome.ALLOW;
    /** No caller of this test holds the credentials (an SI certificate, an SI manager account). */
    static final Rule NOBODY = (caller, scope) -> Outcome.DENY;
    /** A machine protocol with its own authentication: every caller here gets a 4xx from the protocol. */
    static final Rule PROTOCOL = (caller, scope) -> Outcome.REFUSED;

    static Rule only(String... personas) {
        Set<String> allowed = Set.of(personas);
        return (caller, scope) -> allowed.contains(caller) ? Outcome.ALLOW : Outcome.DENY;
    }

    /** Per structure: who may on the CHU's resource (own) and on the other structure's resource (foreign). */
    static Rule scoped(Set<String> own, Set<String> foreign) {
        return (caller, scope) -> switch (scope) {
            case OWN -> own.contains(caller) ? Outcome.ALLOW : Outcome.DENY;
            case FOREIGN -> foreign.contains(caller) ? Outcome.ALLOW : Outcome.DENY;
            case NONE -> throw new IllegalStateException("a scoped rule on a path without a resource");
        };
    }

    // Who reads a certificate: its structure's administrators and legal representatives, and the operators.
    static final Rule CERTIFICATE_READ = scoped(Set.of("operator", "admin-chu", "legal-chu"), Set.of("operator", "admin-editor"));
    // Renewal is the administrator's (SPEC §7); revocation also the legal representative's and the operator's.
    static final Rule CERTIFICATE_RENEW = scoped(Set.of("admin-chu"), Set.of("admin-editor"));
    static final Rule CERTIFICATE_REVOKE = CERTIFICATE_READ;
    // A form 413: its submitter, its administrators, the structure's legal representatives, the operators.
    static final Rule DOSSIER_READ = scoped(Set.of("operator", "legal-chu", "admin-chu"), Set.of("operator", "admin-other"));
    // Only the submitter edits and resubmits (the foreign dossier's submitter is not a persona).
    static final Rule DOSSIER_RESUBMIT = scoped(Set.of("legal-chu"), Set.of());
    static final Rule DOSSIER_INSTRUCT = scoped(Set.of("operator"), Set.of("operator"));
    static final Rule AUDIT = only("operator", "auditor");
    static final Rule DASHBOARDS = only("operator", "referent-idf", "legal-chu");
    static final Rule OPERATOR = only("operator");
    // Registry pages take a structure or person id, but the whole registry is the operators'.
    static final Rule REGISTRY = scoped(Set.of("operator"), Set.of("operator"));
    // CertDC keeps its own logins: a persona's card logs in to CertDC as administrator (operator) or doctor.
    static final Rule CERTDC_ADMIN = only("operator");
    static final Rule CERTDC_DOCTOR = only("doctor");
    static final Rule CERTDC_ACCOUNT = only("operator", "doctor");

    /** The table, reviewed by hand: "METHOD pattern" → rule. */
    static final Map<String, Rule> MATRIX = new LinkedHashMap<>();

    private static void entry(String key, Rule rule) {
        if (MATRIX.put(key, rule) != null) {
            throw new IllegalStateException("twice in the matrix: " + key);
        }
    }

    static {
        // public space, login, errors
        entry("GET /", PUBLIC);
        entry("GET /login", PUBLIC);
        entry("GET /login/card", PUBLIC);
        entry("GET /error", PUBLIC);
        entry("GET /revocation", PUBLIC);
        entry("POST /revocation", PUBLIC);
        entry("GET /v3/api-docs", PUBLIC);
        entry("GET /v3/api-docs/swagger-config", PUBLIC);
        entry("GET /v3/api-docs.yaml", PUBLIC);
        entry("GET /swagger-ui.html", PUBLIC);
        entry("GET /actuator/health", PUBLIC);
        entry("GET /actuator/health/**", PUBLIC);
        entry("GET /actuator", OPERATOR);
        entry("GET /actuator/prometheus", OPERATOR);
        // what a CA publishes, status
        entry("GET /ca/{name}.crt", PUBLIC);
        entry("GET /crl/{name}.crl", PUBLIC);
        entry("POST /ocsp", PUBLIC);
        entry("GET /ocsp/{request}", PUBLIC);
        entry("POST /api/v1/verification", PUBLIC);
        entry("POST /api/v1/revocations", PUBLIC);
        // demo mode only
        entry("GET /demo/personas", PUBLIC);
        entry("POST /demo/personas/{name}", PUBLIC);
        entry("GET /demo/mails", PUBLIC);
        // OIDC and logout (security filters)
        entry("GET /oauth2/authorization/{registrationId}", PUBLIC);
        entry("GET /login/oauth2/code/{registrationId}", PUBLIC);
        entry("POST /logout", PUBLIC);
        // the caller
        entry("GET /api/v1/me", LOGGED_IN);
        entry("GET /api/v1/me/notification-preferences", LOGGED_IN);
        entry("PUT /api/v1/me/notification-preferences", LOGGED_IN);
        entry("GET /api/v1/structures", LOGGED_IN);
        entry("GET /app", LOGGED_IN);
        entry("GET /app/", LOGGED_IN);
        // certificates
        entry("POST /api/v1/certificates", LOGGED_IN);
        entry("GET /api/v1/certificates", LOGGED_IN);
        entry("GET /api/v1/certificates.csv", LOGGED_IN);
        entry("GET /api/v1/certificates/{id}", CERTIFICATE_READ);
        entry("GET /api/v1/certificates/{id}/certificate.pem", CERTIFICATE_READ);
        entry("GET /api/v1/certificates/{id}/certificate.der", CERTIFICATE_READ);
        entry("GET /api/v1/certificates/{id}/chain.pem", CERTIFICATE_READ);
        entry("GET /api/v1/certificates/{id}/certificate.p7b", CERTIFICATE_READ);
        entry("GET /api/v1/certificates/{id}/pkcs12/{token}", CERTIFICATE_READ);
        entry("POST /api/v1/certificates/{id}/renewal", CERTIFICATE_RENEW);
        entry("POST /api/v1/certificates/{id}/revocation", CERTIFICATE_REVOKE);
        entry("GET /app/certificates", LOGGED_IN);
        entry("GET /app/certificates/", LOGGED_IN);
        entry("GET /app/certificates/new", LOGGED_IN);
        entry("POST /app/certificates/new", LOGGED_IN);
        // the recap of a draft: a draft belongs to its session (another session's draft id is refused, tested in
        // CertificatePagesIT); here the id exists nowhere
        entry("GET /app/certificates/new/review/{draftId}", LOGGED_IN);
        entry("POST /app/certificates/new/review/{draftId}", LOGGED_IN);
        entry("GET /app/certificates/{id}", CERTIFICATE_READ);
        entry("POST /app/certificates/{id}/revocation", CERTIFICATE_REVOKE);
        // automation credentials (the structure is in the body, checked per structure)
        entry("POST /api/v1/acme/eab-credentials", LOGGED_IN);
        entry("POST /api/v1/est/tokens", LOGGED_IN);
        // listings take ?structure= (checked per structure, AcmeAdminApiIT); revocations of ids that exist nowhere
        // here (own/foreign tokens, credentials and accounts: AcmeAdminApiIT and AutomationPagesIT)
        entry("GET /api/v1/est/tokens", LOGGED_IN);
        entry("POST /api/v1/est/tokens/{id}/revocation", LOGGED_IN);
        entry("GET /api/v1/acme/eab-credentials", LOGGED_IN);
        entry("POST /api/v1/acme/eab-credentials/{kid}/revocation", LOGGED_IN);
        entry("GET /api/v1/acme/accounts", LOGGED_IN);
        entry("POST /api/v1/acme/accounts/{id}/deactivation", LOGGED_IN);
        entry("GET /app/automation", LOGGED_IN);
        entry("GET /app/automation/", LOGGED_IN);
        entry("POST /app/automation/est-tokens", LOGGED_IN);
        entry("POST /app/automation/est-tokens/{id}/revocation", LOGGED_IN);
        entry("POST /app/automation/eab-credentials", LOGGED_IN);
        entry("POST /app/automation/eab-credentials/{kid}/revocation", LOGGED_IN);
        entry("POST /app/automation/acme-accounts/{id}/deactivation", LOGGED_IN);
        // form 413
        entry("POST /api/v1/habilitations", LOGGED_IN);
        entry("GET /api/v1/habilitations", LOGGED_IN);
        entry("GET /api/v1/habilitations/{reference}", DOSSIER_READ);
        entry("PUT /api/v1/habilitations/{reference}", DOSSIER_RESUBMIT);
        entry("POST /api/v1/habilitations/{reference}/approval", DOSSIER_INSTRUCT);
        entry("POST /api/v1/habilitations/{reference}/rejection", DOSSIER_INSTRUCT);
        entry("POST /api/v1/habilitations/{reference}/information-request", DOSSIER_INSTRUCT);
        entry("GET /app/habilitations", LOGGED_IN);
        entry("GET /app/habilitations/new", LOGGED_IN);
        entry("POST /app/habilitations", LOGGED_IN);
        entry("GET /app/habilitations/{reference}", DOSSIER_READ);
        entry("GET /app/habilitations/{reference}/edit", DOSSIER_RESUBMIT);
        entry("POST /app/habilitations/{reference}", DOSSIER_RESUBMIT);
        entry("POST /app/habilitations/{reference}/approval", DOSSIER_INSTRUCT);
        entry("POST /app/habilitations/{reference}/rejection", DOSSIER_INSTRUCT);
        entry("POST /app/habilitations/{reference}/information-request", DOSSIER_INSTRUCT);
        // audit, dashboards
        entry("GET /app/audit", AUDIT);
        entry("GET /api/v1/audit-events", AUDIT);
        entry("GET /api/v1/audit-events/verification", AUDIT);
        entry("GET /app/dashboards", DASHBOARDS);
        entry("GET /api/v1/dashboards/structures", DASHBOARDS);
        entry("GET /api/v1/dashboards/structures.xlsx", DASHBOARDS);
        entry("GET /api/v1/dashboards/structures.csv", DASHBOARDS);
        // registry (operators)
        entry("GET /app/registry", OPERATOR);
        entry("GET /app/registry/structures", OPERATOR);
        entry("GET /app/registry/structures/new", OPERATOR);
        entry("POST /app/registry/structures", OPERATOR);
        entry("GET /app/registry/structures/{id}", REGISTRY);
        entry("GET /app/registry/structures/{id}/edit", REGISTRY);
        entry("POST /app/registry/structures/{id}", REGISTRY);
        entry("POST /app/registry/structures/{id}/contracts", REGISTRY);
        entry("POST /app/registry/structures/{id}/representatives", REGISTRY);
        entry("POST /app/registry/structures/{id}/delegations", REGISTRY);
        entry("POST /app/registry/structures/{id}/delegations/{delegation}/revocation", REGISTRY);
        entry("GET /app/registry/persons", OPERATOR);
        entry("GET /app/registry/persons/new", OPERATOR);
        entry("POST /app/registry/persons", OPERATOR);
        entry("GET /app/registry/persons/{id}/edit", REGISTRY);
        entry("POST /app/registry/persons/{id}", REGISTRY);
        entry("GET /app/registry/import", OPERATOR);
        entry("POST /app/registry/import", OPERATOR);
        // EST (RFC 7030) and ACME (RFC 8555): their own authentication
        entry("GET /.well-known/est/{label}/cacerts", PUBLIC);
        entry("GET /.well-known/est/{label}/csrattrs", PUBLIC);
        entry("POST /.well-known/est/{label}/simpleenroll", PROTOCOL);
        entry("POST /.well-known/est/{label}/simplereenroll", PROTOCOL);
        entry("GET /acme/{label}/directory", PUBLIC);
        entry("GET /acme/{label}/new-nonce", PUBLIC);
        entry("HEAD /acme/{label}/new-nonce", PUBLIC);
        entry("POST /acme/{label}/new-account", PROTOCOL);
        entry("POST /acme/{label}/acct/{id}", PROTOCOL);
        entry("POST /acme/{label}/new-order", PROTOCOL);
        entry("POST /acme/{label}/order/{id}", PROTOCOL);
        entry("POST /acme/{label}/authz/{id}", PROTOCOL);
        entry("POST /acme/{label}/chall/{id}", PROTOCOL);
        entry("POST /acme/{label}/order/{id}/finalize", PROTOCOL);
        entry("POST /acme/{label}/cert/{id}", PROTOCOL);
        entry("POST /acme/{label}/revoke-cert", PROTOCOL);
        entry("POST /acme/{label}/key-change", PROTOCOL);
        // CertDC public space and accounts
        entry("GET /certdc", PUBLIC);
        entry("GET /certdc/", PUBLIC);
        entry("GET /certdc/connexion", PUBLIC);
        entry("POST /certdc/connexion", PUBLIC);
        entry("GET /certdc/connexion/envoyee", PUBLIC);
        entry("GET /certdc/captcha.png", PUBLIC);
        entry("GET /certdc/login", PUBLIC);
        entry("POST /certdc/login", PUBLIC);
        entry("POST /certdc/login/card", PUBLIC);
        entry("POST /certdc/logout", PUBLIC);
        entry("GET /certdc/password/forgot", PUBLIC);
        entry("POST /certdc/password/forgot", PUBLIC);
        entry("GET /certdc/password/reset", PUBLIC);
        entry("POST /certdc/password/reset", PUBLIC);
        entry("GET /certdc/unlock", PUBLIC);
        entry("POST /certdc/unlock", PUBLIC);
        entry("GET /certdc/account/password", CERTDC_ACCOUNT);
        entry("POST /certdc/account/password", CERTDC_ACCOUNT);
        // CertDC administration, SI managers, doctors, the web service
        entry("GET /certdc/admin", CERTDC_ADMIN);
        entry("GET /certdc/admin/si/{id}", CERTDC_ADMIN);
        entry("POST /certdc/admin/si/{id}/validation", CERTDC_ADMIN);
        entry("POST /certdc/admin/si/{id}/rejection", CERTDC_ADMIN);
        entry("POST /certdc/admin/si/{id}/production", CERTDC_ADMIN);
        entry("GET /certdc/si", NOBODY);
        entry("POST /certdc/si/{id}", NOBODY);
        entry("POST /certdc/si/{id}/production", NOBODY);
        entry("POST /certdc/si/{id}/doctors", NOBODY);
        entry("GET /certdc/si/server-certificate.pem", NOBODY);
        entry("GET /certdc/si/kit.zip", NOBODY);
        entry("GET /certdc/doctor", CERTDC_DOCTOR);
        entry("POST /certdc/doctor/search", CERTDC_DOCTOR);
        entry("POST /certdc/doctor/drafts", CERTDC_DOCTOR);
        entry("GET /certdc/doctor/drafts/{id}", CERTDC_DOCTOR);
        entry("POST /certdc/doctor/drafts/{id}", CERTDC_DOCTOR);
        entry("GET /certdc/api/v1/deposits", CERTDC_DOCTOR);
        entry("POST /certdc/ws/v1/deposits", NOBODY);
    }

    /**
     * Served by filters, not by request mappings (listed by hand): the OCSP responder (a servlet filter ahead of
     * the security chain), Spring Security's logout and OIDC endpoints, CertDC's form login and logout.
     */
    static final List<String> FILTER_ENDPOINTS = List.of("POST /ocsp", "GET /ocsp/{request}", "POST /logout",
            "GET /oauth2/authorization/{registrationId}", "GET /login/oauth2/code/{registrationId}",
            "POST /certdc/login", "POST /certdc/logout");

    /** Calls that log in or out: made on a fresh session so that they never change a persona's session. */
    static final Set<String> FRESH_SESSION = Set.of("POST /logout", "POST /certdc/logout", "POST /certdc/login",
            "POST /certdc/login/card", "POST /demo/personas/{name}");

    @Autowired
    List<RequestMappingInfoHandlerMapping> handlerMappings;
    @Autowired
    RegistryService registry;
    @Autowired
    HabilitationService habilitations;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;

    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private Resource ownCertificate;
    private Resource foreignCertificate;
    private Resource ownDossier;
    private Resource foreignDossier;
    private UUID ownStructure;
    private UUID foreignStructure;
    private UUID ownPerson;
    private UUID foreignPerson;

    /** A resource made in the setup, the strings that identify it, and who may see them. */
    record Resource(String id, List<String> markers, Set<String> viewers) {
    }

    /** A caller's client and session, with the CSRF tokens of the platform and of CertDC. */
    final class Session {
        final String caller;
        final HttpClient client;
        String csrf;
        String certDcCsrf;

        Session(String caller) {
            this.caller = caller;
            this.client = caller.equals(ANONYMOUS) ? client(null, null, new CookieManager())
                    : client(persona(caller), DEMO_PASSWORD, new CookieManager());
        }

        void open() {
            // the card login happens on the first request; the token is taken afterwards (login renews it)
            String page = caller.equals(ANONYMOUS) ? "/revocation" : "/app";
            getString(client, https(page));
            csrf = csrfToken(getString(client, https(page)).body());
            if (!caller.equals(ANONYMOUS)) {
                String login = getString(client, https("/certdc/login")).body();
                send(client, HttpRequest.newBuilder(URI.create(https("/certdc/login/card")))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrfToken(login))).build());
            }
            certDcCsrf = csrfToken(getString(client, https("/certdc/connexion")).body());
        }
    }

    @BeforeAll
    void setUp() {
        Structure chu = registry.structureByFiness("750712184").orElseThrow();
        Structure centre = registry.structureByFiness("930000054").orElseThrow();
        Structure clinic = registry.structureByFiness("330000068").orElseThrow();
        ownStructure = chu.id();
        foreignStructure = centre.id();
        ownPerson = registry.personByCardNumber("2800000003").orElseThrow().id();
        foreignPerson = registry.personByCardNumber("2800000005").orElseThrow().id();

        ownCertificate = certificate("admin-chu", "1750712184", "MATRICE CHU",
                Set.of("operator", "admin-chu", "legal-chu", "auditor"));
        foreignCertificate = certificate("admin-editor", "1930000054", "MATRICE CENTRE",
                Set.of("operator", "admin-editor", "auditor"));

        // for a CHU establishment where admin-chu holds no habilitation yet: approving it in the matrix must not
        // replace the demo's own habilitation on the EJ (revoking the grant afterwards would leave none)
        HttpResponse<String> submitted = post(personaClient("legal-chu"), "/api/v1/habilitations",
                dossier("920100047", "HOPITAL NORD", "LEGRAND", "Louise", "2800000002", "2800000003"));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        String ownReference = (String) json.readValue(submitted.body(), Map.class).get("reference");
        ownDossier = new Resource(ownReference, List.of(ownReference), Set.of("operator", "legal-chu", "admin-chu", "auditor"));

        // The clinic's legal representative is no persona: registered here, submitting through the service.
        String card = String.valueOf(2890000000L + Math.floorMod(System.nanoTime(), 9_000_000L));
        Person representative = registry.createPerson(new PersonInput(card, "CDE", "3330000068/M" + card.substring(5),
                "MATRICE", "Rose", "matrice-" + card + "@clinique-demo.test", "05 56 00 00 00", "", "ACTIVE", "",
                "1330000068"));
        registry.addRepresentative(clinic.id(), representative.id(), RepresentativeRole.LEGAL_REPRESENTATIVE, null, null);
        OpenIgcUser clinicUser = new OpenIgcUser(representative.id(), representative.displayName(), card,
                representative.idNatPs(), Set.of(Role.LEGAL_REPRESENTATIVE), null, true);
        HabilitationForm form = json.convertValue(dossier("330000076", "SITE RIVE DROITE", "MATRICE", "Rose", card,
                "2800000004"), HabilitationForm.class);
        String foreignReference = habilitations.submit(clinicUser, form, false).reference();
        foreignDossier = new Resource(foreignReference, List.of(foreignReference), Set.of("operator", "admin-other", "auditor"));

        sessions.put(ANONYMOUS, new Session(ANONYMOUS));
        PERSONAS.forEach(persona -> sessions.put(persona, new Session(persona)));
        sessions.values().forEach(Session::open);
    }

    /** What approvals made in the matrix granted is taken back: other test classes rely on the demo's rights. */
    @AfterAll
    void revokeGrants() {
        for (Resource dossier : new Resource[] {ownDossier, foreignDossier}) {
            if (dossier != null) {
                jdbc.sql("select id from habilitation where dossier_reference = :r and revoked_at is null")
                        .param("r", dossier.id()).query(UUID.class).list().forEach(registry::revokeHabilitation);
            }
        }
    }

    private Resource certificate(String persona, String structure, String name, Set<String> viewers) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("environment", "PRODUCTION");
        order.put("offer", "ORG");
        order.put("usage", "AUTH_CLI");
        order.put("structure", structure);
        order.put("serviceApplicatif", name + " " + UUID.randomUUID().toString().substring(0, 6).toUpperCase());
        order.put("actorEmail", "matrice-" + UUID.randomUUID().toString().substring(0, 8) + "@chu-demo.fr");
        order.put("generateKey", Map.of("algorithm", "EC_P256", "password", "un-mot-de-passe-long"));
        order.put("termsAccepted", true);
        order.put("revocationCode", "code-matrice-42");
        HttpResponse<String> created = post(personaClient(persona), "/api/v1/certificates", order);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<?, ?> view = json.readValue(created.body(), Map.class);
        String id = (String) view.get("id");
        String serial = (String) view.get("serialNumber");
        return new Resource(id, List.of(id, serial), viewers);
    }

    private static Map<String, Object> dossier(String finess, String name, String lastName, String firstNames, String card,
                                               String adminCard) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("structure", Map.of("finess", finess, "name", name));
        form.put("signatory", Map.of("role", "LEGAL_REPRESENTATIVE", "lastName", lastName, "firstNames", firstNames,
                "phone", "01 23 45 67 89", "email", "matrice-signataire@chu-demo.fr", "cardNumber", card));
        form.put("administrators", List.of(Map.of("cardNumber", adminCard, "lastName", "ADMIN", "firstName", "Matrice",
                "phone", "01 40 00 00 00", "email", "matrice-admin@chu-demo.fr")));
        form.put("usage", Map.of("description", "Matrice d'autorisation", "editor", "Éditeur", "solution", "DPI",
                "version", "1"));
        form.put("offers", List.of("ORG"));
        return form;
    }

    private HttpResponse<String> post(HttpClient client, String path, Object body) {
        return send(client, HttpRequest.newBuilder(URI.create(https(path))).header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build());
    }

    /** Every "METHOD pattern" the application maps, with the filters' paths. */
    Set<String> endpoints() {
        Set<String> endpoints = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping : handlerMappings) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    if (methods.isEmpty()) {
                        endpoints.add("GET " + pattern);
                    }
                    methods.forEach(method -> endpoints.add(method.name() + " " + pattern));
                }
            }
        }
        endpoints.addAll(FILTER_ENDPOINTS);
        return endpoints;
    }

    @Test
    void everyEndpointHasAnEntryAndEveryEntryAnEndpoint() {
        Set<String> endpoints = endpoints();
        assertThat(endpoints).as("endpoints of the running application without an entry in the matrix")
                .allMatch(MATRIX::containsKey);
        assertThat(MATRIX.keySet()).as("entries of the matrix that the application no longer maps")
                .allMatch(endpoints::contains);
    }

    @Test
    void everyPersonaGetsWhatTheMatrixSaysAndNothingLeaks() {
        List<String> failures = new ArrayList<>();
        int calls = 0;
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String endpoint : endpoints()) {
            Rule rule = MATRIX.get(endpoint);
            if (rule == null) {
                failures.add(endpoint + ": no entry in the matrix");
                continue;
            }
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String pattern = endpoint.substring(endpoint.indexOf(' ') + 1);
            for (Target target : targets(pattern)) {
                // public endpoints: once anonymous, once with a card (some are rate-limited per client)
                List<String> callers = new ArrayList<>(rule == PUBLIC ? List.of(ANONYMOUS, "admin-chu") : sessions.keySet());
                // refusals first: an allowed state change happens last, and only to this test's resources
                callers.sort((a, b) -> Boolean.compare(rule.expect(a, target.scope) == Outcome.ALLOW,
                        rule.expect(b, target.scope) == Outcome.ALLOW));
                for (String caller : callers) {
                    Outcome expected = rule.expect(caller, target.scope);
                    HttpResponse<String> response = call(sessions.get(caller), endpoint, method, target.path);
                    calls++;
                    counts.merge(expected.name(), 1, Integer::sum);
                    String problem = judge(expected, response, target);
                    String what = "%s %s as %s (%s, expected %s)".formatted(method, target.path, caller, target.scope, expected);
                    if (problem != null) {
                        failures.add(what + ": " + problem + " — got " + response.statusCode() + " "
                                + abbreviate(response.body()));
                    }
                    if (!pattern.startsWith("/demo/")) {
                        for (Resource resource : resources()) {
                            if (!resource.viewers().contains(caller)) {
                                for (String marker : resource.markers()) {
                                    // a problem's "instance" repeats the path the caller sent: no leak
                                    if (!target.path().contains(marker) && response.body().contains(marker)) {
                                        failures.add(what + ": LEAK of " + marker + " (status " + response.statusCode() + ")");
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        System.out.println("authorisation matrix: " + calls + " calls " + counts);
        assertThat(failures).as("authorisation matrix failures").isEmpty();
        assertThat(calls).isGreaterThan(1000);
    }

    private List<Resource> resources() {
        return List.of(ownCertificate, foreignCertificate, ownDossier, foreignDossier);
    }

    /** One concrete path of a pattern: its scope, and whether it holds an id that exists nowhere. */
    record Target(String path, Scope scope, boolean unknownId) {
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}/]+)}");

    List<Target> targets(String pattern) {
        String path = pattern.replace("/**", "/liveness");
        Matcher variables = VARIABLE.matcher(path);
        Set<String> names = new LinkedHashSet<>();
        while (variables.find()) {
            names.add(variables.group(1));
        }
        if (names.isEmpty()) {
            return List.of(new Target(path, Scope.NONE, false));
        }
        List<Target> targets = new ArrayList<>();
        boolean scoped = pattern.contains("/certificates/{id}") || pattern.contains("/habilitations/{reference}")
                || pattern.startsWith("/app/registry/");
        for (Scope scope : scoped ? List.of(Scope.OWN, Scope.FOREIGN) : List.of(Scope.NONE)) {
            String concrete = path;
            boolean unknown = false;
            for (String name : names) {
                String value = switch (name) {
                    case "id" -> {
                        if (pattern.contains("/certificates/{id}")) {
                            yield (scope == Scope.OWN ? ownCertificate : foreignCertificate).id();
                        } else if (pattern.startsWith("/app/registry/structures/")) {
                            yield (scope == Scope.OWN ? ownStructure : foreignStructure).toString();
                        } else if (pattern.startsWith("/app/registry/persons/")) {
                            yield (scope == Scope.OWN ? ownPerson : foreignPerson).toString();
                        }
                        // ACME objects, CertDC SIs and drafts: no such object (a real one would be changed)
                        unknown = true;
                        yield pattern.startsWith("/acme/") ? "unknown-object" : UUID.randomUUID().toString();
                    }
                    case "reference" -> (scope == Scope.OWN ? ownDossier : foreignDossier).id();
                    case "token", "delegation", "kid", "draftId" -> {
                        unknown = true;
                        yield UUID.randomUUID().toString();
                    }
                    case "name" -> pattern.startsWith("/demo/") ? "nobody" : "prod-organisations";
                    case "label" -> pattern.startsWith("/acme/") ? "serv-ssl-serveur" : "org-auth-cli";
                    case "request" -> "MAMwAQ%3D%3D";
                    case "registrationId" -> OidcProperties.REGISTRATION_ID;
                    default -> throw new AssertionError("no value for {" + name + "} in " + pattern
                            + ": say in AuthorizationMatrixIT.targets what an own and a foreign value is");
                };
                concrete = concrete.replace("{" + name + "}", value);
            }
            targets.add(new Target(concrete, scope, unknown));
        }
        return targets;
    }

    private HttpResponse<String> call(Session session, String endpoint, String method, String path) {
        HttpClient client = session.client;
        String csrf = path.startsWith("/certdc/") ? session.certDcCsrf : session.csrf;
        if (FRESH_SESSION.contains(endpoint)) {
            Session fresh = new Session(session.caller);
            fresh.open();
            client = fresh.client;
            csrf = path.startsWith("/certdc/") ? fresh.certDcCsrf : fresh.csrf;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(https(path)));
        boolean api = path.startsWith("/api/") || path.startsWith("/certdc/api/") || path.startsWith("/certdc/ws/");
        request.header("Accept", api ? "application/json" : "text/html,application/json;q=0.9,*/*;q=0.8");
        switch (method) {
            case "GET" -> request.GET();
            case "HEAD" -> request.HEAD();
            case "POST", "PUT" -> {
                String type;
                byte[] body;
                if (api) {
                    type = "application/json";
                    body = "{}".getBytes(StandardCharsets.UTF_8);
                } else if (path.startsWith("/acme/")) {
                    type = "application/jose+json";
                    body = "{}".getBytes(StandardCharsets.UTF_8);
                } else if (path.startsWith("/.well-known/est/")) {
                    type = "application/pkcs10";
                    body = "bm90IGEgY3Ny".getBytes(StandardCharsets.UTF_8);
                } else if (path.startsWith("/ocsp")) {
                    type = "application/ocsp-request";
                    body = new byte[] {0x30, 0x03, 0x30, 0x01, 0x00};
                } else {
                    type = "application/x-www-form-urlencoded";
                    body = ("_csrf=" + csrf).getBytes(StandardCharsets.UTF_8);
                }
                request.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            }
            default -> throw new AssertionError("method " + method);
        }
        return send(client, request.build());
    }

    /** Null when the answer is what the rule expects, else what is wrong. */
    private static String judge(Outcome expected, HttpResponse<String> response, Target target) {
        int status = response.statusCode();
        if (status >= 500) {
            return "server error";
        }
        String location = response.headers().firstValue("Location").orElse("");
        boolean toLogin = status / 100 == 3 && location.contains("/login") && !location.contains("error")
                && !location.contains("logout");
        boolean refusal = status == 401 || status == 403 || status == 404 || toLogin;
        return switch (expected) {
            case OPEN -> null;
            case ALLOW -> {
                if (status == 401 || status == 403 || toLogin) {
                    yield "refused an allowed caller";
                }
                yield status == 404 && target.scope() != Scope.NONE && !target.unknownId()
                        ? "refused an allowed caller (404 on a real resource)" : null;
            }
            case DENY -> refusal ? null : "not refused";
            case REFUSED -> status / 100 == 4 ? null : "a protocol call without credentials that was not refused";
        };
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }
}
