package org.openigc.server.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWK;

/**
 * Coverage-guided fuzzing (Jazzer) of the ACME request parser: a body of arbitrary bytes goes through
 * {@link AcmeJws#parse} (JSON, flattened JWS, protected header, algorithm), then, when it carries a public
 * {@code jwk}, through the signature check, and its payload's {@code externalAccountBinding} through the binding
 * parser — as {@code newAccount} does. Accepted outcomes: a result or an {@link AcmeProblem} (which the controller
 * answers as an RFC 8555 problem); any other exception would have been a 500.
 * Regression seeds: {@code src/test/resources/org/openigc/server/acme/AcmeJwsFuzzTestInputs/jws/}.
 * Fuzzing: {@code JAZZER_FUZZ=1 ./mvnw -pl openigc-server test -Dtest='AcmeJwsFuzzTest'}.
 */
class AcmeJwsFuzzTest {
    /** Finding of the first 10-minute run (seed crash-json-null-body): the JSON literal null was a 500. */
    @Test
    void theJsonLiteralNullIsMalformedNotA500() {
        for (String body : new String[] {" null}", "null", "{\"protected\":\"bnVsbA\",\"payload\":\"bnVsbA\",\"signature\":\"\"}"}) {
            try {
                AcmeJws.parse(body.getBytes(StandardCharsets.UTF_8), "application/jose+json");
                throw new AssertionError("accepted " + body);
            } catch (AcmeProblem refused) {
                assertThat(refused.status()).as(body).isEqualTo(400);
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void jws(byte[] body) {
        try {
            JWSObject jws = AcmeJws.parse(body, "application/jose+json");
            assertThat(AcmeJws.ALGORITHMS).contains(jws.getHeader().getAlgorithm());
            JWK jwk = jws.getHeader().getJWK();
            if (jwk != null && !jwk.isPrivate()) {
                AcmeJws.verifies(jws, jwk);
            }
            Map<String, Object> payload = AcmeJws.json(jws.getPayload().toString());
            if (payload.get("externalAccountBinding") instanceof Map<?, ?> binding) {
                AcmeJws.binding(binding).getHeader();
            }
        } catch (AcmeProblem refused) {
            assertThat(refused.status()).isBetween(400, 499);
        }
    }
}
