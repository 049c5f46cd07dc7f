package org.openigc.server.dashboards;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * XLSX and CSV exports of the dashboard table: a header row, then one row per structure, in the order and with the
 * filters of the screen. Rows are written as they come from the database cursor (fastexcel flushes every 1,000).
 */
final class DashboardExports {
    record Column(String header, Function<DashboardRow, Object> value) {
    }

    static final List<Column> COLUMNS;

    static {
        List<Column> columns = new ArrayList<>(List.of(
                new Column("idNatStruct", DashboardRow::idNatStruct),
                new Column("FINESS", DashboardRow::finess),
                new Column("Nom", DashboardRow::name),
                new Column("Type", DashboardRow::kind),
                new Column("FINESS EJ", DashboardRow::parentFiness),
                new Column("Département", DashboardRow::departement),
                new Column("Région", DashboardRow::region),
                new Column("Secteur", DashboardRow::sector),
                new Column("Actifs", DashboardRow::activeTotal)));
        for (String key : DashboardRepository.ACTIVE_KEYS) {
            columns.add(new Column("Actifs " + key, row -> row.active().get(key)));
        }
        columns.addAll(List.of(
                new Column("Expirent ≤ 30 j", DashboardRow::expiringWithin30Days),
                new Column("Expirent ≤ 60 j", DashboardRow::expiringWithin60Days),
                new Column("Expirent ≤ 90 j", DashboardRow::expiringWithin90Days),
                new Column("Expirés sans successeur", DashboardRow::expiredWithoutSuccessor),
                new Column("Révoqués 90 j", DashboardRow::revokedLast90Days),
                new Column("Adresses non distribuables", DashboardRow::undeliverableAddresses),
                new Column("Paire DMP active", row -> row.dmpReady() ? "oui" : "non"),
                new Column("Dossiers 413 en attente", DashboardRow::pending413Dossiers),
                new Column("Plus ancien 413 en attente (jours)", DashboardRow::oldestPending413Days),
                new Column("Niveau", DashboardRow::level),
                new Column("Structures", DashboardRow::structures),
                new Column("Structures avec paire DMP", DashboardRow::dmpReadyStructures)));
        COLUMNS = List.copyOf(columns);
    }

    private DashboardExports() {
    }

    /** Writes the workbook; {@code rows} is called once with the sink that appends a row. */
    static void xlsx(OutputStream out, Consumer<Consumer<DashboardRow>> rows) throws IOException {
        Workbook workbook = new Workbook(out, "OpenIGC", "1.0");
        Worksheet sheet = workbook.newWorksheet("Structures");
        for (int c = 0; c < COLUMNS.size(); c++) {
            sheet.value(0, c, COLUMNS.get(c).header());
            sheet.style(0, c).bold().set();
        }
        sheet.freezePane(0, 1);
        int[] r = {1};
        rows.accept(row -> {
            for (int c = 0; c < COLUMNS.size(); c++) {
                Object value = COLUMNS.get(c).value().apply(row);
                if (value instanceof Number number) {
                    sheet.value(r[0], c, number);
                } else if (value != null) {
                    sheet.value(r[0], c, value.toString());
                }
            }
            if (++r[0] % 1000 == 0) {
                try {
                    sheet.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        workbook.finish();
    }

    /** CSV for French spreadsheets: UTF-8 with BOM, semicolons, every cell quoted, formulas neutralised. */
    static void csv(OutputStream out, Consumer<Consumer<DashboardRow>> rows) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writer.write('\uFEFF');
        writer.write(String.join(";", COLUMNS.stream().map(c -> cell(c.header())).toList()) + "\r\n");
        rows.accept(row -> {
            try {
                writer.write(String.join(";", COLUMNS.stream().map(c -> cell(c.value().apply(row))).toList()) + "\r\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        writer.flush();
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number) {
            return value.toString();
        }
        String text = value.toString();
        String safe = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
