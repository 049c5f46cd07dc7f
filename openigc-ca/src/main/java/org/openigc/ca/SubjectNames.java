package org.openigc.ca;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Builds subject DNs in the layouts of DOMAIN §3, most significant RDN (C) first. */
final class SubjectNames {
    private SubjectNames() {
    }

    static X500Name build(SubjectLayout layout, SubjectData data) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "FR");
        switch (layout) {
            case ORGANISATION -> {
                require(data.commonName(), "commonName (service applicatif)");
                require(data.idNatStruct(), "idNatStruct");
                name.addRDN(BCStyle.ST, require(data.stLabel(), "stLabel"))
                        .addRDN(BCStyle.O, require(data.organisation(), "organisation"))
                        .addRDN(BCStyle.OU, data.idNatStruct())
                        .addRDN(BCStyle.CN, data.commonName());
            }
            case CARD_HOLDER -> {
                if (data.title() != null && !data.title().isBlank()) {
                    name.addRDN(BCStyle.T, data.title());
                }
                addPerson(name, data);
            }
            case STRUCTURE_PERSON -> {
                name.addRDN(BCStyle.ST, require(data.stLabel(), "stLabel"))
                        .addRDN(BCStyle.O, require(data.organisation(), "organisation"))
                        .addRDN(BCStyle.OU, require(data.idNatStruct(), "idNatStruct"));
                addPerson(name, data);
            }
        }
        return name.build();
    }

    private static void addPerson(X500NameBuilder name, SubjectData data) {
        name.addMultiValuedRDN(new ASN1ObjectIdentifier[] {BCStyle.CN, BCStyle.SURNAME, BCStyle.GIVENNAME},
                new String[] {require(data.idNatPs(), "idNatPs"), require(data.lastName(), "lastName"),
                        require(data.firstName(), "firstName")});
    }

    private static String require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new CaException(CaErrorCode.REQUEST_INVALID, "subject field " + field + " is required");
        }
        if (value.length() > 64) {
            throw new CaException(CaErrorCode.REQUEST_INVALID, "subject field " + field + " is longer than 64 characters");
        }
        return value;
    }
}
