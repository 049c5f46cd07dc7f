package org.openigc.server.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openigc.ca.CaRole;
import org.openigc.ca.CertificateFormats;
import org.openigc.ca.Environment;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** RFC 8555 against real clients (certbot, lego from Debian) and hand-made bad JWS. */
class AcmeIT extends ServerTestSupport {
    private static final String CHU = "1750712184";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int HTTP01_PORT = ACME_HTTP01_PORT;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path dir;

    private static int port() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Run(int exit, String output) {
    }

    private Run run(Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Path log = Files.createTempFile(dir, "run", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("timed out: " + String.join(" ", command) + "\n" + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    private Run unused(Process process) throws Exception {
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private JsonNode eab(String environment) throws Exception {
        HttpResponse<String> created = personaClient("admin-chu").send(HttpRequest.newBuilder(
                        URI.create(https("/api/v1/acme/eab-credentials"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("structure", CHU, "environment", environment)))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body());
    }

    private String directoryUrl() {
        return https("/acme/serv-ssl-serveur/directory");
    }

    private void writeRoot() throws Exception {
        Files.writeString(dir.resolve("root.pem"),
                CertificateFormats.pem(authorities.ca(Environment.PRODUCTION, CaRole.ROOT).certificate()));
    }

    private Map<String, Object> row(String name) {
        return jdbc.sql("select id, channel, status, structure_id from certificate where service_applicatif = :n")
                .param("n", name).query().singleRow();
    }

    @Test
    void certbotObtainsRenewsAndRevokesWithExternalAccountBinding() throws Exception {
        writeRoot();
        JsonNode eab = eab("PRODUCTION");
        String name = "www-" + UUID.randomUUID().toString().substring(0, 6) + ".chu-demo.fr";
        Map<String, String> env = Map.of("REQUESTS_CA_BUNDLE", dir.resolve("root.pem").toString());
        List<String> common = List.of("--non-interactive", "--agree-tos", "-m", "ops@chu-demo.fr",
                "--server", directoryUrl(), "--config-dir", "cfg", "--work-dir", "work", "--logs-dir", "logs");
        List<String> obtain = new ArrayList<>(List.of("certbot", "certonly", "--standalone", "--key-type", "ecdsa",
                "--http-01-port", String.valueOf(HTTP01_PORT), "--http-01-address", "127.0.0.1", "-d", name,
                "--eab-kid", eab.get("kid").asText(), "--eab-hmac-key", eab.get("hmacKey").asText()));
        obtain.addAll(common);
        Run first = run(env, obtain.toArray(String[]::new));
        assertThat(first.exit()).as(first.output()).isZero();
        Path live = dir.resolve("cfg/live/" + name);
        String text = run(Map.of(), "openssl", "x509", "-in", live.resolve("cert.pem").toString(), "-noout", "-text").output();
        assertThat(text).contains("DNS:" + name, "OU = " + CHU);
        assertThat(run(Map.of(), "openssl", "verify", "-CAfile", "root.pem", "-untrusted",
                live.resolve("chain.pem").toString(), live.resolve("cert.pem").toString()).output()).contains(": OK");
        assertThat(row(name).get("channel")).isEqualTo("ACME");

        // renewal with the same account (a new order and key)
        List<String> renew = new ArrayList<>(obtain);
        renew.add("--force-renewal");
        Run second = run(env, renew.toArray(String[]::new));
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(jdbc.sql("select count(*) from certificate where service_applicatif = :n and channel = 'ACME'")
                .param("n", name).query(Long.class).single()).isEqualTo(2);

        // a name outside the structure's approved domains is refused
        List<String> foreign = new ArrayList<>(obtain);
        foreign.set(foreign.indexOf(name), "www.example.org");
        Run refused = run(env, foreign.toArray(String[]::new));
        assertThat(refused.exit()).isNotZero();
        // Debian's certbot 2.1 crashes printing any ACME problem ("AttributeError: can't set attribute", a
        // josepy incompatibility), so the problem type itself is asserted by the hand-made request below
        assertThat(refused.output()).containsAnyOf("rejectedIdentifier", "AttributeError");
        assertThat(jdbc.sql("select count(*) from certificate where service_applicatif = 'www.example.org'")
                .query(Long.class).single()).isZero();

        // revocation by the account
        List<String> revoke = new ArrayList<>(List.of("certbot", "revoke", "--cert-path",
                live.resolve("cert.pem").toString(), "--reason", "keycompromise", "--no-delete-after-revoke"));
        revoke.addAll(common);
        Run revoked = run(env, revoke.toArray(String[]::new));
        assertThat(revoked.exit()).as(revoked.output()).isZero();
        String serial = run(Map.of(), "openssl", "x509", "-in", live.resolve("cert.pem").toString(), "-noout", "-serial")
                .output().strip().replace("serial=", "").toLowerCase().replaceFirst("^0+", "");
        assertThat(jdbc.sql("select status from certificate where serial_number = :s").param("s", serial)
                .query(String.class).single()).isEqualTo("REVOKED");
    }

    @Test
    void legoObtainsRenewsAndRevokes() throws Exception {
        writeRoot();
        JsonNode eab = eab("PRODUCTION");
        String name = "lego-" + UUID.randomUUID().toString().substring(0, 6) + ".chu-demo.fr";
        Map<String, String> env = Map.of("LEGO_CA_CERTIFICATES", dir.resolve("root.pem").toString());
        List<String> common = List.of("lego", "--server", directoryUrl(), "--path", dir.resolve("lego").toString(),
                "--accept-tos", "--email", "ops@chu-demo.fr", "--eab", "--kid", eab.get("kid").asText(),
                "--hmac", eab.get("hmacKey").asText(), "--domains", name, "--http",
                "--http.port", "127.0.0.1:" + HTTP01_PORT, "--key-type", "ec256");
        List<String> obtain = new ArrayList<>(common);
        obtain.add("run");
        Run first = run(env, obtain.toArray(String[]::new));
        assertThat(first.exit()).as(first.output()).isZero();
        Path crt = dir.resolve("lego/certificates/" + name + ".crt");
        String text = run(Map.of(), "openssl", "x509", "-in", crt.toString(), "-noout", "-text").output();
        assertThat(text).contains("DNS:" + name);
        assertThat(row(name).get("channel")).isEqualTo("ACME");

        List<String> renew = new ArrayList<>(common);
        renew.addAll(List.of("renew", "--days", "10000", "--no-random-sleep"));
        Run second = run(env, renew.toArray(String[]::new));
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(jdbc.sql("select count(*) from certificate where service_applicatif = :n and channel = 'ACME'")
                .param("n", name).query(Long.class).single()).isEqualTo(2);

        List<String> revoke = new ArrayList<>(common);
        revoke.addAll(List.of("revoke", "--reason", "4"));
        Run revoked = run(env, revoke.toArray(String[]::new));
        assertThat(revoked.exit()).as(revoked.output()).isZero();
        assertThat(jdbc.sql("""
                select count(*) from certificate where service_applicatif = :n and status = 'REVOKED'
                and revocation_reason = 'superseded'""").param("n", name).query(Long.class).single()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- hand-made requests for the refusals

    private String nonce(HttpClient client) throws Exception {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(https("/acme/serv-ssl-serveur/new-nonce")))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        return response.headers().firstValue("Replay-Nonce").orElseThrow();
    }

    private static String flattened(JWSObject jws) {
        return "{\"protected\":\"" + jws.getHeader().toBase64URL() + "\",\"payload\":\"" + jws.getPayload().toBase64URL()
                + "\",\"signature\":\"" + jws.getSignature() + "\"}";
    }

    private JWSObject newAccountJws(ECKey key, String nonce, String kid, byte[] hmac) throws Exception {
        String url = https("/acme/serv-ssl-serveur/new-account");
        JWSObject binding = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).customParam("url", url).build(),
                new Payload(key.toPublicJWK().toJSONString()));
        binding.sign(new MACSigner(hmac));
        String payload = "{\"termsOfServiceAgreed\":true,\"externalAccountBinding\":" + flattened(binding) + "}";
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(key.toPublicJWK())
                .customParam("nonce", nonce).customParam("url", url).build(), new Payload(payload));
        jws.sign(new ECDSASigner(key));
        return jws;
    }

    private HttpResponse<String> post(HttpClient client, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(https(path))).header("Content-Type", "application/jose+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void badNonceWrongMacAlgNoneAndWrongKeyAreRefusedAndCreateNothing() throws Exception {
        HttpClient client = client();
        JsonNode eab = eab("PRODUCTION");
        String kid = eab.get("kid").asText();
        byte[] hmac = Base64URL.from(eab.get("hmacKey").asText()).decode();
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        long accounts = jdbc.sql("select count(*) from acme_account").query(Long.class).single();

        // wrong MAC
        HttpResponse<String> wrongMac = post(client, "/acme/serv-ssl-serveur/new-account",
                flattened(newAccountJws(key, nonce(client), kid, new byte[32])));
        assertThat(wrongMac.statusCode()).isEqualTo(403);
        assertThat(wrongMac.body()).contains("urn:ietf:params:acme:error:unauthorized");

        // alg none
        String url = https("/acme/serv-ssl-serveur/new-account");
        String none = "{\"protected\":\"" + Base64URL.encode("{\"alg\":\"none\",\"nonce\":\"" + nonce(client)
                + "\",\"url\":\"" + url + "\",\"jwk\":" + key.toPublicJWK().toJSONString() + "}") + "\",\"payload\":\""
                + Base64URL.encode("{}") + "\",\"signature\":\"\"}";
        HttpResponse<String> algNone = post(client, "/acme/serv-ssl-serveur/new-account", none);
        assertThat(algNone.statusCode()).isEqualTo(400);
        assertThat(algNone.body()).contains("badSignatureAlgorithm");

        // signed by another key than the jwk it shows
        JWSObject good = newAccountJws(key, nonce(client), kid, hmac);
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        JWSObject forged = new JWSObject(good.getHeader(), good.getPayload());
        forged.sign(new ECDSASigner(other));
        HttpResponse<String> wrongKey = post(client, "/acme/serv-ssl-serveur/new-account", flattened(forged));
        assertThat(wrongKey.statusCode()).isEqualTo(400);
        assertThat(wrongKey.body()).contains("malformed");
        assertThat(jdbc.sql("select count(*) from acme_account").query(Long.class).single()).isEqualTo(accounts);

        // the good request works once; its replay is a badNonce
        JWSObject valid = newAccountJws(key, nonce(client), kid, hmac);
        HttpResponse<String> created = post(client, "/acme/serv-ssl-serveur/new-account", flattened(valid));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> replay = post(client, "/acme/serv-ssl-serveur/new-account", flattened(valid));
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("urn:ietf:params:acme:error:badNonce");
        assertThat(jdbc.sql("select count(*) from acme_account").query(Long.class).single()).isEqualTo(accounts + 1);

        // the binding is single use: another key cannot reuse it
        HttpResponse<String> reused = post(client, "/acme/serv-ssl-serveur/new-account",
                flattened(newAccountJws(other, nonce(client), kid, hmac)));
        assertThat(reused.statusCode()).isEqualTo(403);

        // no binding at all
        String noEab = flattened(signed(other, nonce(client), url, "{\"termsOfServiceAgreed\":true}"));
        HttpResponse<String> missing = post(client, "/acme/serv-ssl-serveur/new-account", noEab);
        assertThat(missing.body()).contains("externalAccountRequired");

        // newOrder outside the approved domains: rejectedIdentifier
        String account = created.headers().firstValue("Location").orElseThrow();
        String orderUrl = https("/acme/serv-ssl-serveur/new-order");
        JWSObject order = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(account)
                .customParam("nonce", nonce(client)).customParam("url", orderUrl).build(),
                new Payload("{\"identifiers\":[{\"type\":\"dns\",\"value\":\"www.example.org\"}]}"));
        order.sign(new ECDSASigner(key));
        HttpResponse<String> rejected = post(client, "/acme/serv-ssl-serveur/new-order", flattened(order));
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.body()).contains("urn:ietf:params:acme:error:rejectedIdentifier");
        // the same with the wrong key for the account: refused
        JWSObject stolen = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(account)
                .customParam("nonce", nonce(client)).customParam("url", orderUrl).build(),
                new Payload("{\"identifiers\":[{\"type\":\"dns\",\"value\":\"www.chu-demo.fr\"}]}"));
        stolen.sign(new ECDSASigner(other));
        HttpResponse<String> wrongAccountKey = post(client, "/acme/serv-ssl-serveur/new-order", flattened(stolen));
        assertThat(wrongAccountKey.statusCode()).isEqualTo(400);
        assertThat(wrongAccountKey.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void anOversizedJwsIsAMalformedProblemAndChangesNothing() throws Exception {
        HttpClient client = client();
        JsonNode eab = eab("PRODUCTION");
        String kid = eab.get("kid").asText();
        byte[] hmac = Base64URL.from(eab.get("hmacKey").asText()).decode();
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        long accounts = jdbc.sql("select count(*) from acme_account").query(Long.class).single();
        String padding = "x".repeat(70 * 1024);

        // newAccount, validly signed with a valid binding, but over 64 KB
        String url = https("/acme/serv-ssl-serveur/new-account");
        JWSObject binding = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).customParam("url", url).build(),
                new Payload(key.toPublicJWK().toJSONString()));
        binding.sign(new MACSigner(hmac));
        JWSObject big = signed(key, nonce(client), url, "{\"termsOfServiceAgreed\":true,\"externalAccountBinding\":"
                + flattened(binding) + ",\"padding\":\"" + padding + "\"}");
        HttpResponse<String> tooLarge = post(client, "/acme/serv-ssl-serveur/new-account", flattened(big));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(tooLarge.body()).contains("urn:ietf:params:acme:error:malformed");
        assertThat(jdbc.sql("select count(*) from acme_account").query(Long.class).single()).isEqualTo(accounts);
        assertThat(jdbc.sql("select account_id is null from acme_eab where kid = :k").param("k", kid)
                .query(Boolean.class).single()).as("the binding is still unused").isTrue();

        // the same account request at its normal size works: nothing was consumed
        HttpResponse<String> created = post(client, "/acme/serv-ssl-serveur/new-account",
                flattened(newAccountJws(key, nonce(client), kid, hmac)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String account = created.headers().firstValue("Location").orElseThrow();

        // newOrder over 64 KB: refused, no order
        long orders = jdbc.sql("select count(*) from acme_order").query(Long.class).single();
        HttpResponse<String> bigOrder = signedPost(client, key, account, https("/acme/serv-ssl-serveur/new-order"),
                "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"big.chu-demo.fr\"}],\"padding\":\"" + padding + "\"}");
        assertThat(bigOrder.statusCode()).isEqualTo(413);
        assertThat(bigOrder.body()).contains("urn:ietf:params:acme:error:malformed");
        assertThat(jdbc.sql("select count(*) from acme_order").query(Long.class).single()).isEqualTo(orders);

        // names outside the approved domains: rejectedIdentifier, no order either
        HttpResponse<String> rejected = signedPost(client, key, account, https("/acme/serv-ssl-serveur/new-order"),
                "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"www.example.org\"}]}");
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(rejected.body()).contains("urn:ietf:params:acme:error:rejectedIdentifier");
        assertThat(jdbc.sql("select count(*) from acme_order").query(Long.class).single()).isEqualTo(orders);
    }

    private HttpResponse<String> signedPost(HttpClient client, ECKey key, String account, String url, String payload)
            throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(account)
                .customParam("nonce", nonce(client)).customParam("url", url).build(), new Payload(payload));
        jws.sign(new ECDSASigner(key));
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/jose+json")
                .POST(HttpRequest.BodyPublishers.ofString(flattened(jws))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void http01ThenFinalizeRefusesACsrForOtherNamesAndAcceptsTheRightOne() throws Exception {
        HttpClient client = client();
        JsonNode eab = eab("PRODUCTION");
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        HttpResponse<String> created = post(client, "/acme/serv-ssl-serveur/new-account", flattened(
                newAccountJws(key, nonce(client), eab.get("kid").asText(), Base64URL.from(eab.get("hmacKey").asText()).decode())));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String account = created.headers().firstValue("Location").orElseThrow();
        String name = "csr-" + UUID.randomUUID().toString().substring(0, 6) + ".chu-demo.fr";
        HttpResponse<String> ordered = signedPost(client, key, account, https("/acme/serv-ssl-serveur/new-order"),
                "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"" + name + "\"}]}");
        assertThat(ordered.statusCode()).as(ordered.body()).isEqualTo(201);
        JsonNode order = JSON.readTree(ordered.body());
        assertThat(order.get("status").asText()).isEqualTo("pending");
        JsonNode authz = JSON.readTree(signedPost(client, key, account, order.get("authorizations").get(0).asText(), "").body());
        JsonNode challenge = authz.get("challenges").get(0);
        assertThat(challenge.get("type").asText()).isEqualTo("http-01");
        String token = challenge.get("token").asText();
        String keyAuthorization = token + "." + key.computeThumbprint();

        // finalize before the challenge is valid: orderNotReady
        assertThat(signedPost(client, key, account, order.get("finalize").asText(), "{\"csr\":\"AA\"}").body())
                .contains("orderNotReady");

        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", HTTP01_PORT), 0);
        List<String> hosts = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.createContext("/.well-known/acme-challenge/" + token, exchange -> {
            hosts.add(exchange.getRequestHeaders().getFirst("Host"));
            byte[] answer = keyAuthorization.getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        try {
            JsonNode validated = JSON.readTree(signedPost(client, key, account, challenge.get("url").asText(), "{}").body());
            assertThat(validated.get("status").asText()).isEqualTo("valid");
        } finally {
            server.stop(0);
        }
        assertThat(hosts).containsExactly(name);

        // a CSR for another name is refused and issues nothing
        run(Map.of(), "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "k.pem", "-subj", "/CN=other.chu-demo.fr", "-addext", "subjectAltName=DNS:other.chu-demo.fr",
                "-outform", "DER", "-out", "other.der");
        HttpResponse<String> bad = signedPost(client, key, account, order.get("finalize").asText(),
                "{\"csr\":\"" + Base64URL.encode(Files.readAllBytes(dir.resolve("other.der"))) + "\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("urn:ietf:params:acme:error:badCSR");
        assertThat(jdbc.sql("select count(*) from certificate where service_applicatif in (:a, 'other.chu-demo.fr')")
                .param("a", name).query(Long.class).single()).isZero();

        run(Map.of(), "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "k2.pem", "-subj", "/CN=" + name, "-addext", "subjectAltName=DNS:" + name,
                "-outform", "DER", "-out", "good.der");
        HttpResponse<String> good = signedPost(client, key, account, order.get("finalize").asText(),
                "{\"csr\":\"" + Base64URL.encode(Files.readAllBytes(dir.resolve("good.der"))) + "\"}");
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        JsonNode finalized = JSON.readTree(good.body());
        assertThat(finalized.get("status").asText()).isEqualTo("valid");
        HttpResponse<String> chain = signedPost(client, key, account, finalized.get("certificate").asText(), "");
        assertThat(chain.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/pem-certificate-chain");
        assertThat(chain.body().split("BEGIN CERTIFICATE").length - 1).isEqualTo(2);
        assertThat(row(name).get("channel")).isEqualTo("ACME");
        // a normal certificate of the CHU: in its tracking with the channel shown, and due for expiry notices
        HttpClient admin = personaClient("admin-chu");
        assertThat(getString(admin, https("/app/certificates?q=" + name)).body()).contains("<td class=\"channel\">ACME</td>");
        assertThat(getString(admin, https("/app/certificates/" + row(name).get("id"))).body()).contains("id=\"channel\">ACME<");
        // revokeCert (RFC 8555 §7.6): by another account or a key other than the certificate's, unauthorized and
        // nothing changes; signed by the certificate's own key (jwk), revoked
        java.security.cert.X509Certificate issued = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory
                .getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(chain.body().getBytes(StandardCharsets.US_ASCII)));
        String revocation = "{\"certificate\":\"" + Base64URL.encode(issued.getEncoded()) + "\",\"reason\":1}";
        String revokeUrl = https("/acme/serv-ssl-serveur/revoke-cert");
        JsonNode otherEab = eab("PRODUCTION");
        ECKey otherKey = new ECKeyGenerator(Curve.P_256).generate();
        HttpResponse<String> otherAccount = post(client, "/acme/serv-ssl-serveur/new-account", flattened(newAccountJws(otherKey,
                nonce(client), otherEab.get("kid").asText(), Base64URL.from(otherEab.get("hmacKey").asText()).decode())));
        assertThat(otherAccount.statusCode()).as(otherAccount.body()).isEqualTo(201);
        HttpResponse<String> notTheirs = signedPost(client, otherKey, otherAccount.headers().firstValue("Location").orElseThrow(),
                revokeUrl, revocation);
        assertThat(notTheirs.statusCode()).isEqualTo(403);
        assertThat(notTheirs.body()).contains("urn:ietf:params:acme:error:unauthorized");
        HttpResponse<String> strangerKey = post(client, "/acme/serv-ssl-serveur/revoke-cert",
                flattened(signed(new ECKeyGenerator(Curve.P_256).generate(), nonce(client), revokeUrl, revocation)));
        assertThat(strangerKey.statusCode()).isEqualTo(403);
        assertThat(strangerKey.body()).contains("urn:ietf:params:acme:error:unauthorized");
        assertThat(jdbc.sql("select status from certificate where service_applicatif = :n").param("n", name)
                .query(String.class).single()).isEqualTo("ACTIVE");
        run(Map.of(), "openssl", "ec", "-in", "k2.pem", "-out", "k2-ec.pem");
        ECKey certificateKey = com.nimbusds.jose.jwk.JWK.parseFromPEMEncodedObjects(Files.readString(dir.resolve("k2-ec.pem")))
                .toECKey();
        HttpResponse<String> byKey = post(client, "/acme/serv-ssl-serveur/revoke-cert",
                flattened(signed(certificateKey, nonce(client), revokeUrl, revocation)));
        assertThat(byKey.statusCode()).as(byKey.body()).isEqualTo(200);
        assertThat(jdbc.sql("select status || ':' || revocation_reason from certificate where service_applicatif = :n")
                .param("n", name).query(String.class).single()).isEqualTo("REVOKED:keyCompromise");
        HttpResponse<String> again = post(client, "/acme/serv-ssl-serveur/revoke-cert",
                flattened(signed(certificateKey, nonce(client), revokeUrl, revocation)));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("urn:ietf:params:acme:error:alreadyRevoked");

        // no contact on this account and none on the credential: the notices go to acme@<name> and the CHU's administrators
        assertThat(jdbc.sql("""
                select c.actor_email from certificate c join structure s on s.id = c.structure_id
                where c.service_applicatif = :n and s.id_nat_struct = :chu""")
                .param("n", name).param("chu", CHU).query(String.class).single()).isEqualTo("acme@" + name);
    }

    private static JWSObject signed(ECKey key, String nonce, String url, String payload) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(key.toPublicJWK())
                .customParam("nonce", nonce).customParam("url", url).build(), new Payload(payload));
        jws.sign(new ECDSASigner(key));
        return jws;
    }
}
