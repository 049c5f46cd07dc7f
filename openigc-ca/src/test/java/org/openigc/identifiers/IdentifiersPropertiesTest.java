package org.openigc.identifiers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the check-digit rules over generated inputs: 250 cases each from a fixed seed, so a failure is
 * reproducible (the case's index is in the test name).
 */
class IdentifiersPropertiesTest {
    private static final int CASES = 250;

    record Case(String digits, int position, int delta, int key, String prefix) {
    }

    static Stream<Case> cases() {
        Random random = new Random(20261123L);
        return IntStream.range(0, CASES).mapToObj(i -> new Case(digits(random, 1 + random.nextInt(40)),
                random.nextInt(Integer.MAX_VALUE), 1 + random.nextInt(9), random.nextInt(100), finessPrefix(random)));
    }

    private static String digits(Random random, int length) {
        StringBuilder digits = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }

    private static String finessPrefix(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> {
                int n;
                do {
                    n = 1 + random.nextInt(95);
                } while (n == 20);
                yield String.format("%02d", n);
            }
            case 1 -> "97" + (1 + random.nextInt(6));
            default -> "98";
        };
    }

    private static String withLuhnDigit(String digits) {
        return digits + Identifiers.luhnCheckDigit(digits);
    }

    /** {@code number} with the digit at {@code position} moved by {@code delta} (1..9), i.e. changed. */
    private static String changeDigit(String number, int position, int delta) {
        int i = Math.floorMod(position, number.length());
        char changed = (char) ('0' + (number.charAt(i) - '0' + delta) % 10);
        return number.substring(0, i) + changed + number.substring(i + 1);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void appendingTheLuhnDigitMakesAValidNumber(Case c) {
        assertThat(Identifiers.luhnValid(withLuhnDigit(c.digits()))).isTrue();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void changingAnySingleDigitBreaksLuhn(Case c) {
        assertThat(Identifiers.luhnValid(changeDigit(withLuhnDigit(c.digits()), c.position(), c.delta()))).isFalse();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void onlyOneDigitCompletesANumber(Case c) {
        int key = c.key() % 10;
        assertThat(Identifiers.luhnValid(c.digits() + key)).isEqualTo(key == Identifiers.luhnCheckDigit(c.digits()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void luhnKeyedNumbersPassTheirValidators(Case c) {
        String digits = (c.digits() + "0000000000000").substring(0, 13);
        assertThat(Identifiers.siren("f", withLuhnDigit(digits.substring(0, 8)))).isEmpty();
        assertThat(Identifiers.adeli("f", withLuhnDigit(digits.substring(0, 8)))).isEmpty();
        assertThat(Identifiers.rpps("f", withLuhnDigit(digits.substring(0, 10)))).isEmpty();
        assertThat(Identifiers.rppsRang("f", withLuhnDigit(digits))).isEmpty();
        String siret = withLuhnDigit(digits);
        if (!siret.startsWith("356000000")) { // La Poste has its own rule
            assertThat(Identifiers.siret("f", siret)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void sirenWithAChangedDigitIsRejected(Case c) {
        String digits = (c.digits() + "00000000").substring(0, 8);
        String siren = changeDigit(withLuhnDigit(digits), c.position(), c.delta());
        assertThat(Identifiers.siren("f", siren)).extracting(IdentifierError::code)
                .containsExactly(IdentifierError.CHECK_DIGIT);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void finessWithAValidPrefixAndLuhnDigitIsValid(Case c) {
        String body = (c.prefix() + c.digits() + "000000").substring(0, 8);
        String finess = withLuhnDigit(body);
        assertThat(Identifiers.finess("f", finess, ValidationMode.STRICT)).isEmpty();
        assertThat(Departements.nameOf(Identifiers.departementOfFiness(finess))).isPresent();
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

    private static String nir(Case c) {
        String d = (c.digits() + "0000000000000").substring(0, 13);
        return switch (c.key() % 3) {
            case 0 -> d.substring(0, 5) + "2A" + d.substring(5, 11);
            case 1 -> d.substring(0, 5) + "2B" + d.substring(5, 11);
            default -> d;
        };
    }

    @ParameterizedTest
    @MethodSource("cases")
    void insKeyCompletesTheNirToAMultipleOf97(Case c) {
        String nir = nir(c);
        int key = Identifiers.insKey(nir);
        assertThat(key).isBetween(1, 97);
        assertThat((numeric(nir) + key) % 97).isZero();
        assertThat(Identifiers.ins("f", nir + String.format("%02d", key))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyOtherInsKeyIsRejected(Case c) {
        String nir = nir(c);
        boolean right = c.key() == Identifiers.insKey(nir);
        assertThat(Identifiers.ins("f", nir + String.format("%02d", c.key())).isEmpty()).isEqualTo(right);
    }
}
