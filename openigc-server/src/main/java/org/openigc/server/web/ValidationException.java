package org.openigc.server.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/** Bad input: every broken rule, each naming its field. Nothing was changed. → 400. */
public final class ValidationException extends ProblemException {
    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(HttpStatus.BAD_REQUEST, "validation.failed", "The request has invalid fields: " + fieldsOf(errors), List.of());
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ValidationException needs at least one error");
        }
        this.errors = List.copyOf(errors);
    }

    public ValidationException(FieldError error) {
        this(List.of(error));
    }

    /** Throws if {@code errors} is not empty: the usual end of a validation method. */
    public static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    @Override
    public List<FieldError> errors() {
        return errors;
    }

    private static String fieldsOf(List<FieldError> errors) {
        return String.join(", ", errors.stream().map(FieldError::field).distinct().toList());
    }
}
