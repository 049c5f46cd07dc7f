package org.openigc.certdc.deposit;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.openigc.certdc.Problems.FieldError;
import org.openigc.certdc.connection.EstablishmentNumber;
import org.openigc.identifiers.IdentifierError;
import org.openigc.identifiers.Identifiers;
import tools.jackson.databind.JsonNode;

/**
 * Checks a deposit field by field (SPEC §7) and names every broken rule with its JSON path: unknown fields, types,
 * establishment (FINESS with check digit, or SIRET), IPP (non-empty, ≤ 64 printable), names (letters, spaces,
 * hyphens, apostrophes — a name cannot carry markup or SQL syntax), sex, dates (ISO, not in the future, death not
 * before birth), birth place (COG code), INS key.
 */
public final class DepositValidator {
    private static final Set<String> TOP = Set.of("establishment", "ipp", "patient", "death");
    private static final Set<String> PATIENT = Set.of("birthName", "usedName", "firstNames", "sex", "birthDate",
            "birthPlace", "ins");
    private static final Set<String> DEATH = Set.of("date", "place");
    private static final Pattern NAME = Pattern.compile("^[\\p{L}\\p{M}]+([ '’\\-]{1,2}[\\p{L}\\p{M}]+)*$");
    private static final Pattern COG = Pattern.compile("^(\\d{5}|2[AB]\\d{3})$");
    private static final LocalDate OLDEST = LocalDate.of(1850, 1, 1);
    private static final int NAME_MAX = 100;
    private static final int PLACE_MAX = 200;

    private DepositValidator() {
    }

    public record Result(DepositData data, List<FieldError> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    public static Result validate(JsonNode root, LocalDate today) {
        List<FieldError> errors = new ArrayList<>();
        if (root == null || !root.isObject()) {
            errors.add(new FieldError("", "json.type", "the deposit must be a JSON object"));
            return new Result(null, errors);
        }
        unknown(root, TOP, "", errors);
        String establishment = establishment(root, errors);
        String ipp = string(root, "ipp", "ipp", true, errors);
        if (ipp != null) {
            for (IdentifierError error : Identifiers.ipp("ipp", ipp)) {
                errors.add(new FieldError("ipp", error.code(), error.message()));
            }
        }
        DepositData.Patient patient = null;
        LocalDate birth = null;
        JsonNode patientNode = root.get("patient");
        if (patientNode == null || patientNode.isNull()) {
            errors.add(new FieldError("patient", "required", "patient is required"));
        } else if (!patientNode.isObject()) {
            errors.add(new FieldError("patient", "json.type", "patient must be an object"));
        } else {
            unknown(patientNode, PATIENT, "patient.", errors);
            String birthName = name(patientNode, "birthName", true, errors);
            String usedName = name(patientNode, "usedName", false, errors);
            String firstNames = name(patientNode, "firstNames", true, errors);
            String sex = string(patientNode, "sex", "patient.sex", true, errors);
            if (sex != null && !Set.of("M", "F", "I").contains(sex)) {
                errors.add(new FieldError("patient.sex", "sex.invalid", "sex must be M, F or I"));
            }
            String birthDate = string(patientNode, "birthDate", "patient.birthDate", true, errors);
            if (birthDate != null) {
                birth = date("patient.birthDate", birthDate, today, errors);
            }
            String birthPlace = string(patientNode, "birthPlace", "patient.birthPlace", false, errors);
            if (birthPlace != null && !COG.matcher(birthPlace).matches()) {
                errors.add(new FieldError("patient.birthPlace", "cog.format",
                        "birth place must be a COG code: 5 digits, or 2A/2B and 3 digits"));
            }
            String ins = string(patientNode, "ins", "patient.ins", false, errors);
            if (ins != null) {
                for (IdentifierError error : Identifiers.ins("patient.ins", ins)) {
                    errors.add(new FieldError("patient.ins", error.code(), error.message()));
                }
                ins = ins.replace(" ", "");
            }
            patient = new DepositData.Patient(birthName, usedName, firstNames, sex, birth == null ? birthDate
                    : birth.toString(), birthPlace, ins);
        }
        DepositData.Death death = null;
        JsonNode deathNode = root.get("death");
        if (deathNode != null && !deathNode.isNull()) {
            if (!deathNode.isObject()) {
                errors.add(new FieldError("death", "json.type", "death must be an object"));
            } else {
                unknown(deathNode, DEATH, "death.", errors);
                String date = string(deathNode, "date", "death.date", true, errors);
                String normalised = date == null ? null : deathDate(date, birth, today, errors);
                String place = string(deathNode, "place", "death.place", false, errors);
                if (place != null && place.length() > PLACE_MAX) {
                    errors.add(new FieldError("death.place", "length", "at most " + PLACE_MAX + " characters"));
                }
                if (place != null && place.chars().anyMatch(Character::isISOControl)) {
                    errors.add(new FieldError("death.place", "characters", "control characters are not allowed"));
                }
                death = new DepositData.Death(normalised, place);
            }
        }
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return new Result(new DepositData(establishment, ipp, patient, death), List.of());
    }

    private static String establishment(JsonNode root, List<FieldError> errors) {
        String value = string(root, "establishment", "establishment", true, errors);
        if (value == null) {
            return null;
        }
        EstablishmentNumber.Result number = EstablishmentNumber.parse("establishment", value);
        if (!number.valid()) {
            errors.add(new FieldError("establishment", number.error().code(), number.error().message()));
            return null;
        }
        return number.number().value();
    }

    private static String name(JsonNode node, String property, boolean required, List<FieldError> errors) {
        String field = "patient." + property;
        String value = string(node, property, field, required, errors);
        if (value == null) {
            return null;
        }
        if (value.length() > NAME_MAX) {
            errors.add(new FieldError(field, "length", "at most " + NAME_MAX + " characters"));
        } else if (!NAME.matcher(value.strip()).matches()) {
            errors.add(new FieldError(field, "name.characters",
                    "a name holds letters, spaces, hyphens and apostrophes only"));
        }
        return value.strip();
    }

    private static LocalDate date(String field, String value, LocalDate today, List<FieldError> errors) {
        try {
            LocalDate date = LocalDate.parse(value);
            if (date.isAfter(today)) {
                errors.add(new FieldError(field, "date.future", "the date is in the future"));
                return null;
            }
            if (date.isBefore(OLDEST)) {
                errors.add(new FieldError(field, "date.range", "the date is before 1850"));
                return null;
            }
            return date;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "date.format", "expected an ISO date YYYY-MM-DD"));
            return null;
        }
    }

    private static String deathDate(String value, LocalDate birth, LocalDate today, List<FieldError> errors) {
        LocalDate day;
        String normalised;
        try {
            if (value.length() > 10) {
                LocalDateTime dateTime = LocalDateTime.parse(value);
                day = dateTime.toLocalDate();
                normalised = dateTime.toString();
            } else {
                day = LocalDate.parse(value);
                normalised = day.toString();
            }
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("death.date", "date.format",
                    "expected an ISO date YYYY-MM-DD or local date-time YYYY-MM-DDThh:mm"));
            return null;
        }
        if (day.isAfter(today)) {
            errors.add(new FieldError("death.date", "date.future", "the date of death is in the future"));
            return null;
        }
        if (birth != null && day.isBefore(birth)) {
            errors.add(new FieldError("death.date", "date.beforeBirth", "the date of death is before the birth date"));
            return null;
        }
        return normalised;
    }

    private static String string(JsonNode node, String property, String field, boolean required,
                                 List<FieldError> errors) {
        JsonNode value = node.get(property);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "required", field + " is required"));
            }
            return null;
        }
        if (!value.isString()) {
            errors.add(new FieldError(field, "json.type", field + " must be a string"));
            return null;
        }
        String text = value.stringValue();
        if (text.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "required", field + " is required"));
            }
            return null;
        }
        return text;
    }

    private static void unknown(JsonNode node, Set<String> known, String prefix, List<FieldError> errors) {
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            if (!known.contains(property.getKey())) {
                String name = property.getKey().length() > 64 ? property.getKey().substring(0, 64) : property.getKey();
                errors.add(new FieldError(prefix + name, "field.unknown", "unknown field"));
            }
        }
    }
}
