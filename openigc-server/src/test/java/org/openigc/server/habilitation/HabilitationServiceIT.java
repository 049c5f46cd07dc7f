package org.openigc.server.habilitation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openigc.ca.Offer;
import org.openigc.identifiers.Identifiers;
import org.openigc.server.registry.Person;
import org.openigc.server.registry.PersonInput;
import org.openigc.server.registry.RepresentativeRole;
import org.openigc.server.registry.Structure;
import org.openigc.server.registry.StructureInput;
import org.openigc.server.security.OpenIgcUser;
import org.openigc.server.security.Role;
import org.openigc.server.web.FieldError;
import org.openigc.server.web.ValidationException;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The registry rules of form 413 on structures and signatories the demo does not have (radiology cabinet by RPPS
 * rang, SIRET, mandataire, EJ with several EG, no contract), through the service on the real database. The
 * structures are created in Grand Est, a région no other test counts (the demo uses Île-de-France, Nouvelle-Aquitaine
 * and Auvergne-Rhône-Alpes, the dashboard tests Bretagne).
 */
class HabilitationServiceIT extends HabilitationTestSupport {
    private static long counter = System.nanoTime() % 100_000;

    @Autowired
    HabilitationService service;

    private static String withKey(String digits) {
        return digits + Identifiers.luhnCheckDigit(digits);
    }

    private static synchronized long next() {
        return ++counter;
    }

    private static String newFiness() {
        return withKey("670" + String.format("%05d", next() % 100_000));
    }

    private Structure structure(String kind, String finess, String siret, String rppsRang, String parent, String sector,
                                boolean mayOrderUnderEj) {
        return registry.createStructure(new StructureInput(kind, finess, "", siret, rppsRang, parent,
                unique("STRUCTURE TEST"), "1 rue du Test", "67000", "Strasbourg", "", sector, mayOrderUnderEj, ""));
    }

    private Person person(String cardType, String idNatPs, String cardStructure) {
        String card = String.valueOf(2820000000L + next() % 9_000_000L);
        return registry.createPerson(new PersonInput(card, cardType, idNatPs, "TESTEUR", "Paul", unique("p") + "@test.fr",
                "01 02 03 04 05", "", "ACTIVE", "", cardStructure));
    }

    private static OpenIgcUser user(Person p) {
        return new OpenIgcUser(p.id(), p.displayName(), p.cardNumber(), p.idNatPs(), Set.of(Role.LEGAL_REPRESENTATIVE), null, true);
    }

    private HabilitationForm form(Person signatory, String role, String finess, String siret, String rang) {
        return form(signatory, role, finess, siret, rang, newCardHolder("ADMIN", "ACTIVE"));
    }

    /** Approvals here grant to {@code admin}, never to a demo persona (other test classes rely on theirs). */
    private HabilitationForm form(Person signatory, String role, String finess, String siret, String rang, Person admin) {
        return new HabilitationForm(new HabilitationForm.Structure("", finess, siret, rang, List.of()),
                new HabilitationForm.Signatory(role, "TESTEUR", "Paul", "01 02 03 04 05", unique("s") + "@test.fr",
                        signatory.cardNumber()),
                List.of(new HabilitationForm.Administrator(admin.cardNumber(), admin.lastName(), admin.firstName(),
                        "01 40 00 00 00", unique("a") + "@test.fr")),
                new HabilitationForm.Usage("INSi et DMP", "", "", ""), List.of("ORG"), List.of(), "", List.of(), List.of());
    }

    private static List<String> errorsOf(Runnable call) {
        try {
            call.run();
        } catch (ValidationException e) {
            return e.errors().stream().map(FieldError::code).toList();
        }
        throw new AssertionError("expected a ValidationException");
    }

    @Test
    void theHolderOfARadiologyCabinetSignsByRppsRangWithoutContract() {
        String rpps = withKey("1" + String.format("%09d", next()));
        String rang = withKey(rpps + "01");
        Structure cabinet = structure("CABINET", "", "", rang, "", "RADIOLOGIE", false);
        Person holder = person("CPS", "8" + rpps, "");
        long before = dossiers();
        assertThat(errorsOf(() -> service.submit(user(holder), form(holder, "LEGAL_REPRESENTATIVE", "", "", rang), false)))
                .as("not a registered representative: only as the cabinet's holder").containsExactly("habilitation.signatory.notRepresentative");
        Person admin = newCardHolder("RADIO", "ACTIVE");
        HabilitationService.Submitted submitted = service.submit(user(holder), form(holder, "CABINET_HOLDER", "", "", rang, admin), false);
        HabilitationService.DossierView view = service.view(operatorUser(), submitted.reference());
        assertThat(view.structure().id()).isEqualTo(cabinet.id());
        assertThat(view.dossier().content().structureName()).as("the registry's name when none is given").isEqualTo(cabinet.name());
        assertThat(view.prerequisites()).extracting(p -> p.name() + ":" + p.passed() + ":" + p.code()).containsExactly(
                "contract:true:habilitation.prerequisite.contract.notRequired",
                "signatory:true:habilitation.prerequisite.signatory.ok",
                "administrators[0]:true:habilitation.prerequisite.administrator.ok");
        assertThat(service.approve(operatorUser(), submitted.reference())).isEqualTo(DossierStatus.APPROVED);
        assertThat(registry.canManage(admin.id(), cabinet.id(), Offer.ORG)).isTrue();
        assertThat(dossiers()).isEqualTo(before + 1);

        // The RPPS rang of a cabinet that is not a radiology one is refused.
        String otherRpps = withKey("1" + String.format("%09d", next()));
        String otherRang = withKey(otherRpps + "01");
        structure("CABINET", "", "", otherRang, "", "MEDECINE_DE_VILLE", false);
        Person otherHolder = person("CPS", "8" + otherRpps, "");
        assertThat(errorsOf(() -> service.submit(user(otherHolder), form(otherHolder, "CABINET_HOLDER", "", "", otherRang), false)))
                .containsExactly("habilitation.structure.rppsRangRadiologyOnly");
    }

    @Test
    void theSiretIsOnlyForStructuresWithoutFiness() {
        String siret = withKey("4" + String.format("%012d", next()));
        String finess = newFiness();
        Structure ej = structure("EJ", finess, siret, "", "", "MEDICO_SOCIAL", false);
        Person director = person("CDE", "3" + finess + "/DIR", "1" + finess);
        registry.addRepresentative(ej.id(), director.id(), RepresentativeRole.LEGAL_REPRESENTATIVE, null, null);
        assertThat(errorsOf(() -> service.submit(user(director), form(director, "LEGAL_REPRESENTATIVE", "", siret, ""), false)))
                .containsExactly("habilitation.structure.siretHasFiness");
        String companySiret = withKey("4" + String.format("%012d", next()));
        Structure company = structure("COMPANY", "", companySiret, "", "", "EDITOR", false);
        Person manager = person("CPA", "5" + companySiret + "/M", company.idNatStruct());
        registry.addRepresentative(company.id(), manager.id(), RepresentativeRole.LEGAL_REPRESENTATIVE, null, null);
        HabilitationService.Submitted submitted = service.submit(user(manager),
                form(manager, "LEGAL_REPRESENTATIVE", "", companySiret, ""), false);
        HabilitationService.DossierView view = service.view(user(manager), submitted.reference());
        assertThat(view.structure().id()).isEqualTo(company.id());
        assertThat(view.prerequisites().getFirst()).satisfies(p -> {
            assertThat(p.name()).isEqualTo("contract");
            assertThat(p.passed()).as("no contract with the agency").isFalse();
        });
        assertThatThrownBy(() -> service.approve(operatorUser(), submitted.reference()))
                .isInstanceOfSatisfying(PrerequisitesNotMetException.class, e ->
                        assertThat(e.failed()).extracting(Prerequisite::name).containsExactly("contract"));
        registry.addContract(company.id(), unique("CT"), LocalDate.now().minusDays(1).toString(), "");
        assertThat(service.approve(operatorUser(), submitted.reference())).isEqualTo(DossierStatus.APPROVED);
    }

    @Test
    void aMultiSiteEjOrdersUnderItsEgUnlessTheDoctrineAllowsItsFinessJuridique() {
        String ejFiness = newFiness();
        String egFiness = newFiness();
        Structure ej = structure("EJ", ejFiness, "", "", "", "HOSPITAL", false);
        structure("EG", egFiness, "", "", ejFiness, "HOSPITAL", false);
        registry.addContract(ej.id(), unique("CT"), LocalDate.now().minusDays(1).toString(), "");
        Person mandataire = person("CPE", "3" + ejFiness + "/MAN", "1" + ejFiness);
        registry.addRepresentative(ej.id(), mandataire.id(), RepresentativeRole.MANDATAIRE, null, null);

        assertThat(errorsOf(() -> service.submit(user(mandataire), form(mandataire, "MANDATAIRE", ejFiness, "", ""), false)))
                .containsExactly("habilitation.structure.finessJuridique");
        assertThat(errorsOf(() -> service.submit(user(mandataire), form(mandataire, "LEGAL_REPRESENTATIVE", egFiness, "", ""), false)))
                .as("a mandataire signs as mandataire").containsExactly("habilitation.signatory.roleMismatch");
        String reference = service.submit(user(mandataire), form(mandataire, "MANDATAIRE", egFiness, "", ""), false).reference();
        assertThat(service.view(operatorUser(), reference).prerequisites()).allMatch(Prerequisite::passed);
        // The EJ's legal representative sees the dossier its mandataire signed; the CHU's does not.
        Person director = person("CDE", "3" + ejFiness + "/DIR", "1" + ejFiness);
        registry.addRepresentative(ej.id(), director.id(), RepresentativeRole.LEGAL_REPRESENTATIVE, null, null);
        assertThat(service.view(user(director), reference).dossier().reference()).isEqualTo(reference);
        Person legalChu = registry.personByCardNumber(LEGAL_CHU_CARD).orElseThrow();
        assertThatThrownBy(() -> service.view(user(legalChu), reference))
                .isInstanceOf(org.openigc.server.web.NotFoundException.class);

        String unknown = newFiness();
        assertThat(errorsOf(() -> service.submit(user(mandataire), form(mandataire, "MANDATAIRE", unknown, "", ""), false)))
                .containsExactly("habilitation.structure.unknown");
    }

    @Test
    void prerequisitesAreCheckedLiveAtApproval() {
        Person admin = newCardHolder("VIVANT", "ACTIVE");
        Person legal = registry.personByCardNumber(LEGAL_CHU_CARD).orElseThrow();
        HabilitationForm f = form(legal, "LEGAL_REPRESENTATIVE", CHU, "", "");
        HabilitationForm withAdmin = new HabilitationForm(f.structure(), f.signatory(),
                List.of(new HabilitationForm.Administrator(admin.cardNumber(), "Vivant", "test", "0102030405", "v@test.fr")),
                f.usage(), f.offers(), f.sslDomains(), f.sslServerName(), f.smimeDomains(), f.proMailDomains());
        String reference = service.submit(user(legal), withAdmin, false).reference();
        assertThat(service.view(operatorUser(), reference).prerequisites().get(2)).satisfies(p -> {
            assertThat(p.passed()).isTrue();
            assertThat(p.code()).as("case and accents ignored").isEqualTo("habilitation.prerequisite.administrator.ok");
        });
        // The card is opposed after submission: approval is refused.
        registry.updatePerson(admin.id(), new PersonInput(admin.cardNumber(), "CPE", admin.idNatPs(), admin.lastName(),
                admin.firstName(), admin.email(), admin.phone(), "", "OPPOSED", "", "1" + CHU));
        assertThatThrownBy(() -> service.approve(operatorUser(), reference))
                .isInstanceOfSatisfying(PrerequisitesNotMetException.class, e ->
                        assertThat(e.failed()).singleElement().satisfies(p ->
                                assertThat(p.code()).isEqualTo("habilitation.prerequisite.administrator.cardInactive")));
        assertThat(registry.canManage(admin.id(), registry.structureByFiness(CHU).orElseThrow().id(), Offer.ORG)).isFalse();
        assertThat(service.view(operatorUser(), reference).dossier().status()).isEqualTo(DossierStatus.ACKNOWLEDGED);
    }

    @Test
    void namesDifferingFromTheCardAreShownNotBlocking() {
        assertThat(HabilitationService.sameName("Jean-Pierre", "JEAN PIERRE")).isTrue();
        assertThat(HabilitationService.sameName("héloïse", "HELOISE")).isTrue();
        assertThat(HabilitationService.sameName("ADMIN", "ADMN")).isFalse();
        Person legal = registry.personByCardNumber(LEGAL_CHU_CARD).orElseThrow();
        HabilitationForm f = form(legal, "LEGAL_REPRESENTATIVE", CHU, "", "");
        HabilitationForm misspelt = new HabilitationForm(f.structure(), f.signatory(),
                List.of(new HabilitationForm.Administrator(ADMIN_CHU_CARD, "ADMN", "Antoine", "0102030405", "v@test.fr")),
                f.usage(), f.offers(), f.sslDomains(), f.sslServerName(), f.smimeDomains(), f.proMailDomains());
        String reference = service.submit(user(legal), misspelt, false).reference();
        assertThat(service.view(operatorUser(), reference).prerequisites().get(2)).satisfies(p -> {
            assertThat(p.passed()).isTrue();
            assertThat(p.code()).isEqualTo("habilitation.prerequisite.administrator.nameDiffers");
            assertThat(p.args()).contains("Antoine ADMIN");
        });
    }
}
