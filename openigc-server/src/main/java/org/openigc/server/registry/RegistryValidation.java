package org.openigc.server.registry;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.openigc.identifiers.Departements;
import org.openigc.identifiers.IdNatPs;
import org.openigc.identifiers.Identifiers;
import org.openigc.identifiers.Region;
import org.openigc.identifiers.ValidationMode;
import org.openigc.server.web.FieldError;

/**
 * Turns raw input into registry records, collecting <em>every</em> broken rule (each naming its field) rather than
 * stopping at the first: an operator fixing a form or a CSV file sees all problems at once. Identifiers are checked
 * with org.openigc.identifiers (check digits in STRICT mode).
 */
final class RegistryValidation {
    private static final Pattern POSTCODE = Pattern.compile("\\d{5}");
    private static final Pattern CARD_NUMBER = Pattern.compile("\\d{10}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,}");
    private static final Pattern PHONE = Pattern.compile("[+0-9 .()-]{6,20}");

    private RegistryValidation() {
    }

    /** What a structure input means once checked; parent and duplicates are resolved by the service. */
    record CheckedStructure(StructureKind kind, String idNatStruct, String finess, String siren, String siret,
                            String rppsRang, String parentFiness, String name, String address, String postcode,
                            String city, String departement, String region, Sector sector, boolean mayOrderUnderEj,
                            String groupName) {
    }

    static CheckedStructure structure(StructureInput in, List<FieldError> errors) {
        StructureKind kind = enumValue(StructureKind.class, "kind", in.kind(), errors);
        Sector sector = enumValue(Sector.class, "sector", in.sector(), errors);
        String name = text("name", in.name(), true, 200, errors);
        String finess = blankToNull(in.finess());
        String siren = blankToNull(in.siren());
        String siret = blankToNull(in.siret());
        String rppsRang = blankToNull(in.rppsRang());
        String parentFiness = blankToNull(in.parentFiness());
        String postcode = blankToNull(in.postcode());
        String departementInput = blankToNull(in.departement());
        if (siren != null) {
            errors.addAll(FieldError.of(Identifiers.siren("siren", siren), "SIREN"));
        }
        if (siret != null) {
            errors.addAll(FieldError.of(Identifiers.siret("siret", siret), "SIRET"));
            if (siren != null && !siret.startsWith(siren)) {
                errors.add(FieldError.of("siret", "structure.siret.notOfSiren", "SIRET must start with the SIREN"));
            }
        }
        if (rppsRang != null) {
            errors.addAll(FieldError.of(Identifiers.rppsRang("rppsRang", rppsRang), "RPPS rang"));
        }
        boolean finessValid = false;
        if (kind == StructureKind.EJ || kind == StructureKind.EG) {
            List<FieldError> finessErrors = FieldError.of(
                    Identifiers.finess("finess", finess, ValidationMode.STRICT), "FINESS");
            errors.addAll(finessErrors);
            finessValid = finessErrors.isEmpty();
        } else if (finess != null) {
            errors.add(FieldError.of("finess", "structure.finess.notAllowed",
                    "Only an EJ or an EG is identified by FINESS"));
        }
        if (kind == StructureKind.EG) {
            if (parentFiness == null) {
                errors.add(FieldError.of("parentFiness", "structure.parent.required", "An EG needs the FINESS of its EJ"));
            } else {
                errors.addAll(FieldError.of(Identifiers.finess("parentFiness", parentFiness, ValidationMode.STRICT), "FINESS"));
            }
        } else if (parentFiness != null) {
            errors.add(FieldError.of("parentFiness", "structure.parent.notAllowed", "Only an EG has a parent EJ"));
        }
        if (kind == StructureKind.CABINET && rppsRang == null && siret == null) {
            errors.add(FieldError.of("rppsRang", "structure.cabinet.identifier",
                    "A liberal cabinet is identified by RPPS rang or SIRET"));
        }
        if (kind == StructureKind.COMPANY && siret == null && siren == null) {
            errors.add(FieldError.of("siret", "structure.company.identifier", "An organisation needs a SIRET or SIREN"));
        }
        if (in.mayOrderUnderEj() && kind != null && kind != StructureKind.EJ) {
            errors.add(FieldError.of("mayOrderUnderEj", "structure.mayOrderUnderEj.notEj",
                    "Only an EJ may order under its FINESS EJ"));
        }
        if (postcode != null && !POSTCODE.matcher(postcode).matches()) {
            errors.add(FieldError.of("postcode", "field.format.postcode", "A postcode is 5 digits"));
        }
        // Département: the FINESS says it; otherwise the typed one, otherwise the postcode.
        String departement = null;
        if (finessValid) {
            departement = Identifiers.departementOfFiness(finess);
            if (departementInput != null && !departementInput.equals(departement)) {
                errors.add(FieldError.of("departement", "structure.departement.mismatch",
                        "The département does not match the FINESS", departement));
            }
        } else if (departementInput != null) {
            departement = departementInput.toUpperCase(Locale.ROOT);
        } else if (postcode != null && POSTCODE.matcher(postcode).matches()) {
            departement = departementOfPostcode(postcode);
        }
        String region = null;
        if (departement == null) {
            if (!(kind == StructureKind.EJ || kind == StructureKind.EG) || finess == null) {
                errors.add(FieldError.of("departement", "structure.departement.required",
                        "Give the département or a postcode"));
            }
        } else if (Departements.nameOf(departement).isEmpty()) {
            errors.add(FieldError.of("departement", "structure.departement.unknown", "Unknown département code", departement));
        } else {
            region = Departements.regionOf(departement).map(Region::inseeCode).orElse(null);
        }
        String idNatStruct = null;
        if (kind != null) {
            idNatStruct = switch (kind) {
                case EJ, EG -> finess == null ? null : "1" + finess;
                case CABINET -> rppsRang != null ? "4" + rppsRang : siret != null ? "3" + siret : null;
                case COMPANY -> siret != null ? "3" + siret : siren != null ? "2" + siren : null;
            };
        }
        return new CheckedStructure(kind, idNatStruct, finess, siren, siret, rppsRang, parentFiness, name,
                blankToNull(in.address()), postcode, blankToNull(in.city()), departement, region, sector,
                in.mayOrderUnderEj(), blankToNull(in.groupName()));
    }

    /** Postcodes: 20xxx is Corsica (2A below 20200, else 2B), 97xxx and 98xxx overseas (3 digits). */
    static String departementOfPostcode(String postcode) {
        if (postcode.startsWith("20")) {
            return Integer.parseInt(postcode) < 20200 ? "2A" : "2B";
        }
        if (postcode.startsWith("97") || postcode.startsWith("98")) {
            return postcode.substring(0, 3);
        }
        return postcode.substring(0, 2);
    }

    record CheckedPerson(String cardNumber, CardType cardType, String idNatPs, String rpps, String lastName,
                         String firstName, String email, String phone, String profession, CardStatus cardStatus,
                         LocalDate cardExpiresOn, String cardStructure) {
    }

    static CheckedPerson person(PersonInput in, List<FieldError> errors) {
        String cardNumber = blankToNull(in.cardNumber());
        if (cardNumber == null) {
            errors.add(FieldError.of("cardNumber", "field.required", "required"));
        } else if (!CARD_NUMBER.matcher(cardNumber).matches()) {
            errors.add(FieldError.of("cardNumber", "person.cardNumber.format", "A card number is 10 digits"));
        }
        CardType cardType = enumValue(CardType.class, "cardType", in.cardType(), errors);
        CardStatus cardStatus = in.cardStatus() == null || in.cardStatus().isBlank() ? CardStatus.ACTIVE
                : enumValue(CardStatus.class, "cardStatus", in.cardStatus(), errors);
        String idNatPs = blankToNull(in.idNatPs());
        String rpps = null;
        if (idNatPs == null) {
            errors.add(FieldError.of("idNatPs", "field.required", "required"));
        } else {
            try {
                IdNatPs parsed = IdNatPs.parse(idNatPs);
                String id = parsed.identifier();
                switch (parsed.typeDigit()) {
                    case IdNatPs.RPPS -> {
                        errors.addAll(FieldError.of(Identifiers.rpps("idNatPs", id), "RPPS"));
                        rpps = id;
                    }
                    case IdNatPs.ADELI -> errors.addAll(FieldError.of(Identifiers.adeli("idNatPs", id), "ADELI"));
                    case IdNatPs.FINESS_INTERNAL -> errors.addAll(FieldError.of(
                            Identifiers.finess("idNatPs", id.substring(0, 9), ValidationMode.STRICT), "FINESS"));
                    case IdNatPs.SIRET_INTERNAL -> errors.addAll(FieldError.of(
                            Identifiers.siret("idNatPs", id.substring(0, 14)), "SIRET"));
                    case IdNatPs.RPPS_RANG_INTERNAL -> errors.addAll(FieldError.of(
                            Identifiers.rppsRang("idNatPs", id.substring(0, 14)), "RPPS rang"));
                    default -> { }
                }
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of("idNatPs", "person.idNatPs.format", e.getMessage()));
            }
        }
        String lastName = text("lastName", in.lastName(), true, 64, errors);
        String firstName = text("firstName", in.firstName(), true, 64, errors);
        String email = blankToNull(in.email());
        if (email != null && !EMAIL.matcher(email).matches()) {
            errors.add(FieldError.of("email", "field.format.email", "Not an email address"));
        }
        String phone = blankToNull(in.phone());
        if (phone != null && !PHONE.matcher(phone).matches()) {
            errors.add(FieldError.of("phone", "field.format.phone", "Not a phone number"));
        }
        LocalDate expires = date("cardExpiresOn", in.cardExpiresOn(), errors);
        String cardStructure = blankToNull(in.cardStructure());
        if (cardType != null && cardType.needsStructure() && cardStructure == null) {
            errors.add(FieldError.of("cardStructure", "person.cardStructure.required",
                    "A CPE, CPA or CDE card belongs to a structure", cardType.name()));
        }
        return new CheckedPerson(cardNumber, cardType, idNatPs, rpps, lastName, firstName, email, phone,
                text("profession", in.profession(), false, 64, errors), cardStatus, expires, cardStructure);
    }

    static LocalDate date(String field, String value, List<FieldError> errors) {
        String text = blankToNull(value);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            errors.add(FieldError.of(field, "field.format.date", "Expected a date yyyy-MM-dd"));
            return null;
        }
    }

    static String text(String field, String value, boolean required, int max, List<FieldError> errors) {
        String text = blankToNull(value);
        if (text == null) {
            if (required) {
                errors.add(FieldError.of(field, "field.required", "required"));
            }
            return null;
        }
        if (text.length() > max) {
            errors.add(FieldError.of(field, "field.tooLong", "too long", String.valueOf(max)));
        }
        return text;
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String field, String value, List<FieldError> errors) {
        String text = blankToNull(value);
        if (text == null) {
            errors.add(FieldError.of(field, "field.required", "required"));
            return null;
        }
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name());
            }
            errors.add(FieldError.of(field, "field.oneOf", "must be one of " + allowed, String.join(", ", allowed)));
            return null;
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
