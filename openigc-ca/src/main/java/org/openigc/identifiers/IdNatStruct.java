package org.openigc.identifiers;

import java.util.Objects;

/**
 * National structure identifier, the {@code OU} of ORG/SERV certificates and the VIHF
 * {@code Identifiant_Structure} (DOMAIN §3): a type digit followed by the identifier.
 *
 * <p>Only the structure is checked here (known type, length, [0-9A-Z]); check digits are not,
 * because TEST structures carry identifiers with letters and no key (e.g. {@code 10B0152872}).
 * Validate the identifier with {@link Identifiers} in the right {@link ValidationMode} first.
 *
 * @param typeDigit  {@code 0} ADELI-rang, {@code 1} FINESS, {@code 2} SIREN, {@code 3} SIRET,
 *                   {@code 4} RPPS-rang
 * @param identifier the identifier without the type digit
 */
public record IdNatStruct(char typeDigit, String identifier) {

    public static final char ADELI_RANG = '0';
    public static final char FINESS = '1';
    public static final char SIREN = '2';
    public static final char SIRET = '3';
    public static final char RPPS_RANG = '4';

    /** An OU is at most 64 characters (X.520 ub-organizational-unit-name), type digit included. */
    private static final int MAX_LENGTH = 64;

    public IdNatStruct {
        Objects.requireNonNull(identifier, "identifier");
        switch (typeDigit) {
            case FINESS, SIREN -> requireLength(typeDigit, identifier, 9);
            case SIRET, RPPS_RANG -> requireLength(typeDigit, identifier, 14);
            // ADELI (9) followed by a rang whose width is not published: require at least one
            // rang character and let the OU bound cap it.
            case ADELI_RANG -> {
                if (identifier.length() < 10 || identifier.length() > MAX_LENGTH - 1) {
                    throw new IllegalArgumentException("idNatStruct type 0 (ADELI-rang) must be 10 to "
                            + (MAX_LENGTH - 1) + " characters after the type digit, got " + identifier.length());
                }
            }
            default -> throw new IllegalArgumentException(
                    "idNatStruct type digit must be 0, 1, 2, 3 or 4, got '" + typeDigit + "'");
        }
        if (!Identifiers.upperAlphanumeric(identifier)) {
            throw new IllegalArgumentException(
                    "idNatStruct identifier must contain only digits and capital letters: " + identifier);
        }
    }

    /**
     * Splits an idNatStruct such as {@code 1750712184}.
     *
     * @throws IllegalArgumentException naming the broken rule
     */
    public static IdNatStruct parse(String idNatStruct) {
        if (idNatStruct == null || idNatStruct.length() < 2) {
            throw new IllegalArgumentException(
                    "idNatStruct must be a type digit followed by an identifier: " + idNatStruct);
        }
        return new IdNatStruct(idNatStruct.charAt(0), idNatStruct.substring(1));
    }

    public static IdNatStruct ofFiness(String finess) {
        return new IdNatStruct(FINESS, finess);
    }

    public static IdNatStruct ofSiren(String siren) {
        return new IdNatStruct(SIREN, siren);
    }

    public static IdNatStruct ofSiret(String siret) {
        return new IdNatStruct(SIRET, siret);
    }

    public static IdNatStruct ofRppsRang(String rppsRang) {
        return new IdNatStruct(RPPS_RANG, rppsRang);
    }

    /** The form written in certificates, e.g. {@code 1750712184}. */
    public String format() {
        return typeDigit + identifier;
    }

    private static void requireLength(char type, String identifier, int expected) {
        if (identifier.length() != expected) {
            throw new IllegalArgumentException("idNatStruct type " + type + " needs " + expected
                    + " characters after the type digit, got " + identifier.length());
        }
    }
}
