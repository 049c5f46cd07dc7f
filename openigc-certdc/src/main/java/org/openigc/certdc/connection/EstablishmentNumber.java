package org.openigc.certdc.connection;

import java.util.List;

import org.openigc.identifiers.IdNatStruct;
import org.openigc.identifiers.IdentifierError;
import org.openigc.identifiers.Identifiers;
import org.openigc.identifiers.ValidationMode;

/**
 * The number of an establishment as the seed's form asks it: a FINESS (9 characters, juridique or géographique)
 * or its INSEE number, the SIRET (14 digits). Spaces typed by people are removed; the check digit is verified.
 */
public record EstablishmentNumber(Type type, String value) {
    public enum Type {
        FINESS, SIRET
    }

    /** The structure identifier OpenIGC writes in certificates: {@code 1}+FINESS or {@code 3}+SIRET. */
    public String idNatStruct() {
        return type == Type.FINESS ? IdNatStruct.ofFiness(value).format() : IdNatStruct.ofSiret(value).format();
    }

    /** @return the number, or the broken rule for {@code field} */
    public static Result parse(String field, String raw) {
        if (raw == null || raw.isBlank()) {
            return new Result(null, new IdentifierError(field, IdentifierError.EMPTY, "establishment number is required"));
        }
        String compact = raw.replace(" ", "").strip();
        if (compact.length() == 14 && compact.chars().allMatch(Character::isDigit)) {
            List<IdentifierError> errors = Identifiers.siret(field, compact);
            return errors.isEmpty() ? new Result(new EstablishmentNumber(Type.SIRET, compact), null)
                    : new Result(null, errors.getFirst());
        }
        if (compact.length() != 9) {
            return new Result(null, new IdentifierError(field, IdentifierError.LENGTH,
                    "a FINESS has 9 characters, a SIRET 14 digits"));
        }
        List<IdentifierError> errors = Identifiers.finess(field, compact, ValidationMode.STRICT);
        return errors.isEmpty() ? new Result(new EstablishmentNumber(Type.FINESS, compact), null)
                : new Result(null, errors.getFirst());
    }

    public record Result(EstablishmentNumber number, IdentifierError error) {
        public boolean valid() {
            return number != null;
        }
    }
}
