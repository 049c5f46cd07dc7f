package org.openigc.server.habilitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openigc.ca.Offer;
import org.openigc.server.web.FieldError;

/** The rules of form 413 that need no database, each reported with its field and code. */
class FormValidationTest {

    static HabilitationForm valid() {
        return new HabilitationForm(
                new HabilitationForm.Structure("CHU DEMO", "750712184", "", "", List.of()),
                new HabilitationForm.Signatory("LEGAL_REPRESENTATIVE", "LEGRAND", "Louise", "01 23 45 67 89",
                        "direction@chu-demo.fr", "2800000002"),
                List.of(new HabilitationForm.Administrator("2800000003", "ADMIN", "Antoine", "+33 1 23 45 67 89",
                        "dsi@chu-demo.fr")),
                new HabilitationForm.Usage("Authentification et signature sur le DMP", "Éditeur", "DPI", "12.4"),
                List.of("ORG", "SERV"), List.of("chu-demo.fr"), "", List.of("@CHU-demo.fr"), List.of());
    }

    private static List<String> errors(HabilitationForm form) {
        return FormValidation.validate(form, true).errors().stream().map(e -> e.field() + ":" + e.code()).toList();
    }

    private static HabilitationForm structure(HabilitationForm f, String finess, String siret, String rang, String... more) {
        return new HabilitationForm(new HabilitationForm.Structure(f.structure().name(), finess, siret, rang, Arrays.asList(more)),
                f.signatory(), f.administrators(), f.usage(), f.offers(), f.sslDomains(), f.sslServerName(),
                f.smimeDomains(), f.proMailDomains());
    }

    private static HabilitationForm admins(HabilitationForm f, HabilitationForm.Administrator... rows) {
        return new HabilitationForm(f.structure(), f.signatory(), Arrays.asList(rows), f.usage(), f.offers(),
                f.sslDomains(), f.sslServerName(), f.smimeDomains(), f.proMailDomains());
    }

    private static HabilitationForm offers(HabilitationForm f, List<String> offers, List<String> ssl, String server,
                                           List<String> smime, List<String> pro) {
        return new HabilitationForm(f.structure(), f.signatory(), f.administrators(), f.usage(), offers, ssl, server,
                smime, pro);
    }

    @Test
    void aCompleteFormPassesAndIsNormalised() {
        FormValidation.Result result = FormValidation.validate(valid(), true);
        assertThat(result.errors()).isEmpty();
        DossierContent c = result.content();
        assertThat(c.offers()).containsExactly(Offer.ORG, Offer.SERV);
        assertThat(c.smimeDomains()).as("lower case, without @").containsExactly("chu-demo.fr");
        assertThat(c.signatoryRole()).isEqualTo(SignatoryRole.LEGAL_REPRESENTATIVE);
        assertThat(c.administrators()).singleElement().satisfies(a -> assertThat(a.cardNumber()).isEqualTo("2800000003"));
    }

    @Test
    void anEmptyFormReportsEveryRequiredField() {
        List<String> errors = errors(new HabilitationForm(null, null, null, null, null, null, null, null, null));
        assertThat(errors).contains("structure:field.required", "structure.finess:habilitation.structure.identifierRequired",
                "signatory:field.required", "signatory.role:field.required", "signatory.lastName:field.required",
                "signatory.firstNames:field.required", "signatory.phone:field.required", "signatory.email:field.required",
                "signatory.cardNumber:field.required", "administrators:habilitation.administrators.required",
                "usage.description:field.required", "offers:habilitation.offers.required");
        assertThat(errors(null)).containsExactly("body:field.required");
    }

    @Test
    void theStructureNameIsRequiredOnTheWebFormOnly() {
        HabilitationForm noName = new HabilitationForm(new HabilitationForm.Structure(" ", "750712184", null, null, null),
                valid().signatory(), valid().administrators(), valid().usage(), valid().offers(), valid().sslDomains(),
                null, valid().smimeDomains(), null);
        assertThat(errors(noName)).containsExactly("structure.name:field.required");
        assertThat(FormValidation.validate(noName, false).errors()).isEmpty();
    }

    @Test
    void identifiersAreCheckedWithTheirCheckDigitsAndTheirRules() {
        assertThat(errors(structure(valid(), "750712185", "", ""))).containsExactly("structure.finess:identifier.checkDigit");
        assertThat(errors(structure(valid(), "75071218", "", ""))).containsExactly("structure.finess:identifier.length");
        assertThat(errors(structure(valid(), "", "41234567000018", ""))).containsExactly("structure.siret:identifier.checkDigit");
        assertThat(errors(structure(valid(), "750712184", "41234567000019", "")))
                .containsExactly("structure.siret:habilitation.structure.siretWithFiness");
        assertThat(errors(structure(valid(), "750712184", "", "99700367909006")))
                .containsExactly("structure.rppsRang:habilitation.structure.rppsRangAlone");
        assertThat(errors(structure(valid(), "", "", "99700367909006", "99700367909006", "12345")))
                .containsExactly("structure.additionalRppsRangs[0]:habilitation.list.duplicate",
                        "structure.additionalRppsRangs[1]:identifier.length");
        assertThat(errors(structure(valid(), "750712184", "", "", "99700367909006")))
                .containsExactly("structure.additionalRppsRangs:habilitation.structure.additionalRangsWithoutRang");
        assertThat(errors(structure(valid(), "", "", ""))).containsExactly("structure.finess:habilitation.structure.identifierRequired");
    }

    @Test
    void administratorsNeedACardNumberAndAreDeclaredOnce() {
        HabilitationForm.Administrator ok = valid().administrators().getFirst();
        HabilitationForm.Administrator noCard = new HabilitationForm.Administrator("", "DUPONT", "Jean", "0102030405", "j@x.fr");
        HabilitationForm.Administrator badCard = new HabilitationForm.Administrator("28000", "DUPONT", "Jean", "0102030405", "j@x.fr");
        assertThat(errors(admins(valid(), ok, noCard))).containsExactly("administrators[1].cardNumber:field.required");
        assertThat(errors(admins(valid(), badCard))).containsExactly("administrators[0].cardNumber:person.cardNumber.format");
        assertThat(errors(admins(valid(), ok, ok))).containsExactly("administrators[1].cardNumber:habilitation.administrator.duplicate");
        assertThat(FormValidation.validate(admins(valid(), ok, ok), true).errors().getFirst().args()).containsExactly("1");
        assertThat(errors(admins(valid(), ok, null))).containsExactly("administrators[1]:field.required");
        assertThat(errors(admins(valid(), new HabilitationForm.Administrator("2800000003", "", "", "abc", "not-mail"))))
                .containsExactly("administrators[0].lastName:field.required", "administrators[0].firstName:field.required",
                        "administrators[0].phone:field.format.phone", "administrators[0].email:field.format.email");
        HabilitationForm.Administrator[] many = new HabilitationForm.Administrator[21];
        for (int i = 0; i < many.length; i++) {
            many[i] = new HabilitationForm.Administrator(String.valueOf(2800000100L + i), "A", "B", "0102030405", "a@b.fr");
        }
        assertThat(errors(admins(valid(), many))).containsExactly("administrators:habilitation.list.tooMany");
    }

    @Test
    void offersAndTheirSubFields() {
        assertThat(errors(offers(valid(), List.of("ORG", "CPX", "ORG"), List.of(), null, List.of(), List.of())))
                .containsExactly("offers[1]:field.oneOf", "offers[2]:habilitation.list.duplicate");
        assertThat(errors(offers(valid(), List.of("SERV"), List.of(), null, List.of(), List.of())))
                .containsExactly("sslDomains:habilitation.serv.domainsRequired");
        assertThat(errors(offers(valid(), List.of("SERV"), List.of("chu.fr"), "srv.chu.fr", List.of(), List.of())))
                .containsExactly("sslServerName:habilitation.ssl.domainOrServer");
        assertThat(errors(offers(valid(), List.of("ORG"), List.of("chu.fr"), "srv.chu.fr", List.of("chu.fr"), List.of("chu.fr"))))
                .containsExactly("sslDomains:habilitation.offer.subfieldWithoutOffer",
                        "sslServerName:habilitation.offer.subfieldWithoutOffer",
                        "smimeDomains:habilitation.offer.subfieldWithoutOffer",
                        "proMailDomains:habilitation.offer.subfieldWithoutOffer");
        assertThat(errors(offers(valid(), List.of("SERV", "PRO"), List.of("*.chu.fr", "chu.fr", "CHU.fr"), null,
                List.of(), List.of("localhost")))).containsExactly("sslDomains[0]:habilitation.domain.format",
                "sslDomains[2]:habilitation.list.duplicate", "proMailDomains[0]:habilitation.domain.format");
        DossierContent c = FormValidation.validate(offers(valid(), List.of("serv", "PRO"), List.of(), "Srv.CHU-demo.fr.", List.of(),
                List.of("@chu-demo.fr")), true).content();
        assertThat(c.sslNames()).containsExactly("srv.chu-demo.fr");
        assertThat(c.proMailDomains()).containsExactly("chu-demo.fr");
    }

    @ParameterizedTest
    @ValueSource(strings = {"chu-demo.fr", "dmp.chu-demo.fr", "xn--hpital-gva.fr", "a.b.c.example"})
    void domainNames(String name) {
        assertThat(FormValidation.dnsName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "*.chu.fr", "-chu.fr", "chu-.fr", "chu..fr", "chu.123", "chu_demo.fr", "chu.fr/x", "a b.fr"})
    void notDomainNames(String name) {
        assertThat(FormValidation.dnsName(name)).isFalse();
    }

    @Test
    void signatoryRoleAndFormats() {
        UnaryOperator<HabilitationForm.Signatory> none = s -> s;
        HabilitationForm f = valid();
        HabilitationForm bad = new HabilitationForm(f.structure(), new HabilitationForm.Signatory("DIRECTEUR", "X", "Y",
                "12", "x@", "ABC"), f.administrators(), f.usage(), f.offers(), f.sslDomains(), null, f.smimeDomains(), null);
        assertThat(errors(bad)).containsExactly("signatory.role:field.oneOf", "signatory.phone:field.format.phone",
                "signatory.email:field.format.email", "signatory.cardNumber:person.cardNumber.format");
        HabilitationForm holder = new HabilitationForm(f.structure(), new HabilitationForm.Signatory("CABINET_HOLDER", "X", "Y",
                "0102030405", "x@y.fr", "2800000002"), f.administrators(), f.usage(), f.offers(), f.sslDomains(), null,
                f.smimeDomains(), null);
        assertThat(errors(holder)).containsExactly("signatory.role:habilitation.signatory.cabinetHolderNeedsRang");
        assertThat(none.apply(f.signatory())).isEqualTo(f.signatory());
    }

    @Test
    void textIsKeptAsTypedButControlCharactersAndOversizeAreRefused() {
        HabilitationForm f = valid();
        String script = "<script>alert('x')</script> \"DMP\" & co";
        HabilitationForm scripted = new HabilitationForm(f.structure(), f.signatory(), f.administrators(),
                new HabilitationForm.Usage(script + "\r\nligne 2", "Éditeur", "DPI", "1"), f.offers(), f.sslDomains(), null,
                f.smimeDomains(), null);
        FormValidation.Result result = FormValidation.validate(scripted, true);
        assertThat(result.errors()).isEmpty();
        assertThat(result.content().usageDescription()).isEqualTo(script + "\nligne 2");
        HabilitationForm control = new HabilitationForm(f.structure(), f.signatory(), f.administrators(),
                new HabilitationForm.Usage("a\u0000b", "x".repeat(201), "DPI\nsuite", "1"), f.offers(), f.sslDomains(), null,
                f.smimeDomains(), null);
        assertThat(errors(control)).containsExactly("usage.description:habilitation.text.control",
                "usage.editor:field.tooLong", "usage.solution:habilitation.text.control");
    }

    @Test
    void reasonsAreRequiredAndBounded() {
        List<FieldError> errors = new ArrayList<>();
        assertThat(FormValidation.reason("reason", "  ", errors)).isNull();
        assertThat(FormValidation.reason("reason", "x".repeat(2001), errors)).isNull();
        assertThat(errors).extracting(FieldError::code).containsExactly("field.required", "field.tooLong");
    }
}
