package org.openigc.server.habilitation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkingDaysTest {

    @ParameterizedTest
    @CsvSource({"2024,2024-03-31", "2025,2025-04-20", "2026,2026-04-05", "2027,2027-03-28", "2038,2038-04-25"})
    void easterSundayIsComputed(int year, LocalDate easter) {
        assertThat(WorkingDays.easterSunday(year)).isEqualTo(easter);
    }

    @ParameterizedTest
    @CsvSource({
            "2026-01-01,false", // Jour de l'an
            "2026-04-06,false", // lundi de Pâques
            "2026-05-01,false", "2026-05-08,false",
            "2026-05-14,false", // Ascension
            "2026-05-25,false", // lundi de Pentecôte
            "2026-07-14,false", "2026-08-15,false", "2026-11-11,false", "2026-12-25,false",
            "2026-03-07,false", // samedi
            "2026-03-08,false", // dimanche
            "2026-03-09,true", "2026-04-07,true", "2026-05-26,true"})
    void weekendsAndFrenchPublicHolidaysAreNotWorkingDays(LocalDate day, boolean working) {
        assertThat(WorkingDays.isWorkingDay(day)).isEqualTo(working);
    }

    @Test
    void ageCountsWorkingDaysAfterTheDayOfReception() {
        LocalDate monday = LocalDate.of(2026, 3, 2);
        assertThat(WorkingDays.between(monday, monday)).isZero();
        assertThat(WorkingDays.between(monday, LocalDate.of(2026, 3, 5))).isEqualTo(3);
        assertThat(WorkingDays.between(monday, LocalDate.of(2026, 3, 8))).as("the weekend does not count").isEqualTo(4);
        // Friday before Easter Monday: Monday 6 April is a holiday, so Thursday 9 April is the third working day.
        assertThat(WorkingDays.plus(LocalDate.of(2026, 4, 3), 3)).isEqualTo(LocalDate.of(2026, 4, 9));
        assertThat(WorkingDays.plus(LocalDate.of(2026, 3, 6), 3)).as("received on a Friday").isEqualTo(LocalDate.of(2026, 3, 11));
    }

    /** The queue's SQL filter (received before a cut-off day) says "late" exactly when the age is over the target. */
    @Test
    void theLateCutoffAgreesWithTheAgeForEveryDayOfTwoYears() {
        LocalDate start = LocalDate.of(2025, 12, 1);
        for (LocalDate today = start; today.isBefore(start.plusYears(2)); today = today.plusDays(1)) {
            LocalDate cutoff = WorkingDays.minus(today.plusDays(1), WorkingDays.TARGET + 1);
            for (int back = 0; back < 15; back++) {
                LocalDate received = today.minusDays(back);
                boolean lateByAge = WorkingDays.between(received, today) > WorkingDays.TARGET;
                assertThat(received.isBefore(cutoff)).as("received %s, today %s", received, today).isEqualTo(lateByAge);
            }
        }
    }
}
