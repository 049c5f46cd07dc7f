package org.openigc.identifiers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdNatStructTest {

    @Test
    void factoriesPrefixTheTypeDigit() {
        assertThat(IdNatStruct.ofFiness("750712184").format()).isEqualTo("1750712184");
        assertThat(IdNatStruct.ofSiren("187512751").format()).isEqualTo("2187512751");
        assertThat(IdNatStruct.ofSiret("18751275100020").format()).isEqualTo("318751275100020");
        assertThat(IdNatStruct.ofRppsRang("99700367909006").format()).isEqualTo("499700367909006");
    }

    @ParameterizedTest
    @CsvSource({
            "1750712184, 1, 750712184",
            "2187512751, 2, 187512751",
            "318751275100020, 3, 18751275100020",
            "499700367909006, 4, 99700367909006",
            "087910155801, 0, 87910155801",
            // TEST structure of DOMAIN §3: letters allowed, no key check here.
            "10B0152872, 1, 0B0152872",
            "12A0000013, 1, 2A0000013"})
    void parseSplitsAndFormatRoundTrips(String text, char type, String identifier) {
        IdNatStruct parsed = IdNatStruct.parse(text);
        assertThat(parsed).isEqualTo(new IdNatStruct(type, identifier));
        assertThat(parsed.format()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5750712184", "9750712184", "A750712184", "8810005173140"})
    void unknownTypeDigit(String text) {
        assertThatThrownBy(() -> IdNatStruct.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type digit");
    }

    @ParameterizedTest
    // DOMAIN §3's TEST identifier "1B0073160" is 9 characters: a TEST FINESS (valid in TEST
    // mode), not an idNatStruct, which would be "11B0073160"; as an idNatStruct it is too short.
    @ValueSource(strings = {"1B0073160", "17507121840", "218751275", "31875127510002", "4997003679090060", "0879101558"})
    void wrongLengthForTheType(String text) {
        assertThatThrownBy(() -> IdNatStruct.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("characters after the type digit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1750 12184", "10b0152872", "175071218-"})
    void onlyDigitsAndCapitals(String text) {
        assertThatThrownBy(() -> IdNatStruct.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capital letters");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"1"})
    void tooShortToParse(String text) {
        assertThatThrownBy(() -> IdNatStruct.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type digit followed by an identifier");
    }

    @Test
    void adeliRangIsCappedByTheOuBound() {
        assertThat(IdNatStruct.parse("0" + "8".repeat(63)).format()).hasSize(64);
        assertThatThrownBy(() -> IdNatStruct.parse("0" + "8".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructorValidatesToo() {
        assertThatThrownBy(() -> new IdNatStruct('1', "75071218")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdNatStruct('1', null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> IdNatStruct.ofSiret("187512751")).isInstanceOf(IllegalArgumentException.class);
    }
}
