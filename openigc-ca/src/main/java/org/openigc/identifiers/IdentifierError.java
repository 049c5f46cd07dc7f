package org.openigc.identifiers;

/**
 * One broken rule of an identifier.
 *
 * @param field   the caller's name for the input (form field, JSON path); echoed back untouched
 * @param code    stable machine code, the key the server translates; never reworded
 * @param message English default text, for logs and untranslated clients
 */
public record IdentifierError(String field, String code, String message) {

    public static final String EMPTY = "identifier.empty";
    public static final String LENGTH = "identifier.length";
    public static final String FORMAT = "identifier.format";
    public static final String DEPARTEMENT = "identifier.departement";
    public static final String CHECK_DIGIT = "identifier.checkDigit";
}
