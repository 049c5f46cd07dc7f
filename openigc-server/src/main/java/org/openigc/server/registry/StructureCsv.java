package org.openigc.server.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openigc.server.web.FieldError;

/**
 * Reads the structure CSV: UTF-8 (a BOM is ignored), a header line naming the columns in any order, separator
 * {@code ;} (as French spreadsheets write it) or {@code ,} (detected from the header), fields optionally quoted with
 * {@code "} (a doubled quote inside a quoted field is a quote). Columns are listed in the README.
 */
final class StructureCsv {
    static final List<String> COLUMNS = List.of("kind", "finess", "siren", "siret", "rpps_rang", "parent_finess", "name",
            "address", "postcode", "city", "departement", "sector", "may_order_under_ej", "group_name");
    static final List<String> REQUIRED = List.of("kind", "name", "sector");
    static final int MAX_LINES = 20_000;

    private StructureCsv() {
    }

    record Line(int number, StructureInput input) {
    }

    record Parsed(List<Line> lines, List<ImportReport.LineError> errors) {
    }

    static Parsed parse(Reader reader) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        List<Line> lines = new ArrayList<>();
        List<ImportReport.LineError> errors = new ArrayList<>();
        String header = in.readLine();
        if (header == null) {
            errors.add(new ImportReport.LineError(1, FieldError.of("file", "import.empty", "The file is empty")));
            return new Parsed(lines, errors);
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        char separator = header.indexOf(';') >= 0 ? ';' : ',';
        List<String> names = split(header, separator);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).strip().toLowerCase(Locale.ROOT);
            if (!COLUMNS.contains(name)) {
                errors.add(new ImportReport.LineError(1, FieldError.of(name.isEmpty() ? "header" : name,
                        "import.unknownColumn", "Unknown column", String.join(", ", COLUMNS))));
            } else if (index.putIfAbsent(name, i) != null) {
                errors.add(new ImportReport.LineError(1, FieldError.of(name, "import.duplicateColumn", "Column given twice")));
            }
        }
        for (String required : REQUIRED) {
            if (!index.containsKey(required)) {
                errors.add(new ImportReport.LineError(1, FieldError.of(required, "import.missingColumn", "Missing column")));
            }
        }
        if (!errors.isEmpty()) {
            return new Parsed(lines, errors);
        }
        String text;
        int number = 1;
        while ((text = in.readLine()) != null) {
            number++;
            if (text.isBlank()) {
                continue;
            }
            if (lines.size() >= MAX_LINES) {
                errors.add(new ImportReport.LineError(number, FieldError.of("file", "import.tooManyLines",
                        "Too many lines", String.valueOf(MAX_LINES))));
                break;
            }
            List<String> fields;
            try {
                fields = split(text, separator);
            } catch (IllegalArgumentException e) {
                errors.add(new ImportReport.LineError(number, FieldError.of("line", "import.quotes", "Unbalanced quotes")));
                continue;
            }
            if (fields.size() != names.size()) {
                errors.add(new ImportReport.LineError(number, FieldError.of("line", "import.columnCount",
                        "Wrong number of fields", String.valueOf(fields.size()), String.valueOf(names.size()))));
                continue;
            }
            String flag = value(fields, index, "may_order_under_ej");
            boolean mayOrder = false;
            if (flag != null && !flag.isBlank()) {
                String f = flag.strip().toLowerCase(Locale.ROOT);
                if (List.of("true", "oui", "1", "yes").contains(f)) {
                    mayOrder = true;
                } else if (!List.of("false", "non", "0", "no").contains(f)) {
                    errors.add(new ImportReport.LineError(number, FieldError.of("may_order_under_ej", "import.boolean",
                            "Expected true/false (oui/non)")));
                    continue;
                }
            }
            StructureInput input = new StructureInput(value(fields, index, "kind"), value(fields, index, "finess"),
                    value(fields, index, "siren"), value(fields, index, "siret"), value(fields, index, "rpps_rang"),
                    value(fields, index, "parent_finess"), value(fields, index, "name"), value(fields, index, "address"),
                    value(fields, index, "postcode"), value(fields, index, "city"), value(fields, index, "departement"),
                    value(fields, index, "sector"), mayOrder, value(fields, index, "group_name"));
            lines.add(new Line(number, input));
        }
        return new Parsed(lines, errors);
    }

    /** The CSV column name of a StructureInput field, so that errors name what the file calls it. */
    static String column(String field) {
        return switch (field) {
            case "rppsRang" -> "rpps_rang";
            case "parentFiness" -> "parent_finess";
            case "mayOrderUnderEj" -> "may_order_under_ej";
            case "groupName" -> "group_name";
            default -> field;
        };
    }

    private static String value(List<String> fields, Map<String, Integer> index, String column) {
        Integer i = index.get(column);
        return i == null ? null : fields.get(i);
    }

    static List<String> split(String line, char separator) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        current.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    current.append(c);
                }
            } else if (c == '"' && current.isEmpty()) {
                quoted = true;
            } else if (c == separator) {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unbalanced quotes");
        }
        fields.add(current.toString());
        return fields;
    }
}
