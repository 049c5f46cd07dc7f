package org.openigc.server.habilitation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/** Dates as the pages show them, in Paris time ({@code ${fmt.instant(…)}} in the templates). */
public final class PageDates {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm")
            .withZone(HabilitationService.PARIS);

    public String instant(Instant instant) {
        return instant == null ? "" : MINUTE.format(instant);
    }

    public String date(LocalDate date) {
        return date == null ? "" : DAY.format(date);
    }
}
