package org.openigc.server.audit;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The auditor's query string turned into a filter, or into errors naming each bad field. Dates are either a day
 * ({@code 2025-03-31}, Paris time, both ends inclusive) or an ISO-8601 instant with offset (end exclusive).
 */
record AuditQueryParameters(AuditFilter filter, int page, int size, List<FieldProblem> errors) {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final int DEFAULT_SIZE = 50;

    static AuditQueryParameters parse(String actor, String action, String objectType, String objectId, String from,
                                      String to, String page, String size) {
        List<FieldProblem> errors = new ArrayList<>();
        Instant fromInstant = instant("from", from, false, errors);
        Instant toInstant = instant("to", to, true, errors);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            errors.add(new FieldProblem("to", "range", "audit.error.range"));
        }
        int pageNumber = integer("page", page, 0, 0, Integer.MAX_VALUE / AuditEvents.MAX_PAGE_SIZE, errors);
        int pageSize = integer("size", size, DEFAULT_SIZE, 1, AuditEvents.MAX_PAGE_SIZE, errors);
        for (var field : List.of(new String[] {"actor", actor}, new String[] {"action", action},
                new String[] {"objectType", objectType}, new String[] {"objectId", objectId})) {
            if (field[1] != null && field[1].length() > 200) {
                errors.add(new FieldProblem(field[0], "length", "audit.error.length"));
            }
        }
        return new AuditQueryParameters(new AuditFilter(actor, action, objectType, objectId, fromInstant, toInstant),
                pageNumber, pageSize, List.copyOf(errors));
    }

    boolean valid() {
        return errors.isEmpty();
    }

    private static Instant instant(String field, String value, boolean endOfRange, List<FieldProblem> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (endOfRange ? day.plusDays(1) : day).atStartOfDay(PARIS).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            errors.add(new FieldProblem(field, "date", "audit.error.date"));
            return null;
        }
    }

    private static int integer(String field, String value, int defaultValue, int min, int max,
                               List<FieldProblem> errors) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldProblem(field, "range", "audit.error." + field));
        return defaultValue;
    }

    /** @param messageKey key in messages-audit.properties */
    record FieldProblem(String field, String code, String messageKey) {
    }
}
