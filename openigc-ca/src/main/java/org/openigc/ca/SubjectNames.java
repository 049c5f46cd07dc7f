package org.openigc.ca;

import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Builds subject DNs in the layouts of DOMAIN §3, most significant RDN (C) first. C is a PrintableString and every
 * other attribute a UTF8String (RFC 5280 §4.1.2.6), the value taken as given: BCStyle's string conversion would read
 * a value starting with '#' as hex and drop a leading backslash.
 */
final class SubjectNames {
    private static final RDN COUNTRY = new RDN(BCStyle.C, new DERPrintableString("FR"));

    private SubjectNames() {
    }

    static X500Name build(SubjectLayout layout, SubjectData data) {
        List<RDN> name = new ArrayList<>(6);
        name.add(COUNTRY);
        switch (layout) {
            case ORGANISATION -> {
                require(data.commonName(), "commonName (service applicatif)");
                require(data.idNatStruct(), "idNatStruct");
                name.add(rdn(BCStyle.ST, require(data.stLabel(), "stLabel")));
                name.add(rdn(BCStyle.O, require(data.organisation(), "organisation")));
                name.add(rdn(BCStyle.OU, data.idNatStruct()));
                name.add(rdn(BCStyle.CN, data.commonName()));
            }
            case CARD_HOLDER -> {
                if (data.title() != null && !data.title().isBlank()) {
                    name.add(rdn(BCStyle.T, data.title()));
                }
                addPerson(name, data);
            }
            case STRUCTURE_PERSON -> {
                name.add(rdn(BCStyle.ST, require(data.stLabel(), "stLabel")));
                name.add(rdn(BCStyle.O, require(data.organisation(), "organisation")));
                name.add(rdn(BCStyle.OU, require(data.idNatStruct(), "idNatStruct")));
                addPerson(name, data);
            }
        }
        return new X500Name(BCStyle.INSTANCE, name.toArray(RDN[]::new));
    }

    private static RDN rdn(ASN1ObjectIdentifier type, String value) {
        return new RDN(type, new DERUTF8String(value));
    }

    private static void addPerson(List<RDN> name, SubjectData data) {
        name.add(new RDN(new AttributeTypeAndValue[] {
                new AttributeTypeAndValue(BCStyle.CN, new DERUTF8String(require(data.idNatPs(), "idNatPs"))),
                new AttributeTypeAndValue(BCStyle.SURNAME, new DERUTF8String(require(data.lastName(), "lastName"))),
                new AttributeTypeAndValue(BCStyle.GIVENNAME,
                        new DERUTF8String(require(data.firstName(), "firstName")))}));
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
