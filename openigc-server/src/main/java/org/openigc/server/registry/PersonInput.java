package org.openigc.server.registry;

/**
 * A person as typed in the operator form: raw strings, validated by the registry.
 *
 * @param cardStructure idNatStruct of the card's structure (CPE, CPA, CDE)
 * @param cardExpiresOn ISO date (yyyy-MM-dd) or empty
 */
public record PersonInput(String cardNumber, String cardType, String idNatPs, String lastName, String firstName,
                          String email, String phone, String profession, String cardStatus, String cardExpiresOn,
                          String cardStructure) {

    public static PersonInput empty() {
        return new PersonInput("", "CPS", "", "", "", "", "", "", "ACTIVE", "", "");
    }
}
