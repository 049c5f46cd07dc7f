package org.openigc.server.certificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The tracking table as CSV (semicolon-separated, as French spreadsheets expect), every row of the search. */
final class TrackingCsv {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneId.of("Europe/Paris"));
    static final int MAX_ROWS = 1_000_000;

    private TrackingCsv() {
    }

    static final String HEADER = "\uFEFFnumero_serie;statut;environnement;offre;usage;structure;"
            + "service_applicatif;fin_validite;jours_restants;email_acteur\r\n";

    /** Writes the header then every row of the search, streamed from the database (pages ignored). */
    static long write(Requester requester, CertificateService service, CertificateService.Search search, Writer out)
            throws IOException {
        out.write(HEADER);
        try {
            return service.export(requester, search, MAX_ROWS, v -> {
                try {
                    out.write(String.join(";", cell(v.serialNumber()), cell(v.status()), cell(v.environment()),
                            cell(v.offer()), cell(v.usage()), cell(v.structure()), cell(v.serviceApplicatif()),
                            cell(DATE.format(v.notAfter())), cell(v.daysLeft() == null ? "" : v.daysLeft().toString()),
                            cell(v.actorEmail())));
                    out.write("\r\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Quoted, and neutralised against spreadsheet formula injection. */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
