package org.openigc.certdc.deposit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the CertDC deposit's JSON (the web service body): arbitrary bytes go through
 * {@link DepositService#parse} (strict JSON, then every field rule of {@link DepositValidator}). Accepted outcomes:
 * the deposit's data, or {@link DepositService.Refused} with status 400 and the fields named; anything else would
 * have been a 500 to the SI.
 * Regression seeds: {@code src/test/resources/org/openigc/certdc/deposit/DepositJsonFuzzTestInputs/deposit/}.
 * Fuzzing: {@code JAZZER_FUZZ=1 ./mvnw -pl openigc-certdc test -Dtest='DepositJsonFuzzTest'}.
 */
class DepositJsonFuzzTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 6, 1);

    @FuzzTest(maxDuration = "10m")
    void deposit(byte[] body) {
        try {
            DepositData data = DepositService.parse(body, TODAY).data();
            assertThat(data.establishment()).hasSize(9);
            assertThat(data.ipp()).isNotBlank();
        } catch (DepositService.Refused refused) {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.errors()).isNotEmpty();
        }
    }
}
