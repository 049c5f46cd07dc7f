package org.openigc.server.habilitation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the web form 413 from its request parameters, named like the JSON paths ({@code structure.finess},
 * {@code administrators[2].email}…) so that errors land on their input. Lists typed one per line (domains) are split
 * on line breaks, commas, semicolons and spaces. Administrator rows left entirely blank are dropped.
 *
 * <p>The form works without JavaScript: its buttons send {@code action=add} (one more administrator row),
 * {@code action=remove-<i>} (remove row i) or {@code action=submit}.
 */
final class FormParameters {
    static final int MAX_ROW_INDEX = 99;
    private static final Pattern ADMIN = Pattern.compile("administrators\\[(\\d{1,2})]\\.(cardNumber|lastName|firstName|phone|email)");
    private static final Pattern SPLIT = Pattern.compile("[\\s,;]+");

    private FormParameters() {
    }

    /** What a button of the form asks. */
    sealed interface Action permits Submit, AddRow, RemoveRow {
    }

    record Submit() implements Action {
    }

    record AddRow() implements Action {
    }

    record RemoveRow(int index) implements Action {
    }

    static Action action(String value) {
        if (value == null || value.isBlank() || value.equals("submit")) {
            return new Submit();
        }
        if (value.equals("add")) {
            return new AddRow();
        }
        if (value.startsWith("remove-")) {
            try {
                return new RemoveRow(Integer.parseInt(value.substring("remove-".length())));
            } catch (NumberFormatException e) {
                return new Submit();
            }
        }
        return new Submit();
    }

    static HabilitationForm read(Map<String, String[]> params) {
        HabilitationForm.Structure structure = new HabilitationForm.Structure(one(params, "structure.name"),
                one(params, "structure.finess"), one(params, "structure.siret"), one(params, "structure.rppsRang"),
                List.of(one(params, "structure.additionalRppsRangs[0]"), one(params, "structure.additionalRppsRangs[1]"),
                        one(params, "structure.additionalRppsRangs[2]")));
        HabilitationForm.Signatory signatory = new HabilitationForm.Signatory(one(params, "signatory.role"),
                one(params, "signatory.lastName"), one(params, "signatory.firstNames"), one(params, "signatory.phone"),
                one(params, "signatory.email"), one(params, "signatory.cardNumber"));
        TreeMap<Integer, String[]> rows = new TreeMap<>();
        for (Map.Entry<String, String[]> entry : params.entrySet()) {
            Matcher matcher = ADMIN.matcher(entry.getKey());
            if (matcher.matches()) {
                String[] row = rows.computeIfAbsent(Integer.parseInt(matcher.group(1)), k -> new String[5]);
                int column = switch (matcher.group(2)) {
                    case "cardNumber" -> 0;
                    case "lastName" -> 1;
                    case "firstName" -> 2;
                    case "phone" -> 3;
                    default -> 4;
                };
                row[column] = first(entry.getValue());
            }
        }
        List<HabilitationForm.Administrator> administrators = new ArrayList<>();
        for (String[] row : rows.values()) {
            if (Arrays.stream(row).allMatch(v -> v == null || v.isBlank())) {
                continue;
            }
            administrators.add(new HabilitationForm.Administrator(nz(row[0]), nz(row[1]), nz(row[2]), nz(row[3]), nz(row[4])));
        }
        HabilitationForm.Usage usage = new HabilitationForm.Usage(one(params, "usage.description"),
                one(params, "usage.editor"), one(params, "usage.solution"), one(params, "usage.version"));
        List<String> offers = params.containsKey("offers") ? List.of(params.get("offers")) : List.of();
        return new HabilitationForm(structure, signatory, administrators, usage, offers, list(params, "sslDomains"),
                one(params, "sslServerName"), list(params, "smimeDomains"), list(params, "proMailDomains"));
    }

    /** The same form with one more empty administrator row (at most 20). */
    static HabilitationForm withRowAdded(HabilitationForm form) {
        List<HabilitationForm.Administrator> rows = new ArrayList<>(form.administrators());
        if (rows.size() < FormValidation.MAX_ADMINISTRATORS) {
            rows.add(new HabilitationForm.Administrator("", "", "", "", ""));
        }
        return withAdministrators(form, rows);
    }

    static HabilitationForm withRowRemoved(HabilitationForm form, int index) {
        List<HabilitationForm.Administrator> rows = new ArrayList<>(form.administrators());
        if (index >= 0 && index < rows.size()) {
            rows.remove(index);
        }
        return withAdministrators(form, rows);
    }

    /** At least one row to type in. */
    static HabilitationForm withOneRowAtLeast(HabilitationForm form) {
        return form.administrators().isEmpty() ? withRowAdded(form) : form;
    }

    private static HabilitationForm withAdministrators(HabilitationForm f, List<HabilitationForm.Administrator> rows) {
        return new HabilitationForm(f.structure(), f.signatory(), List.copyOf(rows), f.usage(), f.offers(), f.sslDomains(),
                f.sslServerName(), f.smimeDomains(), f.proMailDomains());
    }

    private static List<String> list(Map<String, String[]> params, String name) {
        String text = one(params, name);
        if (text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(SPLIT.split(text.strip())).filter(s -> !s.isBlank()).toList();
    }

    private static String one(Map<String, String[]> params, String name) {
        return nz(first(params.get(name)));
    }

    private static String first(String[] values) {
        return values == null || values.length == 0 ? null : values[0];
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
