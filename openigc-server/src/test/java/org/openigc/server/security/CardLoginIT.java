package org.openigc.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openigc.ca.CaRole;
import org.openigc.ca.Environment;
import org.openigc.ca.IssuanceRequest;
import org.openigc.ca.KeyAlgorithm;
import org.openigc.ca.ProfileId;
import org.openigc.ca.SubjectData;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.authority.Channel;
import org.openigc.server.authority.IssuanceService;
import org.openigc.server.authority.IssuedCertificate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Card login over real TLS with the demo personas' P12 files, and every reason a card is refused. */
class CardLoginIT extends ServerTestSupport {
    @Autowired
    JdbcClient jdbc;
    @Autowired
    IssuanceService issuance;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JsonMapper json;

    @ParameterizedTest
    @CsvSource({
            "operator,     Odile OPERATRICE, 2800000001, 810000000017,               OPERATOR",
            "legal-chu,    Louise LEGRAND,   2800000002, 3750712184/DIR001,           LEGAL_REPRESENTATIVE",
            "admin-chu,    Antoine ADMIN,    2800000003, 3750712184/INF001,           TECHNICAL_ADMINISTRATOR",
            "admin-other,  Agathe AUTRE,     2800000004, 3330000068/INF001,           TECHNICAL_ADMINISTRATOR",
            "admin-editor, Eric EDITEUR,     2800000005, 541234567000019/DEV001,      TECHNICAL_ADMINISTRATOR",
            "referent-idf, Rémi REFERENT,    2800000006, 810000000025,               REFERENT",
            "auditor,      Aude AUDIT,       2800000007, 810000000033,               AUDITOR",
            "doctor,       Marc MEDECIN,     2800000008, 810000000041,               ''"})
    void eachPersonaLogsInWithItsCard(String persona, String name, String cardNumber, String idNatPs, String role) {
        HttpResponse<String> response = getString(personaClient(persona), https("/api/v1/me"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, Object> me = json.readValue(response.body(), Map.class);
        assertThat(me).containsEntry("name", name).containsEntry("cardNumber", cardNumber)
                .containsEntry("idNatPS", idNatPs).containsEntry("cardLogin", true);
        List<String> roles = (List<String>) me.get("roles");
        if (role.isEmpty()) {
            assertThat(roles).isEmpty();
        } else {
            assertThat(roles).contains(role);
        }
    }

    @Test
    void meListsHabilitationsPerStructureWithOffers() {
        Map<String, Object> adminChu = me("admin-chu");
        assertThat((List<Map<String, Object>>) adminChu.get("habilitations")).singleElement().satisfies(h -> {
            assertThat(h).containsEntry("structure", "1750712184").containsEntry("name", "CHU DEMO");
            assertThat((List<String>) h.get("offers")).containsExactly("ORG", "SERV");
        });
        Map<String, Object> legal = me("legal-chu");
        assertThat((List<Map<String, Object>>) legal.get("habilitations")).singleElement().satisfies(h -> {
            assertThat(h).containsEntry("structure", "1750712184");
            assertThat((List<String>) h.get("relations")).containsExactly("LEGAL_REPRESENTATIVE");
        });
        Map<String, Object> editor = me("admin-editor");
        assertThat((List<Map<String, Object>>) editor.get("habilitations")).singleElement().satisfies(h -> {
            assertThat(h).containsEntry("structure", "1930000054");
            assertThat((List<String>) h.get("offers")).containsExactly("ORG", "SERV");
            assertThat((List<String>) h.get("relations")).containsExactly("DELEGATION");
        });
        assertThat(me("referent-idf")).containsEntry("region", "11");
    }

    @Test
    void anOpposedCardIsRefusedAndAcceptedAgainOnceActive() {
        jdbc.sql("update person set card_status = 'OPPOSED' where card_number = '2800000007'").update();
        try {
            HttpResponse<String> refused = getString(personaClient("auditor"), https("/api/v1/me"));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(refused.body()).contains("login.refused.cardOpposed").contains("opposition");
        } finally {
            jdbc.sql("update person set card_status = 'ACTIVE' where card_number = '2800000007'").update();
        }
        assertThat(getString(personaClient("auditor"), https("/api/v1/me")).statusCode()).isEqualTo(200);
    }

    @Test
    void anExpiredCardIsRefused() {
        jdbc.sql("update person set card_expires_on = current_date - 1 where card_number = '2800000007'").update();
        try {
            HttpResponse<String> refused = getString(personaClient("auditor"), https("/api/v1/me"));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("login.refused.cardExpired");
        } finally {
            jdbc.sql("update person set card_expires_on = null where card_number = '2800000007'").update();
        }
    }

    @Test
    void aRevokedCardCertificateIsRefused() throws Exception {
        KeyStore card = issueCard(Environment.PRODUCTION, ProfileId.CPX_AUTH, "810000000033");
        assertThat(getString(client(card, DEMO_PASSWORD), https("/api/v1/me")).statusCode()).isEqualTo(200);
        String fingerprint = org.openigc.server.authority.CertificateDigests.sha256(card.getCertificate("card").getEncoded());
        jdbc.sql("update certificate set status = 'REVOKED', revoked_at = now(), revocation_reason = 'keyCompromise' "
                + "where fingerprint_sha256 = :fp").param("fp", fingerprint).update();
        HttpResponse<String> refused = getString(client(card, DEMO_PASSWORD), https("/api/v1/me"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("login.refused.certificateRevoked");
    }

    @Test
    void aTestPersonnesCardIsAcceptedButATestOrganisationsCertificateIsNotACard() throws Exception {
        KeyStore testCard = issueCard(Environment.TEST, ProfileId.CPX_AUTH, "810000000033");
        assertThat(getString(client(testCard, DEMO_PASSWORD), https("/api/v1/me")).statusCode()).isEqualTo(200);

        KeyPair keyPair = KeyAlgorithm.EC_P256.generate();
        IssuanceRequest request = IssuanceRequest.of(keyPair.getPublic(),
                SubjectData.organisation("INSI-AUTO", "1750712184", "CHU DEMO", "Paris (75)"), Instant.now().minusSeconds(60));
        IssuedCertificate issued = transactions.execute(status ->
                issuance.issue(Environment.TEST, ProfileId.ORG_AUTH_CLI, request, Channel.PORTAL));
        KeyStore organisation = keyStore(keyPair, issued, Environment.TEST, CaRole.ORGANISATIONS);
        HttpResponse<String> refused = getString(client(organisation, DEMO_PASSWORD), https("/api/v1/me"));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("login.refused.notCard");
    }

    @Test
    void noCertificateAnswers401ProblemJsonNeverARedirect() {
        HttpResponse<String> response = getString(client(), https("/api/v1/me"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        Map<String, Object> problem = json.readValue(response.body(), Map.class);
        assertThat(problem).containsEntry("status", 401).containsEntry("code", "unauthenticated")
                .containsKey("detail").containsKey("type").containsKey("title");
        // Pages of the professional space send browsers to the login page instead.
        HttpResponse<String> page = getString(client(), https("/app"));
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElse("")).endsWith("/login");
    }

    private Map<String, Object> me(String persona) {
        HttpResponse<String> response = getString(personaClient(persona), https("/api/v1/me"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readValue(response.body(), Map.class);
    }

    private KeyStore issueCard(Environment environment, ProfileId profile, String idNatPs) throws Exception {
        KeyPair keyPair = KeyAlgorithm.EC_P256.generate();
        IssuanceRequest request = IssuanceRequest.of(keyPair.getPublic(),
                SubjectData.cardHolder(idNatPs, "AUDIT", "Aude", null), Instant.now().minusSeconds(60));
        IssuedCertificate issued = transactions.execute(status -> issuance.issue(environment, profile, request, Channel.DEMO));
        return keyStore(keyPair, issued, environment, CaRole.PERSONNES);
    }

    private KeyStore keyStore(KeyPair keyPair, IssuedCertificate issued, Environment environment, CaRole role) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        List<Certificate> chain = new java.util.ArrayList<>();
        chain.add(issued.certificate());
        chain.addAll(authorities.ca(environment, role).chain());
        store.setKeyEntry("card", keyPair.getPrivate(), DEMO_PASSWORD, chain.toArray(Certificate[]::new));
        return store;
    }
}
