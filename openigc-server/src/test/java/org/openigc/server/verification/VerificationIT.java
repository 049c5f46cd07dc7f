package org.openigc.server.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openigc.ca.CaHierarchy;
import org.openigc.ca.CaKey;
import org.openigc.ca.CaNaming;
import org.openigc.ca.CaRole;
import org.openigc.ca.CaUrls;
import org.openigc.ca.CertProfile;
import org.openigc.ca.CertificateFormats;
import org.openigc.ca.CertificateIssuer;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The relying-party API with the two DMP checks, on the demo CHU (EJ 750712184 with its EG). */
class VerificationIT extends ServerTestSupport {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    IssuanceService issuance;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcClient jdbc;

    private IssuedCertificate orgAuthCli(String idNatStruct) {
        IssuanceRequest request = IssuanceRequest.of(KeyAlgorithm.EC_P256.generate().getPublic(),
                SubjectData.organisation("DMP AUTHENTIFICATION", idNatStruct, "CHU DEMO", "Paris (75)"),
                Instant.now().minusSeconds(5));
        return transactions.execute(s -> issuance.issue(Environment.PRODUCTION, ProfileId.ORG_AUTH_CLI, request, Channel.PORTAL));
    }

    private JsonNode verify(Map<String, Object> body, int expectedStatus) throws Exception {
        HttpResponse<String> response = client().send(HttpRequest.newBuilder(URI.create(https("/api/v1/verification")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JSON.readTree(response.body());
    }

    private static boolean passed(JsonNode result, String check) {
        for (JsonNode node : result.get("checks")) {
            if (node.get("name").asString().equals(check)) {
                assertThat(node.get("message").asString()).isNotBlank();
                assertThat(node.get("messageEn").asString()).isNotBlank();
                return node.get("passed").asBoolean();
            }
        }
        throw new AssertionError("no check " + check + " in " + result);
    }

    @Test
    void aCertificateOfTheEjPassesBothDmpChecksForOneOfItsEg() throws Exception {
        IssuedCertificate issued = orgAuthCli("1750712184");
        String pem = CertificateFormats.pem(issued.certificate());
        JsonNode ok = verify(Map.of("certificate", pem,
                "vihf", Map.of("identifiantStructure", "1750712184", "authorInstitution", "750100018")), 200);
        assertThat(ok.get("chainValid").asBoolean()).isTrue();
        assertThat(ok.get("status").asString()).isEqualTo("GOOD");
        assertThat(ok.get("environment").asString()).isEqualTo("PRODUCTION");
        assertThat(passed(ok, "vihf.identifiantStructure")).isTrue();
        assertThat(passed(ok, "vihf.authorInstitution")).isTrue();
        assertThat(passed(ok, "keyUsage")).isTrue();

        // XON form of authorInstitution, as in a CDA
        JsonNode xon = verify(Map.of("certificate", pem, "vihf", Map.of("identifiantStructure", "1750712184",
                "authorInstitution", "HOPITAL NORD^^^^^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^^1920100047")), 200);
        assertThat(passed(xon, "vihf.authorInstitution")).isTrue();

        // strict equality: an EG's id is not the certificate's OU; an EG of another EJ is refused
        JsonNode mismatch = verify(Map.of("certificate", pem, "vihf", Map.of("identifiantStructure", "1750100018",
                "authorInstitution", "330000076")), 200);
        assertThat(passed(mismatch, "vihf.identifiantStructure")).isFalse();
        assertThat(passed(mismatch, "vihf.authorInstitution")).isFalse();
        // not fit for a TLS server
        assertThat(passed(verify(Map.of("certificate", pem, "purpose", "serverAuth"), 200), "keyUsage")).isFalse();
    }

    @Test
    void revokedAndForeignCertificatesFail() throws Exception {
        IssuedCertificate issued = orgAuthCli("1750712184");
        jdbc.sql("update certificate set status = 'REVOKED', revoked_at = :at, revocation_reason = 'keyCompromise' where id = :id")
                .param("at", Timestamp.from(Instant.now())).param("id", issued.id()).update();
        JsonNode revoked = verify(Map.of("certificate", CertificateFormats.pem(issued.certificate())), 200);
        assertThat(revoked.get("status").asString()).isEqualTo("REVOKED");
        assertThat(passed(revoked, "revocation")).isFalse();

        Map<CaRole, CaKey> foreign = CaHierarchy.create(Environment.PRODUCTION, new CaNaming("OPENIGC DEMO", "187512751"),
                KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P256, Instant.now(), n -> CaUrls.under("http://x", n),
                (n, a) -> a.generate(), null);
        var lookalike = new CertificateIssuer(foreign.get(CaRole.ORGANISATIONS), CaUrls.under("http://x", "y"))
                .issue(CertProfile.defaults("1.2.3", "https://x.example").get(ProfileId.ORG_AUTH_CLI),
                        IssuanceRequest.of(KeyAlgorithm.EC_P256.generate().getPublic(),
                                SubjectData.organisation("FAUX", "1750712184", "CHU DEMO", "Paris (75)"), Instant.now()),
                        CertificateIssuer.randomSerial());
        JsonNode forged = verify(Map.of("certificate", CertificateFormats.pem(lookalike)), 200);
        assertThat(forged.get("chainValid").asBoolean()).isFalse();
        assertThat(passed(forged, "chain")).isFalse();
    }

    @Test
    void unreadableInputIsA400NamingTheField() throws Exception {
        JsonNode problem = verify(Map.of("certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"), 400);
        assertThat(problem.get("errors").findValuesAsString("field")).containsExactly("certificate");
        assertThat(verify(Map.of("certificate", "x", "purpose", "nope"), 400).toString()).contains("certificate");
        assertThat(verify(Map.of("vihf", List.of()), 400).toString()).contains("errors");
    }
}
