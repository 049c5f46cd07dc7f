package org.openigc.server.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The expiry chart (active certificates ending per month over 12 months, stacked by usage) read from its
 * pre-aggregate (V81: per-structure counts in dashboard_summary, summed per région/département/sector in
 * dashboard_expiry_rollup), on a hand-built fixture in La Réunion (région 04, département 974; no other test or demo
 * structure there). The expected figures are written out by hand for the instant of the test and for the next month,
 * and checked against a plain count of the fixture's certificates in Java for other instants; the chart must stay
 * exact while the certificates change without a refresh (dirty structures), after a refresh, when the month changes,
 * when the clock is behind the stored rows, and when a structure moves.
 */
class DashboardExpiryIT extends DashboardTestSupport {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Autowired
    DataSource dataSource;
    @Autowired
    PlatformTransactionManager transactions;

    /** A certificate of the fixture, as the Java oracle below sees it. */
    record Cert(UUID id, String structure, String usage, String environment, String status, OffsetDateTime notAfter) {
    }

    private final List<Cert> certs = new ArrayList<>();

    private void structure(String letter, String sector) {
        jdbc.sql("""
                insert into structure (id, kind, id_nat_struct, finess, name, departement, region, sector)
                values (gen_random_uuid(), 'EJ', :idnat, :finess, :name, '974', '04', :sector)""")
                .param("idnat", "1R0000000" + letter).param("finess", "R0000000" + letter)
                .param("name", "REUNION EXPIRY " + letter).param("sector", sector).update();
    }

    private UUID certificate(String letter, String usage, String environment, String status, OffsetDateTime notAfter) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                with ca as (select name from ca_certificate order by name limit 1)
                insert into certificate (id, serial_number, ca_name, profile, environment, status, subject,
                    not_before, not_after, public_key_sha256, structure_id, offer, usage, service_applicatif, revoked_at)
                select :id, 'reunion-' || :id, ca.name, 'fixture', :environment, :status, 'CN=reunion',
                       :notAfter - interval '2 years', :notAfter, 'reunion-' || :id, s.id, 'ORG', :usage, 'SVC',
                       case when :status = 'REVOKED' then now() - interval '1 day' end
                from structure s cross join ca where s.id_nat_struct = :idnat""")
                .param("id", id).param("environment", environment).param("status", status).param("notAfter", notAfter)
                .param("usage", usage).param("idnat", "1R0000000" + letter).update();
        certs.add(new Cert(id, letter, usage, environment, status, notAfter));
        return id;
    }

    /** The chart as the fixture's certificates give it at {@code t}, counted in Java (filter on structures and slots). */
    private Map<String, Map<String, Long>> oracle(OffsetDateTime t, java.util.function.Predicate<Cert> keep) {
        Map<String, Map<String, Long>> months = new TreeMap<>();
        for (Cert c : certs) {
            if (c.status().equals("ACTIVE") && c.notAfter().isAfter(t) && !c.notAfter().isAfter(t.plusMonths(12)) && keep.test(c)) {
                months.computeIfAbsent(YearMonth.from(c.notAfter().atZoneSameInstant(PARIS)).toString(), m -> new TreeMap<>())
                        .merge(c.usage() == null ? "?" : c.usage(), 1L, Long::sum);
            }
        }
        return months;
    }

    private static Map<String, Map<String, Long>> sorted(Map<String, Map<String, Long>> chart) {
        Map<String, Map<String, Long>> result = new TreeMap<>();
        chart.forEach((m, u) -> result.put(m, new TreeMap<>(u)));
        return result;
    }

    private DashboardRepository at(OffsetDateTime instant) {
        return new DashboardRepository(dataSource, transactions, Clock.fixed(instant.toInstant(), ZoneOffset.UTC));
    }

    private static DashboardFilter reunion(String departement, String sector, String usage, String environment) {
        return new DashboardFilter("04", departement, sector, usage, environment, null, null);
    }

    /** Every filtered view of the fixture at {@code t} equals the oracle. */
    private void assertEveryViewExact(OffsetDateTime t) {
        DashboardRepository repository = at(t);
        String label = "at " + t;
        assertThat(sorted(repository.expiringPerMonth(reunion(null, null, null, null), null))).as(label)
                .isEqualTo(oracle(t, c -> true));
        assertThat(sorted(repository.expiringPerMonth(reunion("974", null, null, null), null))).as(label)
                .isEqualTo(oracle(t, c -> true));
        assertThat(sorted(repository.expiringPerMonth(reunion(null, "OFFICINE", null, null), null))).as(label)
                .isEqualTo(oracle(t, c -> c.structure().equals("B")));
        assertThat(sorted(repository.expiringPerMonth(reunion(null, null, "AUTH_CLI", null), null))).as(label)
                .isEqualTo(oracle(t, c -> "AUTH_CLI".equals(c.usage())));
        assertThat(sorted(repository.expiringPerMonth(reunion(null, null, null, "TEST"), null))).as(label)
                .isEqualTo(oracle(t, c -> c.environment().equals("TEST")));
        assertThat(sorted(repository.expiringPerMonth(reunion("974", "HOSPITAL", "SIGN", "PRODUCTION"), null))).as(label)
                .isEqualTo(oracle(t, c -> c.structure().equals("A") && "SIGN".equals(c.usage())
                        && c.environment().equals("PRODUCTION")));
        // a search reads the certificates (no pre-aggregate): the same figures
        assertThat(sorted(repository.expiringPerMonth(new DashboardFilter(null, null, null, null, null, "reunion expiry", null),
                null))).as(label).isEqualTo(oracle(t, c -> true));
    }

    /** dashboard_expiry_rollup (V81) equals the stored per-structure counts summed per key: 0 differences. */
    private long rollupDifferences() {
        return jdbc.sql("""
                with expected as (
                    select coalesce(s.region, '') as r, s.departement, s.sector, u.month, u.slot, sum(u.n)::bigint as n
                    from structure s join dashboard_summary d on d.structure_id = s.id
                    cross join unnest(d.expiry_month, d.expiry_slot, d.expiry_n) u(month, slot, n)
                    group by 1, 2, 3, 4, 5
                ), actual as (
                    select coalesce(region, '') as r, departement, sector, month, slot, n from dashboard_expiry_rollup
                    where n <> 0
                )
                select (select count(*) from (select * from expected except select * from actual) x)
                     + (select count(*) from (select * from actual except select * from expected) y)""")
                .query(Long.class).single();
    }

    /** The national chart equals a plain count of every registry structure's active certificates at {@code t}. */
    private void assertNationalExact(OffsetDateTime t) {
        Map<String, Map<String, Long>> expected = new TreeMap<>();
        jdbc.sql("""
                select to_char(c.not_after at time zone 'Europe/Paris', 'YYYY-MM') as m, coalesce(c.usage, '?') as u,
                    count(*) as n
                from certificate c join structure s on s.id = c.structure_id
                where c.status = 'ACTIVE' and c.not_after > :t and c.not_after <= :until group by 1, 2""")
                .param("t", t).param("until", t.plusMonths(12))
                .query(rs -> {
                    expected.computeIfAbsent(rs.getString("m"), m -> new TreeMap<>()).put(rs.getString("u"), rs.getLong("n"));
                });
        assertThat(sorted(at(t).expiringPerMonth(DashboardFilter.none(), null))).as("national at " + t).isEqualTo(expected);
    }

    @Test
    void theExpiryChartStaysExactThroughCertificateChangesRefreshesMonthsAndMoves() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).withNano(0);
        YearMonth m = YearMonth.from(now.atZoneSameInstant(PARIS));
        java.util.function.IntFunction<OffsetDateTime> start = k -> m.plusMonths(k).atDay(1).atStartOfDay(PARIS)
                .toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
        java.util.function.IntFunction<String> month = k -> m.plusMonths(k).toString();
        structure("A", "HOSPITAL");
        structure("B", "OFFICINE");
        // A: SIGN ends a minute before next month (current month), AUTH_CLI at the first instant of next month (M+1),
        // TEST AUTH_CLI in M+5, CONF at the start of M+12 (last, partial month), AUTH at the start of M+13 (outside),
        // SIGN expired yesterday, SIGN revoked (M+3), a certificate without usage in M+2
        OffsetDateTime endOfMonth = start.apply(1).minusMinutes(1);
        certificate("A", "SIGN", "PRODUCTION", "ACTIVE", endOfMonth.isAfter(now) ? endOfMonth : now.plusSeconds(30));
        UUID authCli = certificate("A", "AUTH_CLI", "PRODUCTION", "ACTIVE", start.apply(1));
        certificate("A", "AUTH_CLI", "TEST", "ACTIVE", start.apply(5).plusDays(10));
        certificate("A", "CONF", "PRODUCTION", "ACTIVE", start.apply(12));
        certificate("A", "AUTH", "PRODUCTION", "ACTIVE", start.apply(13));
        certificate("A", "SIGN", "PRODUCTION", "ACTIVE", now.minusDays(1));
        certificate("A", "SIGN", "PRODUCTION", "REVOKED", start.apply(3));
        certificate("A", null, "PRODUCTION", "ACTIVE", start.apply(2).plusDays(1));
        // B: AUTH_CLI in M+1, SIGN in M+11
        certificate("B", "AUTH_CLI", "PRODUCTION", "ACTIVE", start.apply(1).plusDays(2));
        certificate("B", "SIGN", "PRODUCTION", "ACTIVE", start.apply(11).plusHours(1));

        Map<String, Map<String, Long>> byHand = new TreeMap<>(Map.of(
                month.apply(0), Map.of("SIGN", 1L),
                month.apply(1), Map.of("AUTH_CLI", 2L),
                month.apply(2), Map.of("?", 1L),
                month.apply(5), Map.of("AUTH_CLI", 1L),
                month.apply(11), Map.of("SIGN", 1L),
                month.apply(12), Map.of("CONF", 1L)));
        assertThat(oracle(now, c -> true)).isEqualTo(sorted(byHand));

        // 1. nothing stored yet (the structures are dirty): the correction alone gives the figures
        assertThat(sorted(at(now).expiringPerMonth(reunion(null, null, null, null), null))).isEqualTo(sorted(byHand));
        assertEveryViewExact(now);
        assertNationalExact(now);

        // 2. refreshed: read from the pre-aggregate, which equals the stored rows summed (read after the refresh, so
        // that no fixture row counts as computed after the reading)
        refresher.refreshAll();
        assertThat(rollupDifferences()).isZero();
        assertThat(jdbc.sql("select sum(n) from dashboard_expiry_rollup where region = '04' and month >= :m1 and month < :m12")
                .param("m1", m.plusMonths(1).atDay(1)).param("m12", m.plusMonths(12).atDay(1)).query(Long.class).single())
                .isEqualTo(5L); // M+1: A's and B's AUTH_CLI, M+2: A's without usage, M+5: A's TEST, M+11: B's SIGN
        OffsetDateTime refreshed = OffsetDateTime.now(ZoneOffset.UTC);
        assertThat(jdbc.sql("""
                select count(*) from structure s where s.region = '04' and (exists (select 1 from dashboard_summary_dirty x
                    where x.structure_id = s.id) or not exists (select 1 from dashboard_summary d
                    where d.structure_id = s.id and d.computed_at <= :t))""").param("t", refreshed)
                .query(Long.class).single()).isZero();
        assertThat(sorted(dashboards.expiringPerMonth(operator(), reunion(null, null, null, null)))).isEqualTo(sorted(byHand));
        assertEveryViewExact(refreshed);
        assertNationalExact(refreshed);

        // 3. a certificate issued and one revoked, no refresh: the stored counts are wrong, the chart is not
        certificate("B", "SIGN", "PRODUCTION", "ACTIVE", start.apply(3).plusDays(1));
        jdbc.sql("update certificate set status = 'REVOKED', revoked_at = now() where id = :id").param("id", authCli).update();
        certs.replaceAll(c -> c.id().equals(authCli) ? new Cert(c.id(), c.structure(), c.usage(), c.environment(),
                "REVOKED", c.notAfter()) : c);
        Map<String, Map<String, Long>> changed = new TreeMap<>(byHand);
        changed.put(month.apply(1), Map.of("AUTH_CLI", 1L));
        changed.put(month.apply(3), Map.of("SIGN", 1L));
        OffsetDateTime changedAt = OffsetDateTime.now(ZoneOffset.UTC); // after the refresh: stored rows count as exact but dirty
        assertThat(sorted(at(changedAt).expiringPerMonth(reunion(null, null, null, null), null))).isEqualTo(sorted(changed));
        assertEveryViewExact(changedAt);
        assertNationalExact(changedAt);
        refresher.refreshAll();
        assertThat(rollupDifferences()).isZero();
        assertEveryViewExact(OffsetDateTime.now(ZoneOffset.UTC));

        // 4. the month changes (an hour into next month), rows stored last month: the window moves by one month
        OffsetDateTime nextMonth = start.apply(1).plusHours(1);
        Map<String, Map<String, Long>> thenByHand = new TreeMap<>(Map.of(
                month.apply(1), Map.of("AUTH_CLI", 1L), // B's, two days into the month; A's was revoked
                month.apply(2), Map.of("?", 1L),
                month.apply(3), Map.of("SIGN", 1L),
                month.apply(5), Map.of("AUTH_CLI", 1L),
                month.apply(11), Map.of("SIGN", 1L),
                month.apply(12), Map.of("CONF", 1L),
                month.apply(13), Map.of("AUTH", 1L))); // now inside the window (partial last month)
        assertThat(oracle(nextMonth, c -> true)).isEqualTo(sorted(thenByHand));
        assertThat(sorted(at(nextMonth).expiringPerMonth(reunion(null, null, null, null), null))).isEqualTo(sorted(thenByHand));
        assertEveryViewExact(nextMonth);
        assertEveryViewExact(start.apply(12).minusMinutes(1)); // a year on: most of the window is past
        // 5. a clock behind the stored rows (computed after it): recomputed from the certificates
        assertEveryViewExact(now.minusDays(40));
        assertEveryViewExact(now.minusMonths(13));

        // 6. B moves to Mayotte (région 06, 976): its stored counts move with it
        jdbc.sql("update structure set departement = '976', region = '06' where id_nat_struct = '1R0000000B'").update();
        assertThat(rollupDifferences()).isZero();
        OffsetDateTime moved = OffsetDateTime.now(ZoneOffset.UTC);
        Map<String, Map<String, Long>> onlyA = oracle(moved, c -> c.structure().equals("A"));
        assertThat(sorted(at(moved).expiringPerMonth(reunion(null, null, null, null), null))).isEqualTo(onlyA);
        assertThat(sorted(at(moved).expiringPerMonth(new DashboardFilter("06", "976", null, null, null, null, null), null)))
                .isEqualTo(oracle(moved, c -> c.structure().equals("B")));
        assertNationalExact(moved);
        jdbc.sql("update structure set departement = '974', region = '04' where id_nat_struct = '1R0000000B'").update();
        assertThat(rollupDifferences()).isZero();
        assertEveryViewExact(OffsetDateTime.now(ZoneOffset.UTC));
    }

    @Test
    void aRefreshStoresTheCountsPerMonthAndSlotFromTheMonthOfComputation() {
        // the stored arrays of a structure with two certificates in the same month and slot, and one in another slot
        jdbc.sql("""
                insert into structure (id, kind, id_nat_struct, finess, name, departement, region, sector)
                values (gen_random_uuid(), 'EJ', '1R0000000C', 'R0000000C', 'GUADELOUPE STORED C', '971', '01', 'BIOLOGIE')""")
                .update();
        YearMonth m = YearMonth.from(OffsetDateTime.now(ZoneOffset.UTC).atZoneSameInstant(PARIS));
        OffsetDateTime m2 = m.plusMonths(2).atDay(10).atStartOfDay(PARIS).toOffsetDateTime();
        certificate("C", "SIGN", "PRODUCTION", "ACTIVE", m2);
        certificate("C", "SIGN", "PRODUCTION", "ACTIVE", m2.plusDays(3));
        certificate("C", "CONF", "TEST", "ACTIVE", m2);
        certificate("C", "CONF", "TEST", "ACTIVE", m.minusMonths(1).atDay(5).atStartOfDay(PARIS).toOffsetDateTime()); // before
        refresher.refreshAll();
        Map<String, Object> stored = jdbc.sql("""
                select array_to_string(expiry_month, ',') as months, array_to_string(expiry_slot, ',') as slots,
                    array_to_string(expiry_n, ',') as n
                from dashboard_summary d join structure s on s.id = d.structure_id where s.id_nat_struct = '1R0000000C'""")
                .query().singleRow();
        int sign = DashboardRepository.SLOTS.indexOf(new DashboardRepository.Slot("PRODUCTION", "SIGN")) + 1;
        int conf = DashboardRepository.SLOTS.indexOf(new DashboardRepository.Slot("TEST", "CONF")) + 1;
        String day = m.plusMonths(2).atDay(1).toString();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("months", day + "," + day);
        expected.put("slots", Math.min(sign, conf) + "," + Math.max(sign, conf));
        expected.put("n", sign < conf ? "2,1" : "1,2");
        assertThat(stored).isEqualTo(expected);
        assertThat(rollupDifferences()).isZero();
        // the name the indicator indexes order by (V82) is the structure's; a rename makes the row dirty at once
        String id = "1R0000000C";
        assertThat(jdbc.sql("select d.sort_name from dashboard_summary d join structure s on s.id = d.structure_id "
                + "where s.id_nat_struct = :id").param("id", id).query(String.class).single()).isEqualTo("guadeloupe stored c");
        jdbc.sql("update structure set name = 'Guadeloupe Renamed C' where id_nat_struct = :id").param("id", id).update();
        assertThat(jdbc.sql("select count(*) from dashboard_summary_dirty x join structure s on s.id = x.structure_id "
                + "where s.id_nat_struct = :id").param("id", id).query(Long.class).single()).isPositive();
        refresher.refreshAll();
        assertThat(jdbc.sql("select d.sort_name from dashboard_summary d join structure s on s.id = d.structure_id "
                + "where s.id_nat_struct = :id").param("id", id).query(String.class).single()).isEqualTo("guadeloupe renamed c");
    }
}
