package org.openigc.server.habilitation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openigc.server.web.FieldError;
import org.openigc.server.web.Problems;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Translations for form 413: field errors whose argument 0 is the label of the form's field as the paper form names
 * it ("Administrateur technique 2 — numéro de carte" for {@code administrators[1].cardNumber}), and prerequisites.
 * Labels come from {@code habilitation.field.<path without indexes>} (with {@code .item} for an element of a list),
 * the indexes (from 1) as arguments; other fields fall back to the platform's labels ({@link Problems#label}).
 */
@Component
class HabilitationMessages {
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");
    /** Lists shown as one input (a text area or a group of check boxes): their elements' errors go under the list. */
    private static final Pattern LIST_ELEMENT = Pattern.compile(
            "(offers|sslDomains|smimeDomains|proMailDomains|structure\\.additionalRppsRangs)\\[\\d+]");

    private final MessageSource messages;
    private final Problems problems;

    HabilitationMessages(MessageSource messages, Problems problems) {
        this.messages = messages;
        this.problems = problems;
    }

    String label(String field, Locale locale) {
        List<Object> indexes = new ArrayList<>();
        Matcher matcher = INDEX.matcher(field);
        while (matcher.find()) {
            indexes.add(Integer.parseInt(matcher.group(1)) + 1);
        }
        String key = "habilitation.field." + INDEX.matcher(field).replaceAll("") + (field.endsWith("]") ? ".item" : "");
        String label = messages.getMessage(key, indexes.toArray(), null, locale);
        return label != null ? label : problems.label(field, locale);
    }

    /** The message of a field error: its rule's text with the field's label as argument 0. */
    String message(FieldError error, Locale locale) {
        Object[] args = new Object[error.args().size() + 1];
        args[0] = label(error.field(), locale);
        for (int i = 0; i < error.args().size(); i++) {
            args[i + 1] = resolve(error.args().get(i), locale);
        }
        return messages.getMessage(error.code(), args, error.defaultMessage(), locale);
    }

    /** For the form page: messages by the name of the input they belong to. */
    Map<String, List<String>> byField(List<FieldError> errors, Locale locale) {
        Map<String, List<String>> byField = new LinkedHashMap<>();
        for (FieldError error : errors) {
            String key = error.field();
            Matcher list = LIST_ELEMENT.matcher(key);
            if (list.matches()) {
                key = list.group(1);
            }
            byField.computeIfAbsent(key, k -> new ArrayList<>()).add(message(error, locale));
        }
        return byField;
    }

    String prerequisite(Prerequisite prerequisite, Locale locale) {
        Object[] args = prerequisite.args().stream().map(a -> resolve(a, locale)).toArray();
        return messages.getMessage(prerequisite.code(), args, prerequisite.code(), locale);
    }

    String prerequisiteName(Prerequisite prerequisite, Locale locale) {
        return label("prerequisite." + prerequisite.name(), locale);
    }

    String text(String code, Locale locale, Object... args) {
        return messages.getMessage(code, args, code, locale);
    }

    /** Arguments naming a message ({@code object.…}) are translated themselves, as the problem details do. */
    private String resolve(String arg, Locale locale) {
        return arg != null && arg.startsWith("object.") ? messages.getMessage(arg, null, arg, locale) : arg;
    }
}
