package org.openigc.certdc.deposit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.openigc.certdc.Problems.FieldError;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class DepositValidatorTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final LocalDate TODAY = LocalDate.of(2026, 6, 1);

    private static ObjectNode valid() {
        return (ObjectNode) JSON.readTree("""
                {"establishment": "750100018", "ipp": "466656",
                 "patient": {"birthName": "DUPONT", "usedName": "MARTIN", "firstNames": "Jeanne Marie", "sex": "F",
                             "birthDate": "1938-04-12", "birthPlace": "75056", "ins": "2 38 04 75 056 001 22"},
                 "death": {"date": "2026-05-30T06:40", "place": "CHU"}}
                """);
    }

    @Test
    void aCompleteDepositIsValidAndNormalised() {
        DepositValidator.Result result = DepositValidator.validate(valid(), TODAY);
        assertThat(result.errors()).isEmpty();
        assertThat(result.data().patient().ins()).isEqualTo("238047505600122");
        assertThat(result.data().death().date()).isEqualTo("2026-05-30T06:40");
        assertThat(result.data().nominative().ipp()).isEqualTo("466656");
        assertThat(result.data().toString()).doesNotContain("DUPONT");
    }

    @Test
    void optionalPartsMayBeAbsentOrNull() {
        ObjectNode deposit = valid();
        deposit.remove("death");
        ((ObjectNode) deposit.get("patient")).putNull("usedName");
        ((ObjectNode) deposit.get("patient")).remove("ins");
        ((ObjectNode) deposit.get("patient")).remove("birthPlace");
        assertThat(DepositValidator.validate(deposit, TODAY).errors()).isEmpty();
        deposit.put("establishment", "18751275100020");
        assertThat(DepositValidator.validate(deposit, TODAY).errors()).as("a SIRET").isEmpty();
    }

    @ParameterizedTest(name = "{0} = {1} → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            establishment        | 750100019            | identifier.checkDigit
            establishment        | 75010001             | identifier.length
            establishment        | 000100018            | identifier.departement
            ipp                  | ''                   | required
            patient.birthName    | <b>DUPONT</b>        | name.characters
            patient.birthName    | DUPONT; DROP TABLE   | name.characters
            patient.birthName    | ''                   | required
            patient.firstNames   | Jean2                | name.characters
            patient.sex          | X                    | sex.invalid
            patient.sex          | m                    | sex.invalid
            patient.birthDate    | 2026-06-02           | date.future
            patient.birthDate    | 12/04/1938           | date.format
            patient.birthDate    | 1700-01-01           | date.range
            patient.birthPlace   | Paris                | cog.format
            patient.ins          | 238047505600199      | identifier.checkDigit
            patient.ins          | 2380475056001        | identifier.length
            death.date           | 2026-06-02           | date.future
            death.date           | 1930-01-01           | date.beforeBirth
            death.date           | demain               | date.format
            """)
    void eachBrokenRuleIsNamedWithItsField(String field, String value, String code) {
        ObjectNode deposit = valid();
        String[] path = field.split("\\.");
        ObjectNode parent = path.length == 1 ? deposit : (ObjectNode) deposit.get(path[0]);
        parent.put(path[path.length - 1], value);
        List<FieldError> errors = DepositValidator.validate(deposit, TODAY).errors();
        assertThat(errors).extracting(FieldError::field, FieldError::code).contains(org.assertj.core.groups.Tuple.tuple(field, code));
    }

    @Test
    void anIppOfSixtyFiveCharactersOrWithAControlCharacterIsRefused() {
        ObjectNode deposit = valid();
        deposit.put("ipp", "1".repeat(65));
        assertThat(DepositValidator.validate(deposit, TODAY).errors()).extracting(FieldError::code).contains("identifier.length");
        deposit.put("ipp", "12\n34");
        assertThat(DepositValidator.validate(deposit, TODAY).errors()).extracting(FieldError::code).contains("identifier.format");
    }

    @Test
    void typesAndUnknownFieldsAreNamed() {
        ObjectNode deposit = valid();
        deposit.put("ipp", 466656);
        deposit.put("comment", "x");
        deposit.set("patient", JSON.readTree("[]"));
        List<FieldError> errors = DepositValidator.validate(deposit, TODAY).errors();
        assertThat(errors).extracting(FieldError::field).contains("ipp", "comment", "patient");
        assertThat(DepositValidator.validate(JSON.readTree("[]"), TODAY).errors()).extracting(FieldError::code)
                .containsExactly("json.type");
    }

    @Test
    void namesWithApostrophesHyphensAndAccentsAreAccepted() {
        for (String name : List.of("D'ARTAGNAN", "O’NEIL", "MARTIN-DUPONT", "DE LA FONTAINE", "Éloïse", "X' OR 'X")) {
            ObjectNode deposit = valid();
            ((ObjectNode) deposit.get("patient")).put("birthName", name);
            assertThat(DepositValidator.validate(deposit, TODAY).errors()).as(name).isEmpty();
        }
    }

    @Test
    void theCanonicalFormIgnoresMemberOrderAndSpaces() {
        assertThat(DepositService.canonical(JSON.readTree("{\"b\": 1, \"a\": {\"d\": [1, 2], \"c\": \"x\"}}")))
                .isEqualTo(DepositService.canonical(JSON.readTree("{\"a\":{\"c\":\"x\",\"d\":[1,2]},\"b\":1}")));
    }
}
