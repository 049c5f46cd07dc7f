package org.openigc.server.acme;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The stateless part of reading an ACME request (RFC 8555 §6.2), from untrusted bytes: the flattened JWS, its
 * protected header and algorithm, the signature check against a JWK, the external account binding's inner JWS.
 * Every refusal is an {@link AcmeProblem} (malformed, badSignatureAlgorithm, badPublicKey, 413, 415); nothing else
 * escapes, whatever the input (fuzzed by {@code AcmeJwsFuzzTest}).
 */
final class AcmeJws {
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.RS256);
    static final int MAX_BODY = 64 * 1024;

    private AcmeJws() {
    }

    /** The request body as a flattened JWS with an allowed algorithm (nonce, url and key are the caller's checks). */
    static JWSObject parse(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            throw AcmeProblem.malformed("a JWS body is required");
        }
        if (body.length > MAX_BODY) {
            throw new AcmeProblem("malformed", 413, "the JWS is too large");
        }
        if (contentType == null || !contentType.startsWith("application/jose+json")) {
            throw new AcmeProblem("malformed", 415, "Content-Type must be application/jose+json");
        }
        JWSObject jws = flattened(json(new String(body, StandardCharsets.UTF_8)));
        if (!ALGORITHMS.contains(jws.getHeader().getAlgorithm())) {
            throw new AcmeProblem("badSignatureAlgorithm", 400, "allowed algorithms: ES256, ES384, RS256");
        }
        return jws;
    }

    static Map<String, Object> json(String text) {
        Map<String, Object> object;
        try {
            object = JSONObjectUtils.parse(text);
        } catch (java.text.ParseException | RuntimeException e) {
            throw AcmeProblem.malformed("the payload is not a JSON object");
        }
        if (object == null) {
            // the JSON literal null (found by AcmeJwsFuzzTest: it was a NullPointerException, a 500)
            throw AcmeProblem.malformed("the payload is not a JSON object");
        }
        return object;
    }

    static JWSObject flattened(Map<String, Object> flattened) {
        if (!(flattened.get("protected") instanceof String p) || !(flattened.get("payload") instanceof String payload)
                || !(flattened.get("signature") instanceof String signature)) {
            throw AcmeProblem.malformed("a flattened JWS (protected, payload, signature) is required");
        }
        try {
            Map<String, Object> header = JSONObjectUtils.parse(new Base64URL(p).decodeToString());
            if (header == null) {
                throw AcmeProblem.malformed("the protected header is not a JSON object");
            }
            if (!(header.get("alg") instanceof String alg) || "none".equalsIgnoreCase(alg) || alg.startsWith("HS")) {
                throw new AcmeProblem("badSignatureAlgorithm", 400, "allowed algorithms: ES256, ES384, RS256");
            }
            return new JWSObject(new Base64URL(p), new Base64URL(payload), new Base64URL(signature));
        } catch (java.text.ParseException e) {
            throw AcmeProblem.malformed("the JWS cannot be parsed");
        }
    }

    /** The external account binding: a flattened JWS (its MAC and payload are checked by the caller). */
    static JWSObject binding(Map<?, ?> flattened) {
        if (!(flattened.get("protected") instanceof String p) || !(flattened.get("payload") instanceof String payload)
                || !(flattened.get("signature") instanceof String signature)) {
            throw AcmeProblem.malformed("externalAccountBinding must be a flattened JWS");
        }
        try {
            return new JWSObject(new Base64URL(p), new Base64URL(payload), new Base64URL(signature));
        } catch (java.text.ParseException e) {
            throw AcmeProblem.malformed("externalAccountBinding cannot be parsed");
        }
    }

    /** Whether the JWS verifies with this key (an EC key with ES*, an RSA key with RS*). */
    static boolean verifies(JWSObject jws, JWK jwk) {
        try {
            JWSVerifier verifier = switch (jwk) {
                case ECKey ec -> new ECDSAVerifier(ec.toECPublicKey());
                case RSAKey rsa -> new RSASSAVerifier(rsa.toRSAPublicKey());
                default -> throw new AcmeProblem("badPublicKey", 400, "EC or RSA keys only");
            };
            if (jwk instanceof ECKey && !jws.getHeader().getAlgorithm().getName().startsWith("ES")
                    || jwk instanceof RSAKey && !jws.getHeader().getAlgorithm().getName().startsWith("RS")) {
                return false;
            }
            return jws.verify(verifier);
        } catch (com.nimbusds.jose.JOSEException e) {
            return false;
        }
    }
}
