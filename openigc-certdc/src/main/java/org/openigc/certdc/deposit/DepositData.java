package org.openigc.certdc.deposit;

/**
 * One deposit as validated: the establishment (kept in clear, it is no personal data) and the nominative part,
 * which is only ever stored encrypted. Dates are ISO-8601 text as validated.
 */
public record DepositData(String establishment, String ipp, Patient patient, Death death) {

    /** @param sex {@code M}, {@code F} or {@code I} (indéterminé) */
    public record Patient(String birthName, String usedName, String firstNames, String sex, String birthDate,
                          String birthPlace, String ins) {
    }

    /** @param date ISO date or local date-time of death */
    public record Death(String date, String place) {
    }

    /** The nominative part, as it is encrypted at rest. */
    public record Nominative(String ipp, Patient patient, Death death) {
    }

    public Nominative nominative() {
        return new Nominative(ipp, patient, death);
    }

    @Override
    public String toString() {
        return "DepositData[establishment=" + establishment + "]";
    }
}
