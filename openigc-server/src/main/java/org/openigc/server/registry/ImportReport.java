package org.openigc.server.registry;

import java.util.List;

import org.openigc.server.web.FieldError;

/**
 * The outcome of a CSV import: either every line imported, or none and the list of every bad line.
 *
 * @param errors each error's field is {@code line <n>: <column>}
 */
public record ImportReport(int lines, int imported, List<LineError> errors) {
    public ImportReport {
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** One broken rule on one line (1 = the header line). */
    public record LineError(int line, FieldError error) {
    }
}
