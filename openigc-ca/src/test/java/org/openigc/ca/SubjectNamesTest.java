package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

class SubjectNamesTest {
    @Test
    void anOrganisationSubjectIsCStOOuCnWithCPrintableAndTheRestUtf8() {
        X500Name name = SubjectNames.build(SubjectLayout.ORGANISATION,
                SubjectData.organisation("INSI-AUTO", "1750712184", "#1 Clinique, Site + Annexe", "Rhône (69)"));
        RDN[] rdns = name.getRDNs();
        assertThat(rdns).extracting(r -> r.getFirst().getType())
                .containsExactly(BCStyle.C, BCStyle.ST, BCStyle.O, BCStyle.OU, BCStyle.CN);
        assertThat(rdns[0].getFirst().getValue()).isInstanceOf(ASN1PrintableString.class);
        for (int i = 1; i < rdns.length; i++) {
            assertThat(rdns[i].getFirst().getValue()).isInstanceOf(ASN1UTF8String.class);
        }
        // taken as given: no hex reading of a leading '#', no RFC 4514 unescaping
        assertThat(((ASN1UTF8String) rdns[2].getFirst().getValue()).getString()).isEqualTo("#1 Clinique, Site + Annexe");
        assertThat(((ASN1UTF8String) rdns[1].getFirst().getValue()).getString()).isEqualTo("Rhône (69)");
    }

    @Test
    void aCardHolderHasCnSnGnInOneMultiValuedRdn() {
        X500Name name = SubjectNames.build(SubjectLayout.CARD_HOLDER,
                new SubjectData(null, null, null, null, "810005173140", "MARTIN", "Élise", "Médecin"));
        assertThat(name.getRDNs()).hasSize(3);
        RDN person = name.getRDNs()[2];
        assertThat(person.isMultiValued()).isTrue();
        assertThat(person.getTypesAndValues()).extracting(a -> a.getType())
                .containsExactlyInAnyOrder(BCStyle.CN, BCStyle.SURNAME, BCStyle.GIVENNAME);
        assertThat(name.getRDNs(BCStyle.T)[0].getFirst().getValue().toString()).isEqualTo("Médecin");
    }

    @Test
    void aMissingOrTooLongFieldIsNamed() {
        assertThatThrownBy(() -> SubjectNames.build(SubjectLayout.ORGANISATION,
                SubjectData.organisation("INSI-AUTO", "1750712184", " ", "Rhône (69)")))
                .hasMessageContaining("organisation");
        assertThatThrownBy(() -> SubjectNames.build(SubjectLayout.ORGANISATION,
                SubjectData.organisation("INSI-AUTO", "1750712184", "x".repeat(65), "Rhône (69)")))
                .hasMessageContaining("longer than 64");
    }
}
