package org.openigc.certdc.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.openigc.certdc.Problems.FieldError;
import org.springframework.util.LinkedMultiValueMap;

class ConnectionFormTest {
    private static LinkedMultiValueMap<String, String> form() {
        LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("lastName", "DURAND");
        form.add("firstName", "Alice");
        form.add("function", "DSI");
        form.add("email", "alice@chu.example");
        form.add("phone", "+33 4 72 00 00 00");
        form.add("address", "3 rue de la Paix");
        form.add("postcode", "69003");
        form.add("town", "Lyon");
        form.add("siName", "DPI");
        form.add("siVersion", "1.0");
        form.addAll("establishmentNumber", List.of("750712184", "750 100 018", "18751275100020"));
        form.addAll("establishmentKind", List.of("EJ", "EG", "EG"));
        form.addAll("establishmentName", List.of("CHU", "Nord", ""));
        return form;
    }

    @Test
    void everyFieldOfTheSeedIsReadAndAValidRequestHasNoError() {
        ConnectionRequest request = ConnectionForm.read(form());
        assertThat(ConnectionForm.validate(request)).isEmpty();
        assertThat(ConnectionForm.numbers(request)).extracting(EstablishmentNumber::idNatStruct)
                .containsExactly("1750712184", "1750100018", "318751275100020");
        assertThat(ConnectionService.structureOf(request)).isEqualTo("1750712184");
    }

    @Test
    void brokenFieldsAreNamed() {
        LinkedMultiValueMap<String, String> form = form();
        form.set("email", "pas-un-mail");
        form.set("postcode", "6900");
        form.set("lastName", "<script>");
        form.set("siName", "");
        form.put("establishmentNumber", List.of("750712185", "750712184"));
        form.put("establishmentKind", List.of("EG", "EG"));
        List<FieldError> errors = ConnectionForm.validate(ConnectionForm.read(form));
        assertThat(errors).extracting(FieldError::field).contains("email", "postcode", "lastName", "siName",
                "establishmentNumber[0]", "establishments");
        assertThat(errors).extracting(FieldError::code).contains("certdc.identifier.checkDigit",
                "certdc.establishments.noLegalEntity", "certdc.field.required");
    }

    @Test
    void rowsAreAddedAndRemoved() {
        ConnectionRequest request = ConnectionForm.read(form());
        assertThat(ConnectionForm.withRowAdded(request).establishments()).hasSize(4);
        ConnectionRequest removed = ConnectionForm.withRowRemoved(request, 0);
        assertThat(removed.establishments()).extracting(ConnectionRequest.Establishment::number)
                .containsExactly("750 100 018", "18751275100020");
        assertThat(ConnectionForm.withRowRemoved(request, 9).establishments()).hasSize(3);
    }
}
