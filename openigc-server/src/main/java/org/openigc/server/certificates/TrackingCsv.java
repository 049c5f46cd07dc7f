package org.openigc.server.certificates;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The tracking table as CSV (semicolon-separated, as French spreadsheets expect), every page of the search. */
final class TrackingCsv {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneId.of("Europe/Paris"));
    static final int MAX_ROWS = 1_000_000;

    private TrackingCsv() {
    }

    static String write(Requester requester, CertificateService service, CertificateService.Search search) {
        StringBuilder csv = new StringBuilder("\uFEFFnumero_serie;statut;environnement;offre;usage;structure;"
                + "service_applicatif;fin_validite;jours_restants;email_acteur\r\n");
        int page = 0;
        int written = 0;
        while (written < MAX_ROWS) {
            CertificateService.SearchResult result = service.search(requester, new CertificateService.Search(
                    search.structure(), search.status(), search.environment(), search.expiringWithinDays(), search.q(),
                    search.sort(), page, 200));
            for (CertificateView v : result.items()) {
                csv.append(String.join(";", cell(v.serialNumber()), cell(v.status()), cell(v.environment()),
                        cell(v.offer()), cell(v.usage()), cell(v.structure()), cell(v.serviceApplicatif()),
                        cell(DATE.format(v.notAfter())), cell(v.daysLeft() == null ? "" : v.daysLeft().toString()),
                        cell(v.actorEmail()))).append("\r\n");
                written++;
            }
            if (result.items().size() < 200) {
                break;
            }
            page++;
        }
        return csv.toString();
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
