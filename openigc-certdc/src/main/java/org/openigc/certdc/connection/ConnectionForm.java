package org.openigc.certdc.connection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.openigc.certdc.Problems.FieldError;
import org.openigc.identifiers.IdentifierError;
import org.springframework.util.MultiValueMap;

/**
 * Reads the connection form (plain HTML form, establishments as parallel lists so rows can be added and removed
 * without JavaScript) into a {@link ConnectionRequest} and checks it field by field.
 */
public final class ConnectionForm {
    public static final int MAX_ESTABLISHMENTS = 50;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s<>\"']+@[^@\\s<>\"']+\\.[^@\\s<>\"']{2,}$");
    private static final Pattern PHONE = Pattern.compile("^\\+?[0-9 .()\\-]{10,20}$");
    private static final Pattern POSTCODE = Pattern.compile("^(\\d{5}|2[AB]\\d{3})$");
    private static final Pattern PERSON_NAME = Pattern.compile("^[\\p{L}\\p{M}][\\p{L}\\p{M} '’\\-.]*$");

    private ConnectionForm() {
    }

    /** The form as submitted, even when invalid, so it can be shown again. */
    public static ConnectionRequest read(MultiValueMap<String, String> form) {
        List<String> numbers = form.getOrDefault("establishmentNumber", List.of());
        List<String> kinds = form.getOrDefault("establishmentKind", List.of());
        List<String> names = form.getOrDefault("establishmentName", List.of());
        List<ConnectionRequest.Establishment> establishments = new ArrayList<>();
        for (int i = 0; i < Math.min(numbers.size(), MAX_ESTABLISHMENTS + 1); i++) {
            establishments.add(new ConnectionRequest.Establishment(clean(numbers.get(i)),
                    i < kinds.size() ? clean(kinds.get(i)) : "EG", i < names.size() ? clean(names.get(i)) : ""));
        }
        return new ConnectionRequest(new ConnectionRequest.Requester(value(form, "lastName"), value(form, "firstName"),
                value(form, "function"), value(form, "email"), value(form, "phone"), value(form, "address"),
                value(form, "postcode"), value(form, "town")),
                value(form, "siName"), value(form, "siVersion"), value(form, "comments"), establishments);
    }

    public static ConnectionRequest withRowAdded(ConnectionRequest request) {
        List<ConnectionRequest.Establishment> rows = new ArrayList<>(request.establishments());
        if (rows.size() < MAX_ESTABLISHMENTS) {
            rows.add(new ConnectionRequest.Establishment("", rows.isEmpty() ? "EJ" : "EG", ""));
        }
        return new ConnectionRequest(request.requester(), request.siName(), request.siVersion(), request.comments(), rows);
    }

    public static ConnectionRequest withRowRemoved(ConnectionRequest request, int index) {
        List<ConnectionRequest.Establishment> rows = new ArrayList<>(request.establishments());
        if (index >= 0 && index < rows.size()) {
            rows.remove(index);
        }
        return new ConnectionRequest(request.requester(), request.siName(), request.siVersion(), request.comments(), rows);
    }

    /** Every broken rule; field names are the form's input names ({@code establishmentNumber[2]}). */
    public static List<FieldError> validate(ConnectionRequest request) {
        List<FieldError> errors = new ArrayList<>();
        ConnectionRequest.Requester r = request.requester();
        name(errors, "lastName", r.lastName());
        name(errors, "firstName", r.firstName());
        text(errors, "function", r.function(), true, 100);
        if (required(errors, "email", r.email()) && (r.email().length() > 254 || !EMAIL.matcher(r.email()).matches())) {
            errors.add(new FieldError("email", "certdc.field.email", "not an email address"));
        }
        if (required(errors, "phone", r.phone()) && !PHONE.matcher(r.phone()).matches()) {
            errors.add(new FieldError("phone", "certdc.field.phone", "not a phone number"));
        }
        text(errors, "address", r.address(), true, 200);
        if (required(errors, "postcode", r.postcode()) && !POSTCODE.matcher(r.postcode()).matches()) {
            errors.add(new FieldError("postcode", "certdc.field.postcode", "a postcode has 5 digits"));
        }
        text(errors, "town", r.town(), true, 100);
        text(errors, "siName", request.siName(), true, 100);
        text(errors, "siVersion", request.siVersion(), true, 50);
        text(errors, "comments", request.comments(), false, 2000);
        List<ConnectionRequest.Establishment> rows = request.establishments();
        if (rows.isEmpty()) {
            errors.add(new FieldError("establishments", "certdc.establishments.empty", "at least one establishment"));
        }
        if (rows.size() > MAX_ESTABLISHMENTS) {
            errors.add(new FieldError("establishments", "certdc.establishments.tooMany", "at most 50 establishments"));
        }
        Set<String> seen = new HashSet<>();
        boolean legal = false;
        for (int i = 0; i < Math.min(rows.size(), MAX_ESTABLISHMENTS); i++) {
            ConnectionRequest.Establishment row = rows.get(i);
            String field = "establishmentNumber[" + i + "]";
            EstablishmentNumber.Result number = EstablishmentNumber.parse(field, row.number());
            if (!number.valid()) {
                IdentifierError error = number.error();
                errors.add(new FieldError(field, "certdc." + error.code(), error.message()));
            } else if (!seen.add(number.number().value())) {
                errors.add(new FieldError(field, "certdc.establishments.duplicate", "listed twice"));
            }
            if (!"EJ".equals(row.kind()) && !"EG".equals(row.kind())) {
                errors.add(new FieldError("establishmentKind[" + i + "]", "certdc.field.kind", "EJ or EG"));
            }
            legal |= "EJ".equals(row.kind());
            text(errors, "establishmentName[" + i + "]", row.name(), false, 100);
        }
        if (!rows.isEmpty() && !legal) {
            errors.add(new FieldError("establishments", "certdc.establishments.noLegalEntity",
                    "the legal establishment (EJ) of the SI is required"));
        }
        return errors;
    }

    /** The numbers of a valid request, normalised. */
    public static List<EstablishmentNumber> numbers(ConnectionRequest request) {
        return request.establishments().stream()
                .map(e -> EstablishmentNumber.parse("establishment", e.number()).number()).toList();
    }

    private static void name(List<FieldError> errors, String field, String value) {
        if (required(errors, field, value)) {
            if (value.length() > 100) {
                errors.add(new FieldError(field, "certdc.field.tooLong", "at most 100 characters"));
            } else if (!PERSON_NAME.matcher(value).matches()) {
                errors.add(new FieldError(field, "certdc.field.name", "letters, spaces, hyphens and apostrophes only"));
            }
        }
    }

    private static void text(List<FieldError> errors, String field, String value, boolean required, int max) {
        if (required && !required(errors, field, value)) {
            return;
        }
        if (value != null && value.length() > max) {
            errors.add(new FieldError(field, "certdc.field.tooLong", "at most " + max + " characters"));
        } else if (value != null && value.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            errors.add(new FieldError(field, "certdc.field.control", "control characters are not allowed"));
        }
    }

    private static boolean required(List<FieldError> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "certdc.field.required", "required"));
            return false;
        }
        return true;
    }

    private static String value(MultiValueMap<String, String> form, String name) {
        return clean(form.getFirst(name));
    }

    private static String clean(String value) {
        return value == null ? "" : value.strip();
    }
}
