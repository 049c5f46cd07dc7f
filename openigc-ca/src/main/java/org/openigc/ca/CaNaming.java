package org.openigc.ca;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * CA subject layout of DOMAIN §1: {@code C=FR, O=<operator>, OU=<ICD 0002 + SIREN>, OU=IGC-SANTE, CN=<name>};
 * the TEST hierarchy prefixes names with {@code TEST } and uses {@code OU=IGC-SANTE TEST}.
 */
public record CaNaming(String operatorName, String operatorSiren) {

    public X500Name subject(Environment environment, CaRole role) {
        boolean test = environment == Environment.TEST;
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.C, "FR")
                .addRDN(BCStyle.O, operatorName)
                .addRDN(BCStyle.OU, "0002 " + operatorSiren)
                .addRDN(BCStyle.OU, test ? "IGC-SANTE TEST" : "IGC-SANTE")
                .addRDN(BCStyle.CN, (test ? "TEST " : "") + role.defaultCommonName())
                .build();
    }

    /** Short name used in URLs and file names: {@code prod-organisations}, {@code test-root}. */
    public static String shortName(Environment environment, CaRole role) {
        return (environment == Environment.TEST ? "test-" : "prod-") + role.name().toLowerCase(java.util.Locale.ROOT);
    }
}
