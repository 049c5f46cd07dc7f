package org.openigc.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing (Jazzer) of the identifier validators with arbitrary strings: {@link Identifiers#validate}
 * answers a list of errors and never throws; the parsers and helpers documented to throw
 * {@link IllegalArgumentException} (idNatPS, idNatStruct, département of a FINESS, INS key) throw nothing else.
 * Regression seeds: {@code src/test/resources/org/openigc/identifiers/IdentifiersFuzzTestInputs/identifiers/}.
 * Fuzzing: {@code JAZZER_FUZZ=1 ./mvnw -pl openigc-ca test -Dtest='IdentifiersFuzzTest'}.
 */
class IdentifiersFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void identifiers(FuzzedDataProvider data) {
        IdentifierType type = data.pickValue(IdentifierType.values());
        ValidationMode mode = data.pickValue(ValidationMode.values());
        String value = data.consumeRemainingAsString();
        List<IdentifierError> errors = Identifiers.validate(type, "field", value, mode);
        assertThat(errors).isNotNull();
        errors.forEach(error -> assertThat(error.field()).isEqualTo("field"));
        assertThat(Identifiers.finessWarnings(value)).isNotNull();
        if (value.chars().allMatch(c -> c >= '0' && c <= '9') && !value.isEmpty()) {
            Identifiers.luhnValid(value);
        }
        try {
            IdNatPs.parse(value).format();
        } catch (IllegalArgumentException documented) {
            // the rule it breaks is in the message
        }
        try {
            IdNatStruct.parse(value).format();
        } catch (IllegalArgumentException documented) {
            // idem
        }
        try {
            Identifiers.departementOfFiness(value);
        } catch (IllegalArgumentException documented) {
            // idem
        }
        try {
            int key = Identifiers.insKey(value);
            assertThat(key).isBetween(1, 97);
        } catch (IllegalArgumentException documented) {
            // idem
        }
    }
}
