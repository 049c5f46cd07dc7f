package org.openigc.server.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;
import org.openigc.ca.Offer;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.registry.Habilitation;
import org.openigc.server.registry.RegistryService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * ACME state kept in PostgreSQL (nonces, orders, authorizations), expiry and the sweep, account key rollover and
 * deactivation, the TEST directory, and an EAB credential of one structure used for another's names.
 */
class AcmeStateIT extends ServerTestSupport {
    private static final String CHU = "1750712184";
    private static final String CLINIC = "1330000068";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JdbcClient jdbc;
    @Autowired
    AcmeStore store;
    @Autowired
    Clock clock;
    @Autowired
    RegistryService registry;

    private JsonNode eab(String persona, String structure, String environment) throws Exception {
        HttpResponse<String> created = personaClient(persona).send(HttpRequest.newBuilder(
                        URI.create(https("/api/v1/acme/eab-credentials"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("structure", structure, "environment", environment)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    record Account(AcmeClient acme, ECKey key, String url) {
    }

    private Account account(String persona, String structure, String label) throws Exception {
        JsonNode eab = eab(persona, structure, label.startsWith("test-") ? "TEST" : "PRODUCTION");
        AcmeClient acme = new AcmeClient(client(), https("/acme/" + label));
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        HttpResponse<String> created = acme.newAccount(key, eab.get("kid").asText(),
                Base64URL.from(eab.get("hmacKey").asText()).decode());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new Account(acme, key, created.headers().firstValue("Location").orElseThrow());
    }

    private static String name(String domain) {
        return "n" + UUID.randomUUID().toString().substring(0, 8) + "." + domain;
    }

    @Test
    void aNonceIsAcceptedOnceWhicheverNodeReceivesItAndNotAfterItsExpiry() {
        AcmeStore otherNode = new AcmeStore(jdbc, clock);
        String nonce = store.newNonce();
        assertThat(otherNode.consumeNonce(nonce)).isTrue();
        assertThat(store.consumeNonce(nonce)).isFalse();
        assertThat(otherNode.consumeNonce(nonce)).isFalse();
        assertThat(store.consumeNonce("never-issued")).isFalse();

        String expired = store.newNonce();
        jdbc.sql("update acme_nonce set expires_at = now() - interval '1 minute' where nonce = :n").param("n", expired).update();
        assertThat(otherNode.consumeNonce(expired)).isFalse();
        String swept = store.newNonce();
        jdbc.sql("update acme_nonce set expires_at = now() - interval '1 minute' where nonce = :n").param("n", swept).update();
        assertThat(store.sweep().nonces()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("select count(*) from acme_nonce where nonce = :n").param("n", swept).query(Long.class).single())
                .isZero();
    }

    @Test
    void anOrderIsStoredAndReadBackByAnotherNodeAndOverHttp() throws Exception {
        Account account = account("admin-chu", CHU, "serv-ssl-serveur");
        String a = name("chu-demo.fr");
        String b = name("chu-demo.fr");
        HttpResponse<String> created = account.acme().newOrder(account.key(), account.url(), a, b);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String orderUrl = created.headers().firstValue("Location").orElseThrow();
        String id = orderUrl.substring(orderUrl.lastIndexOf('/') + 1);

        // a fresh store over the same database (a second node, or this one after a restart) sees the order
        AcmeStore.Order stored = new AcmeStore(jdbc, clock).order(id).orElseThrow();
        assertThat(stored.status()).isEqualTo("pending");
        assertThat(stored.names()).containsExactlyInAnyOrder(a, b);
        assertThat(stored.authzIds()).hasSize(2);
        assertThat(jdbc.sql("select count(*) from acme_authz where order_id = :id and challenge_status = 'pending'")
                .param("id", id).query(Long.class).single()).isEqualTo(2);

        JsonNode order = JSON.readTree(account.acme().post(account.key(), account.url(), orderUrl, "").body());
        assertThat(order.get("status").asText()).isEqualTo("pending");
        assertThat(order.get("expires").asText()).isEqualTo(stored.expires().toString());
        JsonNode authz = JSON.readTree(account.acme().post(account.key(), account.url(),
                order.get("authorizations").get(0).asText(), "").body());
        assertThat(authz.get("status").asText()).isEqualTo("pending");
        assertThat(authz.get("expires").asText()).isNotBlank();
        assertThat(authz.get("challenges").get(0).get("token").asText())
                .isEqualTo(new AcmeStore(jdbc, clock).authz(stored.authzIds().getFirst()).orElseThrow().token());

        // another account cannot read it
        Account other = account("admin-chu", CHU, "serv-ssl-serveur");
        assertThat(other.acme().post(other.key(), other.url(), orderUrl, "").statusCode()).isEqualTo(404);
    }

    @Test
    void expiredOrdersAreInvalidAuthorizationsExpiredFinalizeRefusedAndTheSweepMarksThenDeletesThem() throws Exception {
        Account account = account("admin-chu", CHU, "serv-ssl-serveur");
        HttpResponse<String> created = account.acme().newOrder(account.key(), account.url(), name("chu-demo.fr"));
        String orderUrl = created.headers().firstValue("Location").orElseThrow();
        String id = orderUrl.substring(orderUrl.lastIndexOf('/') + 1);
        JsonNode order = JSON.readTree(created.body());
        jdbc.sql("update acme_order set expires_at = now() - interval '1 minute' where id = :id").param("id", id).update();
        jdbc.sql("update acme_authz set expires_at = now() - interval '1 minute' where order_id = :id").param("id", id).update();

        JsonNode read = JSON.readTree(account.acme().post(account.key(), account.url(), orderUrl, "").body());
        assertThat(read.get("status").asText()).isEqualTo("invalid");
        String authzUrl = order.get("authorizations").get(0).asText();
        JsonNode authz = JSON.readTree(account.acme().post(account.key(), account.url(), authzUrl, "").body());
        assertThat(authz.get("status").asText()).isEqualTo("expired");
        // responding to the challenge of an expired authorization starts no validation
        JsonNode challenge = JSON.readTree(account.acme().post(account.key(), account.url(),
                authz.get("challenges").get(0).get("url").asText(), "{}").body());
        assertThat(challenge.get("status").asText()).isEqualTo("pending");
        HttpResponse<String> finalized = account.acme().post(account.key(), account.url(), order.get("finalize").asText(),
                "{\"csr\":\"AA\"}");
        assertThat(finalized.statusCode()).isEqualTo(403);
        assertThat(finalized.body()).contains("urn:ietf:params:acme:error:orderNotReady", "expired");

        // the sweep records it (any node may run it), then deletes it once past the retention
        store.sweep();
        assertThat(jdbc.sql("select status from acme_order where id = :id").param("id", id).query(String.class).single())
                .isEqualTo("invalid");
        assertThat(jdbc.sql("select status from acme_authz where order_id = :id").param("id", id).query(String.class).single())
                .isEqualTo("expired");
        jdbc.sql("update acme_order set expires_at = now() - interval '31 days' where id = :id").param("id", id).update();
        assertThat(new AcmeStore(jdbc, clock).sweep().ordersDeleted()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.sql("select count(*) from acme_authz where order_id = :id").param("id", id).query(Long.class).single())
                .isZero();
        assertThat(account.acme().post(account.key(), account.url(), orderUrl, "").statusCode()).isEqualTo(404);
    }

    @Test
    void aFinalizationAbandonedByADeadNodeIsReleasedByTheSweepAndOnlyOneFinalizationStarts() throws Exception {
        Account account = account("admin-chu", CHU, "serv-ssl-serveur");
        HttpResponse<String> created = account.acme().newOrder(account.key(), account.url(), name("chu-demo.fr"));
        String orderUrl = created.headers().firstValue("Location").orElseThrow();
        String id = orderUrl.substring(orderUrl.lastIndexOf('/') + 1);
        jdbc.sql("update acme_authz set status = 'valid', challenge_status = 'valid' where order_id = :id").param("id", id).update();
        assertThat(store.order(id).orElseThrow().status()).isEqualTo("ready");
        // two nodes finalize at once: exactly one starts
        assertThat(store.startFinalization(id)).isTrue();
        assertThat(new AcmeStore(jdbc, clock).startFinalization(id)).isFalse();
        HttpResponse<String> busy = account.acme().post(account.key(), account.url(), orderUrl + "/finalize", "{\"csr\":\"AA\"}");
        assertThat(busy.statusCode()).isEqualTo(403);
        assertThat(busy.body()).contains("orderNotReady", "processing");
        // a recent processing is left alone; one abandoned for more than 10 minutes becomes ready again
        store.sweep();
        assertThat(store.order(id).orElseThrow().status()).isEqualTo("processing");
        jdbc.sql("update acme_order set processing_at = now() - interval '11 minutes' where id = :id").param("id", id).update();
        assertThat(store.sweep().finalizationsReleased()).isGreaterThanOrEqualTo(1);
        assertThat(store.order(id).orElseThrow().status()).isEqualTo("ready");
    }

    private JWSObject keyChange(Account account, ECKey signer, ECKey shown, String accountUrl, ECKey oldKey, boolean nonce)
            throws Exception {
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(shown.toPublicJWK())
                .customParam("url", account.acme().url("/key-change"));
        if (nonce) {
            header.customParam("nonce", account.acme().nonce());
        }
        return AcmeClient.sign(header.build(), "{\"account\":\"" + accountUrl + "\",\"oldKey\":"
                + oldKey.toPublicJWK().toJSONString() + "}", signer);
    }

    private HttpResponse<String> sendKeyChange(Account account, ECKey outerKey, JWSObject inner) throws Exception {
        return account.acme().post(outerKey, account.url(), account.acme().url("/key-change"), AcmeClient.flattened(inner));
    }

    @Test
    void keyRolloverChecksTheInnerJwsThenReplacesTheAccountKey() throws Exception {
        Account account = account("admin-chu", CHU, "serv-ssl-serveur");
        JsonNode directory = JSON.readTree(getString(client(), https("/acme/serv-ssl-serveur/directory")).body());
        assertThat(directory.get("keyChange").asText()).isEqualTo(account.acme().url("/key-change"));
        ECKey next = new ECKeyGenerator(Curve.P_256).generate();
        ECKey stranger = new ECKeyGenerator(Curve.P_256).generate();
        String thumbprint = jdbc.sql("select thumbprint from acme_account where jwk like :x").param("x", "%" + account.key().getX() + "%")
                .query(String.class).single();

        // inner JWS signed by another key than the new key it shows
        HttpResponse<String> forged = sendKeyChange(account, account.key(), keyChange(account, stranger, next, account.url(), account.key(), false));
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("urn:ietf:params:acme:error:malformed", "new key");
        // oldKey is not the account's key
        HttpResponse<String> wrongOld = sendKeyChange(account, account.key(), keyChange(account, next, next, account.url(), stranger, false));
        assertThat(wrongOld.statusCode()).isEqualTo(403);
        assertThat(wrongOld.body()).contains("oldKey");
        // account is another URL
        HttpResponse<String> wrongAccount = sendKeyChange(account, account.key(),
                keyChange(account, next, next, account.url().replaceAll("[0-9a-f-]{36}$", UUID.randomUUID().toString()), account.key(), false));
        assertThat(wrongAccount.statusCode()).isEqualTo(403);
        assertThat(wrongAccount.body()).contains("account");
        // the inner JWS carries a nonce
        HttpResponse<String> withNonce = sendKeyChange(account, account.key(), keyChange(account, next, next, account.url(), account.key(), true));
        assertThat(withNonce.statusCode()).isEqualTo(400);
        assertThat(withNonce.body()).contains("nonce");
        // the outer JWS signed by the new key instead of the current one
        HttpResponse<String> outerWrong = sendKeyChange(account, next, keyChange(account, next, next, account.url(), account.key(), false));
        assertThat(outerWrong.statusCode()).isEqualTo(400);
        // the new key is already another account's key: 409 with that account's URL
        Account other = account("admin-chu", CHU, "serv-ssl-serveur");
        HttpResponse<String> taken = sendKeyChange(account, account.key(), keyChange(account, other.key(), other.key(), account.url(), account.key(), false));
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.headers().firstValue("Location")).contains(other.url());
        assertThat(jdbc.sql("select count(*) from acme_account where thumbprint = :t").param("t", thumbprint)
                .query(Long.class).single()).isEqualTo(1);

        HttpResponse<String> changed = sendKeyChange(account, account.key(), keyChange(account, next, next, account.url(), account.key(), false));
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from acme_account where thumbprint = :t").param("t", thumbprint)
                .query(Long.class).single()).isZero();
        // the old key no longer signs for the account; the new one does
        assertThat(account.acme().newOrder(account.key(), account.url(), name("chu-demo.fr")).statusCode()).isEqualTo(400);
        assertThat(account.acme().newOrder(next, account.url(), name("chu-demo.fr")).statusCode()).isEqualTo(201);
    }

    @Test
    void anAccountDeactivatedByItsHolderCanNoLongerOrder() throws Exception {
        Account account = account("admin-chu", CHU, "serv-ssl-serveur");
        HttpResponse<String> pending = account.acme().newOrder(account.key(), account.url(), name("chu-demo.fr"));
        String authzUrl = JSON.readTree(pending.body()).get("authorizations").get(0).asText();
        // a status other than deactivated is ignored (RFC 8555 §7.3.2)
        HttpResponse<String> ignored = account.acme().post(account.key(), account.url(), account.url(), "{\"status\":\"revoked\"}");
        assertThat(JSON.readTree(ignored.body()).get("status").asText()).isEqualTo("valid");
        HttpResponse<String> deactivated = account.acme().post(account.key(), account.url(), account.url(),
                "{\"status\":\"deactivated\"}");
        assertThat(deactivated.statusCode()).as(deactivated.body()).isEqualTo(200);
        assertThat(JSON.readTree(deactivated.body()).get("status").asText()).isEqualTo("deactivated");
        HttpResponse<String> refused = account.acme().newOrder(account.key(), account.url(), name("chu-demo.fr"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("urn:ietf:params:acme:error:unauthorized", "deactivated");
        String authzId = authzUrl.substring(authzUrl.lastIndexOf('/') + 1);
        assertThat(jdbc.sql("select status from acme_authz where id = :id").param("id", authzId).query(String.class).single())
                .isEqualTo("deactivated");
    }

    @Test
    void theTestDirectoryServesTestCredentialsOnly() throws Exception {
        // SERV SSL_SERVEUR only ("serv-ssl" is its short alias); any other label is a 404 problem document
        assertThat(getString(client(), https("/acme/serv-ssl/directory")).body()).contains(https("/acme/serv-ssl/new-account"));
        HttpResponse<String> otherProfile = getString(client(), https("/acme/org-auth-cli/directory"));
        assertThat(otherProfile.statusCode()).isEqualTo(404);
        assertThat(otherProfile.body()).contains("urn:ietf:params:acme:error:malformed");
        HttpResponse<String> directory = getString(client(), https("/acme/test-serv-ssl-serveur/directory"));
        assertThat(directory.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(directory.body()).get("newAccount").asText())
                .isEqualTo(https("/acme/test-serv-ssl-serveur/new-account"));
        Account account = account("admin-chu", CHU, "test-serv-ssl-serveur");
        HttpResponse<String> ordered = account.acme().newOrder(account.key(), account.url(), name("chu-demo.fr"));
        assertThat(ordered.statusCode()).as(ordered.body()).isEqualTo(201);
        assertThat(ordered.headers().firstValue("Location").orElseThrow()).contains("/acme/test-serv-ssl-serveur/order/");

        // a TEST credential is refused by the PRODUCTION directory
        JsonNode testEab = eab("admin-chu", CHU, "TEST");
        AcmeClient production = new AcmeClient(client(), https("/acme/serv-ssl-serveur"));
        HttpResponse<String> refused = production.newAccount(new ECKeyGenerator(Curve.P_256).generate(),
                testEab.get("kid").asText(), Base64URL.from(testEab.get("hmacKey").asText()).decode());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("TEST");
        assertThat(jdbc.sql("select count(*) from acme_eab where kid = :k and account_id is null")
                .param("k", testEab.get("kid").asText()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aCredentialOfAnotherStructureCannotOrderThisStructuresNames() throws Exception {
        UUID clinic = jdbc.sql("select id from structure where id_nat_struct = :s").param("s", CLINIC).query(UUID.class).single();
        UUID adminOther = jdbc.sql("select id from person where card_number = '2800000004'").query(UUID.class).single();
        String domain = "clinique-" + UUID.randomUUID().toString().substring(0, 6) + ".fr";
        Habilitation granted = registry.grantHabilitation(clinic, adminOther, Offer.SERV, List.of(domain), List.of(),
                "ACME-IT");
        try {
            Account account = account("admin-other", CLINIC, "serv-ssl-serveur");
            long orders = jdbc.sql("select count(*) from acme_order").query(Long.class).single();
            HttpResponse<String> foreign = account.acme().newOrder(account.key(), account.url(), name("chu-demo.fr"));
            assertThat(foreign.statusCode()).isEqualTo(400);
            assertThat(foreign.body()).contains("urn:ietf:params:acme:error:rejectedIdentifier");
            HttpResponse<String> mixed = account.acme().newOrder(account.key(), account.url(), name(domain), name("chu-demo.fr"));
            assertThat(mixed.statusCode()).isEqualTo(400);
            assertThat(jdbc.sql("select count(*) from acme_order").query(Long.class).single()).isEqualTo(orders);
            HttpResponse<String> own = account.acme().newOrder(account.key(), account.url(), name(domain));
            assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
        } finally {
            registry.revokeHabilitation(granted.id());
        }
    }
}
