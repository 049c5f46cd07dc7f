package org.openigc.server.acme;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;

/** A minimal ACME client for hand-made requests: flattened JWS built and signed with nimbus-jose-jwt. */
final class AcmeClient {
    private final HttpClient client;
    /** {@code https://127.0.0.1:<port>/acme/<label>} */
    private final String base;

    AcmeClient(HttpClient client, String base) {
        this.client = client;
        this.base = base;
    }

    String url(String path) {
        return base + path;
    }

    String nonce() throws Exception {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(base + "/new-nonce"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        return response.headers().firstValue("Replay-Nonce").orElseThrow();
    }

    static String flattened(JWSObject jws) {
        return "{\"protected\":\"" + jws.getHeader().toBase64URL() + "\",\"payload\":\"" + jws.getPayload().toBase64URL()
                + "\",\"signature\":\"" + jws.getSignature() + "\"}";
    }

    static JWSObject sign(JWSHeader header, String payload, ECKey key) throws Exception {
        JWSObject jws = new JWSObject(header, new Payload(payload));
        jws.sign(new ECDSASigner(key));
        return jws;
    }

    /** newAccount signed by {@code key} (jwk) with an external account binding over it. */
    HttpResponse<String> newAccount(ECKey key, String kid, byte[] hmac) throws Exception {
        String url = url("/new-account");
        JWSObject binding = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).customParam("url", url).build(),
                new Payload(key.toPublicJWK().toJSONString()));
        binding.sign(new MACSigner(hmac));
        String payload = "{\"termsOfServiceAgreed\":true,\"contact\":[\"mailto:ops@chu-demo.fr\"],"
                + "\"externalAccountBinding\":" + flattened(binding) + "}";
        JWSObject jws = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(key.toPublicJWK())
                .customParam("nonce", nonce()).customParam("url", url).build(), payload, key);
        return send(url, flattened(jws));
    }

    /** POST (or POST-as-GET with an empty payload) signed by the account's key, kid = account URL. */
    HttpResponse<String> post(ECKey key, String account, String url, String payload) throws Exception {
        JWSObject jws = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(account)
                .customParam("nonce", nonce()).customParam("url", url).build(), payload, key);
        return send(url, flattened(jws));
    }

    HttpResponse<String> send(String url, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/jose+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> newOrder(ECKey key, String account, String... names) throws Exception {
        StringBuilder identifiers = new StringBuilder();
        for (String name : names) {
            identifiers.append(identifiers.isEmpty() ? "" : ",").append("{\"type\":\"dns\",\"value\":\"").append(name).append("\"}");
        }
        return post(key, account, url("/new-order"), "{\"identifiers\":[" + identifiers + "]}");
    }
}
