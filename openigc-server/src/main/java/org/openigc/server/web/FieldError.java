package org.openigc.server.web;

import java.util.List;

import org.openigc.identifiers.IdentifierError;

/**
 * One broken rule of one input field. {@code code} is a stable message key (translated at the edge with the
 * field's label as argument 0, then {@code args}); {@code defaultMessage} is the English text used when no
 * translation exists.
 *
 * @param field the API / form / CSV column name, echoed back untouched (e.g. {@code finess}, {@code administrators[1].cardNumber})
 */
public record FieldError(String field, String code, String defaultMessage, List<String> args) {
    public FieldError {
        args = args == null ? List.of() : List.copyOf(args);
    }

    public static FieldError of(String field, String code, String defaultMessage, String... args) {
        return new FieldError(field, code, defaultMessage, List.of(args));
    }

    /** An identifier validator's error; {@code identifierName} (FINESS, SIRET…) names the rule's subject. */
    public static FieldError of(IdentifierError error, String identifierName) {
        return new FieldError(error.field(), error.code(), error.message(), List.of(identifierName));
    }

    public static List<FieldError> of(List<IdentifierError> errors, String identifierName) {
        return errors.stream().map(e -> of(e, identifierName)).toList();
    }

    /** The same error under another field name, e.g. prefixed by a CSV line or a JSON path. */
    public FieldError withField(String newField) {
        return new FieldError(newField, code, defaultMessage, args);
    }
}
