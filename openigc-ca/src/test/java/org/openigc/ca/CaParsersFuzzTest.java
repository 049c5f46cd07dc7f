package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the CA's parsers of untrusted bytes: CSRs (PEM or DER, with every check of
 * {@link CsrChecker}) and OCSP requests ({@link OcspRequests}). The only accepted outcomes are a result or the
 * documented refusal, a {@link CaException} with its error code; anything else (a RuntimeException, an Error, a
 * hang past Jazzer's timeout) is a finding.
 *
 * <p>In the normal test run each target replays its committed seed corpus
 * ({@code src/test/resources/org/openigc/ca/CaParsersFuzzTestInputs/<target>/}). Fuzzing mode, one target per run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl openigc-ca test -Dtest='CaParsersFuzzTest#csr' -Djazzer.max_duration=10m}
 * (see docs/reliability.md, "Fuzzing").
 */
class CaParsersFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void csr(byte[] input) {
        try {
            CheckedCsr checked = CsrChecker.check(input);
            assertThat(checked.publicKey()).isNotNull();
        } catch (CaException refused) {
            assertThat(refused.errorCode()).isNotNull();
        }
    }

    @FuzzTest(maxDuration = "10m")
    void ocspRequest(byte[] input) {
        try {
            ParsedOcspRequest request = OcspRequests.parse(input);
            assertThat(request.ids()).isNotEmpty().hasSizeLessThanOrEqualTo(OcspRequests.DEFAULT_MAX_IDS);
        } catch (CaException refused) {
            assertThat(refused.errorCode()).isIn(CaErrorCode.OCSP_MALFORMED_REQUEST, CaErrorCode.OCSP_TOO_MANY_REQUESTS);
        }
    }
}
