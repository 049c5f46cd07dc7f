package org.openigc.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdNatPsTest {

    @Test
    void rppsWorkedExample() {
        IdNatPs ps = IdNatPs.ofRpps("10005173140");
        assertThat(ps.format()).isEqualTo("810005173140").hasSize(12);
        assertThat(IdNatPs.parse("810005173140")).isEqualTo(ps);
    }

    @ParameterizedTest
    @CsvSource({
            "810005173140, 8, 10005173140",
            "0879101558, 0, 879101558",
            "3750712184/MED0042, 3, 750712184/MED0042",
            "518751275100020/42, 5, 18751275100020/42",
            "699700367909006/a-b_c.1, 6, 99700367909006/a-b_c.1"})
    void parseSplitsAndFormatRoundTrips(String text, char type, String identifier) {
        IdNatPs parsed = IdNatPs.parse(text);
        assertThat(parsed).isEqualTo(new IdNatPs(type, identifier));
        assertThat(parsed.format()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"110005173140", "210005173140", "410005173140", "710005173140", "910005173140"})
    void unknownTypeDigit(String text) {
        assertThatThrownBy(() -> IdNatPs.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type digit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"81000517314", "8100051731400", "087910155"})
    void wrongLengthOfNationalIds(String text) {
        assertThatThrownBy(() -> IdNatPs.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("characters after the type digit");
    }

    @ParameterizedTest
    // no slash, slash at the wrong place, structure of a SIRET under type 3
    @ValueSource(strings = {"3750712184", "375071218/4", "318751275100020/1", "51875127510002/1", "6750712184/1"})
    void structureThenSlashThenInternalId(String text) {
        assertThatThrownBy(() -> IdNatPs.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("then '/', then the internal id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"3750712184/", "3750712184/a b", "3750712184/a/b", "3750712184/é"})
    void internalIdMustBePrintableAscii(String text) {
        assertThatThrownBy(() -> IdNatPs.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("internal id");
    }

    @Test
    void capitalsOnlyInNationalParts() {
        assertThatThrownBy(() -> IdNatPs.parse("8100051731a0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capital letters");
        assertThatThrownBy(() -> IdNatPs.parse("3b00073160/1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capital letters");
    }

    @Test
    void fitsInACommonName() {
        String prefix = "3750712184/";
        assertThat(IdNatPs.parse(prefix + "x".repeat(64 - prefix.length())).format()).hasSize(64);
        assertThatThrownBy(() -> IdNatPs.parse(prefix + "x".repeat(65 - prefix.length())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 64");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"8"})
    void tooShortToParse(String text) {
        assertThatThrownBy(() -> IdNatPs.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type digit followed by an identifier");
    }
}
