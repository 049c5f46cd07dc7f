package org.openigc.server.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.i18n.LocaleContextHolder;

/**
 * A {@link ValidationException}'s errors for a page: translated messages grouped by field, for templates to show
 * next to each input ({@code ${errors['finess']}}).
 */
public final class FormErrors {
    private FormErrors() {
    }

    public static Map<String, List<String>> byField(Problems problems, ValidationException e) {
        Locale locale = LocaleContextHolder.getLocale();
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (FieldError error : e.errors()) {
            errors.computeIfAbsent(error.field(), f -> new ArrayList<>()).add(problems.message(error, locale));
        }
        return errors;
    }
}
