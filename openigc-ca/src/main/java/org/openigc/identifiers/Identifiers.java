package org.openigc.identifiers;

import java.util.List;
import java.util.Objects;

/**
 * Validators for the identifiers of DOMAIN §4.
 *
 * <p>Each validator returns the broken rules as {@link IdentifierError}s; an empty list means
 * valid. Checks stop at the first broken rule, in the order empty, length, format,
 * département, check digit: once the length is wrong a check-digit error would only be noise.
 *
 * <p>Values are taken as given (no trimming, no upper-casing) because they end up verbatim in
 * certificate subjects, where {@code " 750712184"} is a different name. The one exception is
 * the INS, which people write in groups ("2 95 10 99 126 111 93"), so its spaces are removed.
 */
public final class Identifiers {

    private static final int IPP_MAX_LENGTH = 64;
    /** SIREN of La Poste: its establishments outnumber what a Luhn-keyed NIC allows. */
    private static final String LA_POSTE_SIREN = "356000000";

    private Identifiers() {
    }

    /** Validates {@code value} as the identifier {@code type}; {@code mode} only matters for FINESS. */
    public static List<IdentifierError> validate(IdentifierType type, String field, String value,
                                                 ValidationMode mode) {
        return switch (type) {
            case FINESS -> finess(field, value, mode);
            case SIREN -> siren(field, value);
            case SIRET -> siret(field, value);
            case RPPS -> rpps(field, value);
            case RPPS_RANG -> rppsRang(field, value);
            case ADELI -> adeli(field, value);
            case INS -> ins(field, value);
            case IPP -> ipp(field, value);
        };
    }

    /**
     * FINESS (EJ or EG): 9 characters, a département prefix, Luhn on the 9 digits.
     * Corsican FINESS (2A/2B) are accepted without a key check, see {@link #finessWarnings}.
     * In {@link ValidationMode#TEST} only the length and [0-9A-Z] are checked.
     */
    public static List<IdentifierError> finess(String field, String value, ValidationMode mode) {
        Objects.requireNonNull(mode, "mode");
        if (isBlank(value)) {
            return empty(field, "FINESS");
        }
        if (value.length() != 9) {
            return length(field, "FINESS", 9, value);
        }
        if (mode == ValidationMode.TEST) {
            return upperAlphanumeric(value) ? List.of()
                    : error(field, IdentifierError.FORMAT, "TEST FINESS must contain only digits and capital letters");
        }
        String prefix = value.substring(0, 2);
        boolean corsica = isCorsica(prefix);
        if (!(corsica || allDigits(prefix)) || !allDigits(value.substring(2))) {
            return error(field, IdentifierError.FORMAT,
                    "FINESS must be 9 digits, or 2A/2B followed by 7 digits");
        }
        if (finessDepartementOrNull(value) == null) {
            return error(field, IdentifierError.DEPARTEMENT,
                    "FINESS does not start with a valid département code: " + value.substring(0, 3));
        }
        if (corsica) {
            // How 2A/2B enter the Luhn sum is unconfirmed; rejecting real numbers would be worse
            // than letting a mistyped one through, so accept and warn (finessWarnings).
            return List.of();
        }
        return luhnValid(value) ? List.of() : checkDigit(field, "FINESS");
    }

    /**
     * Warnings that do not make a FINESS invalid but that a person should see; currently only
     * that the key of a Corsican FINESS was not verified.
     */
    public static List<String> finessWarnings(String value) {
        if (value != null && value.length() >= 2 && isCorsica(value.substring(0, 2))) {
            return List.of("check digit not verified for Corsica (2A/2B): the key computation is unconfirmed");
        }
        return List.of();
    }

    /**
     * Département code of a 9-character FINESS, as used by {@link Departements}: "75", "2A",
     * "971"… The FINESS prefix 98 (Mayotte) is returned as Mayotte's INSEE code "976".
     * Reads the prefix only: validate the whole number with {@link #finess} first.
     *
     * @throws IllegalArgumentException if the value is not 9 characters or its prefix is not a
     *                                  département
     */
    public static String departementOfFiness(String finess) {
        if (finess == null || finess.length() != 9) {
            throw new IllegalArgumentException("FINESS must be 9 characters: " + finess);
        }
        String departement = finessDepartementOrNull(finess);
        if (departement == null) {
            throw new IllegalArgumentException("FINESS does not start with a valid département code: " + finess);
        }
        return departement;
    }

    /** SIREN: 9 digits, Luhn. */
    public static List<IdentifierError> siren(String field, String value) {
        return digitsWithLuhn(field, value, "SIREN", 9);
    }

    /**
     * SIRET: 14 digits (SIREN + NIC), Luhn; except La Poste (starts with 356000000), whose
     * SIRET are valid when the sum of their digits is a multiple of 5.
     */
    public static List<IdentifierError> siret(String field, String value) {
        List<IdentifierError> shape = digitsOnly(field, value, "SIRET", 14);
        if (!shape.isEmpty()) {
            return shape;
        }
        boolean valid = value.startsWith(LA_POSTE_SIREN) ? digitSum(value) % 5 == 0 : luhnValid(value);
        return valid ? List.of() : checkDigit(field, "SIRET");
    }

    /** RPPS: 11 digits, Luhn. */
    public static List<IdentifierError> rpps(String field, String value) {
        return digitsWithLuhn(field, value, "RPPS", 11);
    }

    /** RPPS rang: 14 digits (RPPS + rang of 2 + key), Luhn. */
    public static List<IdentifierError> rppsRang(String field, String value) {
        return digitsWithLuhn(field, value, "RPPS rang", 14);
    }

    /**
     * ADELI: 9 digits (département, profession, order, key), Luhn. The département part is not
     * checked: ADELI predates 2A/2B and keeps purely numeric codes.
     */
    public static List<IdentifierError> adeli(String field, String value) {
        return digitsWithLuhn(field, value, "ADELI", 9);
    }

    /**
     * INS (NIR): 15 characters once spaces are removed, 13 for the NIR and a 2-digit key equal
     * to 97 − (N mod 97), where N is the NIR with 2A read as 19 and 2B as 18 (the birth
     * département, positions 6-7). Sex, year and month are not checked: temporary numbers use
     * values outside the calendar.
     */
    public static List<IdentifierError> ins(String field, String value) {
        if (isBlank(value)) {
            return empty(field, "INS");
        }
        String compact = value.replace(" ", "");
        if (compact.length() != 15) {
            return length(field, "INS", 15, compact);
        }
        String nir = compact.substring(0, 13);
        String key = compact.substring(13);
        String numeric = corsicaToDigits(nir);
        if (!allDigits(numeric) || !allDigits(key)) {
            return error(field, IdentifierError.FORMAT,
                    "INS must be 15 digits, 2A or 2B allowed as birth département");
        }
        return Integer.parseInt(key) == keyOfNumericNir(numeric) ? List.of() : checkDigit(field, "INS");
    }

    /**
     * The 2-digit key (1 to 97) of a 13-character NIR.
     *
     * @throws IllegalArgumentException if the NIR is not 13 digits (2A/2B allowed at positions 6-7)
     */
    public static int insKey(String nir) {
        if (nir == null || nir.length() != 13) {
            throw new IllegalArgumentException("NIR must be 13 characters: " + nir);
        }
        String numeric = corsicaToDigits(nir);
        if (!allDigits(numeric)) {
            throw new IllegalArgumentException("NIR must be digits, 2A or 2B allowed as birth département: " + nir);
        }
        return keyOfNumericNir(numeric);
    }

    /**
     * IPP / NIPP: a local patient id with no national format. Non-empty, at most 64
     * characters, printable ASCII or Latin-1 (U+0020-U+007E, U+00A0-U+00FF): the range that
     * survives every legacy hospital system the id passes through.
     */
    public static List<IdentifierError> ipp(String field, String value) {
        if (isBlank(value)) {
            return empty(field, "IPP");
        }
        if (value.length() > IPP_MAX_LENGTH) {
            return error(field, IdentifierError.LENGTH,
                    "IPP must be at most " + IPP_MAX_LENGTH + " characters, got " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean printable = (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xFF);
            if (!printable) {
                return error(field, IdentifierError.FORMAT,
                        String.format("IPP contains a character that is not printable ASCII or Latin-1: U+%04X", (int) c));
            }
        }
        return List.of();
    }

    /**
     * Luhn: from the right, double every second digit (minus 9 above 9) and sum; valid when
     * the sum is a multiple of 10. False for null, empty or any non-digit.
     */
    public static boolean luhnValid(String digits) {
        return digits != null && !digits.isEmpty() && allDigits(digits) && luhnSum(digits, false) % 10 == 0;
    }

    /**
     * The digit that, appended to {@code digits}, makes a Luhn-valid number.
     *
     * @throws IllegalArgumentException if {@code digits} is null or contains a non-digit
     */
    public static int luhnCheckDigit(String digits) {
        if (digits == null || !allDigits(digits)) {
            throw new IllegalArgumentException("Luhn input must be digits: " + digits);
        }
        // The appended key will sit in the undoubled position, so the current last digit is doubled.
        return (10 - luhnSum(digits, true) % 10) % 10;
    }

    // ---- helpers -------------------------------------------------------------------------

    private static int luhnSum(String digits, boolean doubleLast) {
        int sum = 0;
        boolean doubled = doubleLast;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum;
    }

    private static int keyOfNumericNir(String numericNir) {
        // 13 digits fit in a long (< 10^13 < 2^63).
        return 97 - (int) (Long.parseLong(numericNir) % 97);
    }

    /** Replaces a Corsican birth département (positions 6-7) by its numeric stand-in. */
    private static String corsicaToDigits(String nir) {
        String departement = nir.substring(5, 7);
        return switch (departement) {
            case "2A" -> nir.substring(0, 5) + "19" + nir.substring(7);
            case "2B" -> nir.substring(0, 5) + "18" + nir.substring(7);
            default -> nir;
        };
    }

    /** Département of a FINESS prefix, or null; see {@link #departementOfFiness}. */
    private static String finessDepartementOrNull(String finess) {
        String prefix = finess.substring(0, 2);
        if (isCorsica(prefix)) {
            return prefix;
        }
        if (!allDigits(prefix)) {
            return null;
        }
        int n = Integer.parseInt(prefix);
        if (n == 97) {
            // Overseas: the third character completes the code, 971 (Guadeloupe) to 976 (Mayotte).
            char dom = finess.charAt(2);
            return dom >= '1' && dom <= '6' ? "97" + dom : null;
        }
        if (n == 98) {
            // FINESS numbers Mayotte 98 (coding that predates its département status).
            return "976";
        }
        // 20 was split into 2A/2B in 1976; 00, 96 and 99 are not départements.
        return n >= 1 && n <= 95 && n != 20 ? prefix : null;
    }

    private static boolean isCorsica(String prefix) {
        return prefix.equals("2A") || prefix.equals("2B");
    }

    private static List<IdentifierError> digitsWithLuhn(String field, String value, String name, int length) {
        List<IdentifierError> shape = digitsOnly(field, value, name, length);
        if (!shape.isEmpty()) {
            return shape;
        }
        return luhnValid(value) ? List.of() : checkDigit(field, name);
    }

    private static List<IdentifierError> digitsOnly(String field, String value, String name, int length) {
        if (isBlank(value)) {
            return empty(field, name);
        }
        if (value.length() != length) {
            return length(field, name, length, value);
        }
        if (!allDigits(value)) {
            return error(field, IdentifierError.FORMAT, name + " must contain digits only");
        }
        return List.of();
    }

    /** ASCII digits only: Character.isDigit would also let Arabic-Indic and other digits in. */
    static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean upperAlphanumeric(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    private static int digitSum(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            sum += digits.charAt(i) - '0';
        }
        return sum;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static List<IdentifierError> empty(String field, String name) {
        return error(field, IdentifierError.EMPTY, name + " must not be empty");
    }

    private static List<IdentifierError> length(String field, String name, int expected, String value) {
        return error(field, IdentifierError.LENGTH,
                name + " must be " + expected + " characters, got " + value.length());
    }

    private static List<IdentifierError> checkDigit(String field, String name) {
        return error(field, IdentifierError.CHECK_DIGIT, name + " check digit is wrong");
    }

    private static List<IdentifierError> error(String field, String code, String message) {
        return List.of(new IdentifierError(field, code, message));
    }
}
