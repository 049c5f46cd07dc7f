package org.openigc.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

class IdentifiersPropertiesTest {

    private static String withLuhnDigit(String digits) {
        return digits + Identifiers.luhnCheckDigit(digits);
    }

    /** {@code number} with the digit at {@code position} moved by {@code delta} (1..9), i.e. changed. */
    private static String changeDigit(String number, int position, int delta) {
        int i = Math.floorMod(position, number.length());
        char changed = (char) ('0' + (number.charAt(i) - '0' + delta) % 10);
        return number.substring(0, i) + changed + number.substring(i + 1);
    }

    @Property
    void appendingTheLuhnDigitMakesAValidNumber(@ForAll @NumericChars @StringLength(min = 1, max = 40) String digits) {
        assertThat(Identifiers.luhnValid(withLuhnDigit(digits))).isTrue();
    }

    @Property
    void changingAnySingleDigitBreaksLuhn(@ForAll @NumericChars @StringLength(min = 1, max = 40) String digits,
                                          @ForAll int position, @ForAll @IntRange(min = 1, max = 9) int delta) {
        String changed = changeDigit(withLuhnDigit(digits), position, delta);
        assertThat(Identifiers.luhnValid(changed)).isFalse();
    }

    @Property
    void onlyOneDigitCompletesANumber(@ForAll @NumericChars @StringLength(min = 1, max = 20) String digits,
                                      @ForAll @IntRange(min = 0, max = 9) int key) {
        assertThat(Identifiers.luhnValid(digits + key)).isEqualTo(key == Identifiers.luhnCheckDigit(digits));
    }

    @Property
    void luhnKeyedNumbersPassTheirValidators(@ForAll @NumericChars @StringLength(13) String digits) {
        assertThat(Identifiers.siren("f", withLuhnDigit(digits.substring(0, 8)))).isEmpty();
        assertThat(Identifiers.adeli("f", withLuhnDigit(digits.substring(0, 8)))).isEmpty();
        assertThat(Identifiers.rpps("f", withLuhnDigit(digits.substring(0, 10)))).isEmpty();
        assertThat(Identifiers.rppsRang("f", withLuhnDigit(digits))).isEmpty();
        String siret = withLuhnDigit(digits);
        if (!siret.startsWith("356000000")) { // La Poste has its own rule
            assertThat(Identifiers.siret("f", siret)).isEmpty();
        }
    }

    @Property
    void sirenWithAChangedDigitIsRejected(@ForAll @NumericChars @StringLength(8) String digits,
                                          @ForAll int position, @ForAll @IntRange(min = 1, max = 9) int delta) {
        String siren = changeDigit(withLuhnDigit(digits), position, delta);
        assertThat(Identifiers.siren("f", siren)).extracting(IdentifierError::code)
                .containsExactly(IdentifierError.CHECK_DIGIT);
    }

    @Provide
    Arbitrary<String> finessPrefixes() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(1, 95).filter(n -> n != 20).map(n -> String.format("%02d", n)),
                Arbitraries.integers().between(1, 6).map(n -> "97" + n),
                Arbitraries.just("98"));
    }

    @Property
    void finessWithAValidPrefixAndLuhnDigitIsValid(@ForAll("finessPrefixes") String prefix,
                                                  @ForAll @NumericChars @StringLength(6) String order) {
        String body = (prefix + order).substring(0, 8);
        String finess = withLuhnDigit(body);
        assertThat(Identifiers.finess("f", finess, ValidationMode.STRICT)).isEmpty();
        assertThat(Departements.nameOf(Identifiers.departementOfFiness(finess))).isPresent();
    }

    @Provide
    Arbitrary<String> nirs() {
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofLength(13);
        Arbitrary<String> corsican = Arbitraries.strings().numeric().ofLength(11)
                .flatMap(d -> Arbitraries.of("2A", "2B").map(c -> d.substring(0, 5) + c + d.substring(5)));
        return Arbitraries.oneOf(digits, corsican);
    }

    /** N of the INS rule, computed independently of production: 2A = 20 − 1 and 2B = 20 − 2 at the 10^6 place. */
    private static long numeric(String nir) {
        String departement = nir.substring(5, 7);
        long adjustment = switch (departement) {
            case "2A" -> 1_000_000L;
            case "2B" -> 2_000_000L;
            default -> 0L;
        };
        String asTwenty = adjustment == 0 ? nir : nir.substring(0, 5) + "20" + nir.substring(7);
        return Long.parseLong(asTwenty) - adjustment;
    }

    @Property
    void insKeyCompletesTheNirToAMultipleOf97(@ForAll("nirs") String nir) {
        int key = Identifiers.insKey(nir);
        assertThat(key).isBetween(1, 97);
        assertThat((numeric(nir) + key) % 97).isZero();
        assertThat(Identifiers.ins("f", nir + String.format("%02d", key))).isEmpty();
    }

    @Property
    void everyOtherInsKeyIsRejected(@ForAll("nirs") String nir, @ForAll @IntRange(min = 0, max = 99) int key) {
        boolean right = key == Identifiers.insKey(nir);
        assertThat(Identifiers.ins("f", nir + String.format("%02d", key)).isEmpty()).isEqualTo(right);
    }
}
