package org.openigc.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.assertj.core.api.InstanceOfAssertFactories;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

    private static final String F = "field";

    /** The single error code of a result, failing if there is not exactly one error. */
    private static String onlyCode(List<IdentifierError> errors) {
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).field()).isEqualTo(F);
        assertThat(errors.get(0).message()).isNotBlank();
        return errors.get(0).code();
    }

    @Nested
    class Luhn {

        @ParameterizedTest
        @ValueSource(strings = {"750712184", "187512751", "18751275100020", "10005173140",
                "99700367909006", "879101558", "79927398713", "0"})
        void knownValidNumbers(String digits) {
            assertThat(Identifiers.luhnValid(digits)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"750712185", "187512750", "79927398710", "1"})
        void knownInvalidNumbers(String digits) {
            assertThat(Identifiers.luhnValid(digits)).isFalse();
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"75071218A", " 750712184", "７５０７１２１８４", "٧٥٠٧١٢١٨٤"})
        void nullEmptyAndNonAsciiDigitsAreNotLuhnValid(String value) {
            assertThat(Identifiers.luhnValid(value)).isFalse();
        }

        @Test
        void checkDigitOfWorkedExamples() {
            assertThat(Identifiers.luhnCheckDigit("75071218")).isEqualTo(4);
            assertThat(Identifiers.luhnCheckDigit("1000517314")).isEqualTo(0);
            assertThat(Identifiers.luhnCheckDigit("87910155")).isEqualTo(8);
            assertThat(Identifiers.luhnCheckDigit("7992739871")).isEqualTo(3);
        }

        @Test
        void checkDigitRejectsNonDigits() {
            assertThatThrownBy(() -> Identifiers.luhnCheckDigit("12A")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Identifiers.luhnCheckDigit(null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Finess {

        @Test
        void workedExampleIsValid() {
            assertThat(Identifiers.finess(F, "750712184", ValidationMode.STRICT)).isEmpty();
            assertThat(Identifiers.finessWarnings("750712184")).isEmpty();
            assertThat(Identifiers.departementOfFiness("750712184")).isEqualTo("75");
        }

        @Test
        void badCheckDigit() {
            assertThat(onlyCode(Identifiers.finess(F, "750712185", ValidationMode.STRICT)))
                    .isEqualTo(IdentifierError.CHECK_DIGIT);
        }

        @ParameterizedTest
        @ValueSource(strings = {"75071218", "7507121840", "B0073160"})
        void wrongLength(String value) {
            assertThat(onlyCode(Identifiers.finess(F, value, ValidationMode.STRICT))).isEqualTo(IdentifierError.LENGTH);
        }

        @ParameterizedTest
        @ValueSource(strings = {"75071218A", "0B0152872", "1B0073160", "2C0000000", "2a0000000", "2A000000B", "75 712184"})
        void lettersOutsideCorsicaPrefixAreAFormatError(String value) {
            assertThat(onlyCode(Identifiers.finess(F, value, ValidationMode.STRICT))).isEqualTo(IdentifierError.FORMAT);
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"   "})
        void empty(String value) {
            assertThat(onlyCode(Identifiers.finess(F, value, ValidationMode.STRICT))).isEqualTo(IdentifierError.EMPTY);
            assertThat(onlyCode(Identifiers.finess(F, value, ValidationMode.TEST))).isEqualTo(IdentifierError.EMPTY);
        }

        @ParameterizedTest
        @CsvSource({
                "971000013, 971", "972000012, 972", "973000011, 973", "974000010, 974",
                "975000019, 975", "976000018, 976",
                // FINESS codes Mayotte as 98; we hand out its INSEE code.
                "980000012, 976",
                "130783533, 13", "010000008, 01", "950000000, 95"})
        void validPrefixesIncludingOverseas(String finess, String departement) {
            assertThat(Identifiers.finess(F, finess, ValidationMode.STRICT)).isEmpty();
            assertThat(Identifiers.departementOfFiness(finess)).isEqualTo(departement);
        }

        // All Luhn-valid, so only the département rule can reject them.
        @ParameterizedTest
        @ValueSource(strings = {"200000016", "000000018", "960000016", "990000010", "970000014", "977000017"})
        void invalidDepartementPrefix(String finess) {
            assertThat(Identifiers.luhnValid(finess)).isTrue();
            assertThat(onlyCode(Identifiers.finess(F, finess, ValidationMode.STRICT)))
                    .isEqualTo(IdentifierError.DEPARTEMENT);
            assertThatThrownBy(() -> Identifiers.departementOfFiness(finess))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("département");
        }

        @ParameterizedTest
        @CsvSource({"2A0000013, 2A", "2B0123456, 2B", "2A9999999, 2A"})
        void corsicaIsAcceptedWithAWarning(String finess, String departement) {
            assertThat(Identifiers.finess(F, finess, ValidationMode.STRICT)).isEmpty();
            assertThat(Identifiers.finessWarnings(finess)).singleElement(InstanceOfAssertFactories.STRING)
                    .contains("Corsica");
            assertThat(Identifiers.departementOfFiness(finess)).isEqualTo(departement);
        }

        @Test
        void departementOfFinessNeedsNineCharacters() {
            assertThatThrownBy(() -> Identifiers.departementOfFiness("75")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Identifiers.departementOfFiness(null)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void warningsIgnoreNullAndShortValues() {
            assertThat(Identifiers.finessWarnings(null)).isEmpty();
            assertThat(Identifiers.finessWarnings("2")).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"0B0152872", "1B0073160", "750712185", "ZZZZZZZZZ"})
        void testModeAcceptsCapitalsAndSkipsKeyAndDepartement(String finess) {
            assertThat(Identifiers.finess(F, finess, ValidationMode.TEST)).isEmpty();
        }

        @Test
        void testModeStillChecksLengthAndCharacters() {
            // Reading DOMAIN §3's "1B0073160" as type digit + FINESS leaves 8 characters: too short.
            assertThat(onlyCode(Identifiers.finess(F, "B0073160", ValidationMode.TEST))).isEqualTo(IdentifierError.LENGTH);
            assertThat(onlyCode(Identifiers.finess(F, "0b0152872", ValidationMode.TEST))).isEqualTo(IdentifierError.FORMAT);
            assertThat(onlyCode(Identifiers.finess(F, "0B015287-", ValidationMode.TEST))).isEqualTo(IdentifierError.FORMAT);
        }

        @Test
        void modeIsRequired() {
            assertThatThrownBy(() -> Identifiers.finess(F, "750712184", null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class Siren {

        @Test
        void workedExample() {
            assertThat(Identifiers.siren(F, "187512751")).isEmpty();
        }

        @Test
        void errors() {
            assertThat(onlyCode(Identifiers.siren(F, "187512752"))).isEqualTo(IdentifierError.CHECK_DIGIT);
            assertThat(onlyCode(Identifiers.siren(F, "18751275"))).isEqualTo(IdentifierError.LENGTH);
            assertThat(onlyCode(Identifiers.siren(F, "1875127510"))).isEqualTo(IdentifierError.LENGTH);
            assertThat(onlyCode(Identifiers.siren(F, "18751275A"))).isEqualTo(IdentifierError.FORMAT);
            assertThat(onlyCode(Identifiers.siren(F, ""))).isEqualTo(IdentifierError.EMPTY);
            assertThat(onlyCode(Identifiers.siren(F, null))).isEqualTo(IdentifierError.EMPTY);
        }
    }

    @Nested
    class Siret {

        private static final String LA_POSTE = "356000000";

        @Test
        void workedExample() {
            assertThat(Identifiers.siret(F, "18751275100020")).isEmpty();
        }

        @Test
        void errors() {
            assertThat(onlyCode(Identifiers.siret(F, "18751275100021"))).isEqualTo(IdentifierError.CHECK_DIGIT);
            assertThat(onlyCode(Identifiers.siret(F, "187512751"))).isEqualTo(IdentifierError.LENGTH);
            assertThat(onlyCode(Identifiers.siret(F, "1875127510002O"))).isEqualTo(IdentifierError.FORMAT);
            assertThat(onlyCode(Identifiers.siret(F, " "))).isEqualTo(IdentifierError.EMPTY);
        }

        private static int digitSum(String s) {
            return s.chars().map(c -> c - '0').sum();
        }

        /** First La Poste SIRET (NIC counting from 00000) matching the sum rule and, as asked, Luhn or not. */
        private static String laPosteSiret(boolean sumRuleHolds, boolean luhn) {
            for (int nic = 0; nic < 100_000; nic++) {
                String siret = LA_POSTE + String.format("%05d", nic);
                if ((digitSum(siret) % 5 == 0) == sumRuleHolds && Identifiers.luhnValid(siret) == luhn) {
                    return siret;
                }
            }
            throw new AssertionError("no such SIRET");
        }

        @Test
        void laPosteUsesTheDigitSumRuleNotLuhn() {
            String valid = laPosteSiret(true, false);
            assertThat(digitSum(valid) % 5).isZero();
            assertThat(Identifiers.luhnValid(valid)).isFalse();
            assertThat(Identifiers.siret(F, valid)).isEmpty();

            String luhnOnly = laPosteSiret(false, true);
            assertThat(Identifiers.luhnValid(luhnOnly)).isTrue();
            assertThat(onlyCode(Identifiers.siret(F, luhnOnly))).isEqualTo(IdentifierError.CHECK_DIGIT);
        }

        @Test
        void laPosteFixedExamples() {
            // 3+5+6 = 14, so the NIC's digits must add up to 1 mod 5.
            assertThat(Identifiers.siret(F, "35600000000001")).isEmpty();
            assertThat(Identifiers.siret(F, "35600000000015")).isEmpty(); // 14+6 = 20
            assertThat(onlyCode(Identifiers.siret(F, "35600000000002"))).isEqualTo(IdentifierError.CHECK_DIGIT);
        }

        @Test
        void theLaPosteExceptionNeedsTheWholeSiren() {
            // Starts like La Poste but the SIREN differs: Luhn applies, the sum rule does not help.
            String notLaPoste = "35600000100000";
            assertThat(digitSum(notLaPoste) % 5).isZero();
            assertThat(Identifiers.luhnValid(notLaPoste)).isFalse();
            assertThat(onlyCode(Identifiers.siret(F, notLaPoste))).isEqualTo(IdentifierError.CHECK_DIGIT);
        }
    }

    @Nested
    class Rpps {

        @Test
        void workedExample() {
            assertThat(Identifiers.rpps(F, "10005173140")).isEmpty();
            assertThat(IdNatPs.ofRpps("10005173140").format()).isEqualTo("810005173140");
        }

        @Test
        void errors() {
            assertThat(onlyCode(Identifiers.rpps(F, "10005173141"))).isEqualTo(IdentifierError.CHECK_DIGIT);
            assertThat(onlyCode(Identifiers.rpps(F, "810005173140"))).isEqualTo(IdentifierError.LENGTH);
            assertThat(onlyCode(Identifiers.rpps(F, "1000517314"))).isEqualTo(IdentifierError.LENGTH);
            assertThat(onlyCode(Identifiers.rpps(F, "1000517314X"))).isEqualTo(IdentifierError.FORMAT);
            assertThat(onlyCode(Identifiers.rpps(F, ""))).isEqualTo(IdentifierError.EMPTY);
        }

        @Test
        void rangWorkedExample() {
            assertThat(Identifiers.rppsRang(F, "99700367909006")).isEmpty();
        }

        @Test
        void rangErrors() {
            assertThat(onlyCode(Identifiers.rppsRang(F, "99700367909007"))).isEqualTo(IdentifierError.CHECK_DIGIT);
            assertThat(onlyCode(Identifiers.rppsRang(F, "9970036790900"))).isEqualTo(IdentifierError.LENGTH);
            assertThat(onlyCode(Identifiers.rppsRang(F, "9970036790900A"))).isEqualTo(IdentifierError.FORMAT);
            assertThat(onlyCode(Identifiers.rppsRang(F, null))).isEqualTo(IdentifierError.EMPTY);
        }
    }

    @Nested
    class Adeli {

        @Test
        void workedExample() {
            assertThat(Identifiers.adeli(F, "879101558")).isEmpty();
        }

        @Test
        void errors() {
            assertThat(onlyCode(Identifiers.adeli(F, "879101559"))).isEqualTo(IdentifierError.CHECK_DIGIT);
            assertThat(onlyCode(Identifiers.adeli(F, "87910155"))).isEqualTo(IdentifierError.LENGTH);
            assertThat(onlyCode(Identifiers.adeli(F, "8791O1558"))).isEqualTo(IdentifierError.FORMAT);
            assertThat(onlyCode(Identifiers.adeli(F, "\t"))).isEqualTo(IdentifierError.EMPTY);
        }
    }

    @Nested
    class Ins {

        @Test
        void workedExample() {
            assertThat(Identifiers.insKey("2951099126111")).isEqualTo(93);
            assertThat(Identifiers.ins(F, "295109912611193")).isEmpty();
        }

        @Test
        void spacesAreStripped() {
            assertThat(Identifiers.ins(F, "2 95 10 99 126 111 93")).isEmpty();
        }

        @Test
        void wrongKey() {
            assertThat(onlyCode(Identifiers.ins(F, "295109912611194"))).isEqualTo(IdentifierError.CHECK_DIGIT);
            assertThat(onlyCode(Identifiers.ins(F, "295109912611100"))).isEqualTo(IdentifierError.CHECK_DIGIT);
        }

        @Test
        void corsicaIsSubstitutedBeforeTheModulo() {
            // 1850519004123 mod 97 = 41 → key 56; 2690618123456 mod 97 = 63 → key 34.
            assertThat(Identifiers.insKey("185052A004123")).isEqualTo(56);
            assertThat(Identifiers.ins(F, "185052A00412356")).isEmpty();
            assertThat(Identifiers.insKey("269062B123456")).isEqualTo(34);
            assertThat(Identifiers.ins(F, "269062B12345634")).isEmpty();
            // 2A and 2B are not interchangeable.
            assertThat(onlyCode(Identifiers.ins(F, "185052B00412356"))).isEqualTo(IdentifierError.CHECK_DIGIT);
        }

        @ParameterizedTest
        @ValueSource(strings = {"29510991261119", "2951099126111930", "2951099126111"})
        void wrongLength(String value) {
            assertThat(onlyCode(Identifiers.ins(F, value))).isEqualTo(IdentifierError.LENGTH);
        }

        @ParameterizedTest
        // letters outside the birth département, lower-case 2a, 2C, letters in the key
        @ValueSource(strings = {"2A5109912611193", "295102a12611193", "295102C12611193", "2951099126111A3"})
        void format(String value) {
            assertThat(onlyCode(Identifiers.ins(F, value))).isEqualTo(IdentifierError.FORMAT);
        }

        @Test
        void empty() {
            assertThat(onlyCode(Identifiers.ins(F, null))).isEqualTo(IdentifierError.EMPTY);
            assertThat(onlyCode(Identifiers.ins(F, "  "))).isEqualTo(IdentifierError.EMPTY);
        }

        @Test
        void insKeyRejectsBadInput() {
            assertThatThrownBy(() -> Identifiers.insKey("295109912611")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Identifiers.insKey("29510991261X1")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Identifiers.insKey(null)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void aMultipleOf97HasKey97() {
            // 97 × 10309278350 = 999999999950
            assertThat(Identifiers.insKey("0999999999950")).isEqualTo(97);
            assertThat(Identifiers.ins(F, "099999999995097")).isEmpty();
        }
    }

    @Nested
    class Ipp {

        @ParameterizedTest
        @ValueSource(strings = {"1", "IPP-000123", "dossier n° 12 é", "a b", "~!@#$%^&*()"})
        void valid(String value) {
            assertThat(Identifiers.ipp(F, value)).isEmpty();
        }

        @Test
        void sixtyFourCharactersIsTheLimit() {
            assertThat(Identifiers.ipp(F, "x".repeat(64))).isEmpty();
            assertThat(onlyCode(Identifiers.ipp(F, "x".repeat(65)))).isEqualTo(IdentifierError.LENGTH);
        }

        @ParameterizedTest
        // control characters (C0, DEL, C1), a non-Latin-1 letter, an emoji
        @ValueSource(strings = {"12\t34", "12\n", "12\u007F", "12\u0085", "Ωmega", "12\uD83D\uDE00"})
        void notPrintableLatin(String value) {
            assertThat(onlyCode(Identifiers.ipp(F, value))).isEqualTo(IdentifierError.FORMAT);
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"   "})
        void empty(String value) {
            assertThat(onlyCode(Identifiers.ipp(F, value))).isEqualTo(IdentifierError.EMPTY);
        }
    }

    @Nested
    class Dispatch {

        @ParameterizedTest
        @CsvSource({
                "FINESS, 750712184", "SIREN, 187512751", "SIRET, 18751275100020", "RPPS, 10005173140",
                "RPPS_RANG, 99700367909006", "ADELI, 879101558", "INS, 295109912611193", "IPP, ABC-1"})
        void validWorkedExamples(IdentifierType type, String value) {
            assertThat(Identifiers.validate(type, F, value, ValidationMode.STRICT)).isEmpty();
        }

        @ParameterizedTest
        @EnumSource(IdentifierType.class)
        void everyTypeRejectsEmpty(IdentifierType type) {
            assertThat(onlyCode(Identifiers.validate(type, F, "", ValidationMode.STRICT))).isEqualTo(IdentifierError.EMPTY);
        }

        @Test
        void routesToTheRightValidator() {
            // One 9-digit string, judged by each type's own length and rules.
            assertThat(Identifiers.validate(IdentifierType.SIREN, F, "187512751", ValidationMode.STRICT)).isEmpty();
            assertThat(Identifiers.validate(IdentifierType.ADELI, F, "187512751", ValidationMode.STRICT)).isEmpty();
            assertThat(onlyCode(Identifiers.validate(IdentifierType.RPPS, F, "187512751", ValidationMode.STRICT)))
                    .isEqualTo(IdentifierError.LENGTH);
            assertThat(onlyCode(Identifiers.validate(IdentifierType.FINESS, F, "0B0152872", ValidationMode.STRICT)))
                    .isEqualTo(IdentifierError.FORMAT);
            assertThat(Identifiers.validate(IdentifierType.FINESS, F, "0B0152872", ValidationMode.TEST)).isEmpty();
        }
    }
}
