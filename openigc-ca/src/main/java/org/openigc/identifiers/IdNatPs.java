package org.openigc.identifiers;

import java.util.Objects;

/**
 * National identifier of a person, the {@code CN} of CPx card certificates and the Pro Santé
 * Connect {@code SubjectNameID} (DOMAIN §3, §8): a type digit followed by the identifier.
 *
 * <p>Types {@code 3}, {@code 5} and {@code 6} are staff without a national number: the
 * structure's identifier, a slash, and the structure's internal id of the person
 * ({@code 3750712184/MED0042}).
 *
 * <p>As for {@link IdNatStruct}, only the structure is checked, not check digits.
 *
 * @param typeDigit  {@code 8} RPPS, {@code 0} ADELI, {@code 3} FINESS/internal,
 *                   {@code 5} SIRET/internal, {@code 6} RPPS-rang/internal
 * @param identifier the identifier without the type digit
 */
public record IdNatPs(char typeDigit, String identifier) {

    public static final char ADELI = '0';
    public static final char FINESS_INTERNAL = '3';
    public static final char SIRET_INTERNAL = '5';
    public static final char RPPS_RANG_INTERNAL = '6';
    public static final char RPPS = '8';

    /** A CN is at most 64 characters (X.520 ub-common-name), type digit included. */
    private static final int MAX_LENGTH = 64;

    public IdNatPs {
        Objects.requireNonNull(identifier, "identifier");
        switch (typeDigit) {
            case RPPS -> requireNationalId(typeDigit, identifier, 11);
            case ADELI -> requireNationalId(typeDigit, identifier, 9);
            case FINESS_INTERNAL -> requireStructureAndInternal(typeDigit, identifier, 9);
            case SIRET_INTERNAL, RPPS_RANG_INTERNAL -> requireStructureAndInternal(typeDigit, identifier, 14);
            default -> throw new IllegalArgumentException(
                    "idNatPS type digit must be 0, 3, 5, 6 or 8, got '" + typeDigit + "'");
        }
        if (identifier.length() + 1 > MAX_LENGTH) {
            throw new IllegalArgumentException("idNatPS must be at most " + MAX_LENGTH + " characters");
        }
    }

    /**
     * Splits an idNatPS such as {@code 810005173140}.
     *
     * @throws IllegalArgumentException naming the broken rule
     */
    public static IdNatPs parse(String idNatPs) {
        if (idNatPs == null || idNatPs.length() < 2) {
            throw new IllegalArgumentException("idNatPS must be a type digit followed by an identifier: " + idNatPs);
        }
        return new IdNatPs(idNatPs.charAt(0), idNatPs.substring(1));
    }

    /** {@code 8} + RPPS, the usual idNatPS of a health professional. */
    public static IdNatPs ofRpps(String rpps) {
        return new IdNatPs(RPPS, rpps);
    }

    /** The form written in certificates, e.g. {@code 810005173140}. */
    public String format() {
        return typeDigit + identifier;
    }

    private static void requireNationalId(char type, String identifier, int length) {
        if (identifier.length() != length) {
            throw new IllegalArgumentException("idNatPS type " + type + " needs " + length
                    + " characters after the type digit, got " + identifier.length());
        }
        if (!Identifiers.upperAlphanumeric(identifier)) {
            throw new IllegalArgumentException(
                    "idNatPS identifier must contain only digits and capital letters: " + identifier);
        }
    }

    private static void requireStructureAndInternal(char type, String identifier, int structureLength) {
        int slash = identifier.indexOf('/');
        if (slash != structureLength) {
            throw new IllegalArgumentException("idNatPS type " + type + " needs a " + structureLength
                    + "-character structure identifier, then '/', then the internal id: " + identifier);
        }
        String structure = identifier.substring(0, slash);
        String internal = identifier.substring(slash + 1);
        if (!Identifiers.upperAlphanumeric(structure)) {
            throw new IllegalArgumentException(
                    "idNatPS structure identifier must contain only digits and capital letters: " + structure);
        }
        if (internal.isEmpty()) {
            throw new IllegalArgumentException("idNatPS type " + type + " needs an internal id after '/'");
        }
        for (int i = 0; i < internal.length(); i++) {
            char c = internal.charAt(i);
            // Printable ASCII without space or '/': the id must survive DN and URL handling.
            if (c <= 0x20 || c >= 0x7F || c == '/') {
                throw new IllegalArgumentException(
                        "idNatPS internal id must be printable ASCII without space or '/': " + internal);
            }
        }
    }
}
