package org.openigc.server.dashboards;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.openigc.ca.Usage;
import org.openigc.identifiers.Departements;
import org.openigc.identifiers.Region;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dashboards' SQL. Certificate indicators are read from {@code dashboard_summary} (one row per structure, arrays
 * indexed by {@link #SLOTS}); rows that are stale at the instant of the request (a certificate changed, or a
 * time-dependent boundary was crossed since they were computed) are recomputed in the same statement from the
 * certificates, so every figure is exact at the time of reading. Rows are streamed with a cursor so the export never
 * holds every row in memory.
 */
@Repository
class DashboardRepository {
    static final List<String> ENVIRONMENTS = List.of("PRODUCTION", "TEST");

    /** One counter slot of the summary arrays: an environment and a usage (null: certificates without usage). */
    record Slot(String environment, String usage) {
        String key() {
            return environment + "." + (usage == null ? "?" : usage);
        }

        boolean matches(DashboardFilter filter) {
            return (filter.environment() == null || filter.environment().equals(environment))
                    && (filter.usage() == null || filter.usage().equals(usage));
        }

        String sqlCondition(String alias) {
            return alias + ".environment = '" + environment + "' and "
                    + (usage == null ? alias + ".usage is null" : alias + ".usage = '" + usage + "'");
        }
    }

    /** Order of the summary arrays; its size is recorded in the database by dashboard_summary_slots() (V61). */
    static final List<Slot> SLOTS = ENVIRONMENTS.stream()
            .flatMap(environment -> java.util.stream.Stream.concat(Arrays.stream(Usage.values()).map(Enum::name),
                    java.util.stream.Stream.of((String) null)).map(usage -> new Slot(environment, usage)))
            .toList();
    static final List<String> ACTIVE_KEYS = SLOTS.stream().filter(s -> s.usage() != null).map(Slot::key).toList();

    static final Duration DAYS_30 = Duration.ofDays(30);
    static final Duration DAYS_60 = Duration.ofDays(60);
    static final Duration DAYS_90 = Duration.ofDays(90);
    private static final List<String> INDICATORS = List.of("active", "expiring30", "expiring60", "expiring90",
            "expired_no_successor", "revoked90");

    private final JdbcClient jdbc;
    private final TransactionTemplate readOnly;
    private final TransactionTemplate readWrite;
    private final Clock clock;

    DashboardRepository(DataSource dataSource, PlatformTransactionManager transactions, Clock clock) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(1000);
        this.jdbc = JdbcClient.create(new NamedParameterJdbcTemplate(template));
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.readWrite = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** Structures visible in a scope and matching the filter (the {@code s} alias), no certificates involved. */
    private static final String SCOPE = """
            (cast(:region as text) is null or s.region = :region)
            and (cast(:departement as text) is null or s.departement = :departement)
            and (cast(:sector as text) is null or s.sector = :sector)
            and (cast(:q as text) is null or lower(s.name) like :qLike or s.finess like :qPrefix
                 or s.id_nat_struct like :qPrefix)
            and (cast(:person as uuid) is null or exists (
                select 1 from structure_representative r
                where r.person_id = :person and r.role in ('LEGAL_REPRESENTATIVE', 'MANDATAIRE')
                  and r.valid_from <= :today and (r.valid_until is null or r.valid_until >= :today)
                  and (r.structure_id = s.id or r.structure_id = s.parent_id)))
            """;

    /** Certificates counted under the usage and environment filters (the {@code c} alias). */
    private static final String MATCHES = """
            (cast(:usage as text) is null or c.usage = :usage)
            and (cast(:environment as text) is null or c.environment = :environment)""";

    /**
     * A summary row is exact at :now when it was computed before, no boundary has been crossed since, and no
     * certificate of the structure has changed since (no dirty entry).
     */
    private static final String FRESH = "(d.computed_at <= :now and :now < d.valid_until and not exists ("
            + "select 1 from dashboard_summary_dirty x where x.structure_id = d.structure_id))";
    /** Advisory lock held by the refresher for its transaction: one refresher at a time in the cluster. */
    static final long REFRESH_LOCK = 0x0DA5_B0A4_D000L;

    /**
     * The summary rows of the structures whose ids {@code ids} (a uuid[] expression) gives, computed from the
     * certificates at :now. Certificates → (structure, usage, environment, service) "products", so that "expired
     * without successor" is a group flag → one row per structure with one array per indicator. valid_until is the next
     * instant at which a figure changes by itself: an end of validity, 30/60/90 days before one, 90 days after a
     * revocation.
     */
    static String computeSql(String ids) {
        StringBuilder arrays = new StringBuilder();
        for (String indicator : INDICATORS) {
            String column = switch (indicator) {
                case "active" -> "active_n";
                case "expiring30" -> "e30";
                case "expiring60" -> "e60";
                case "expiring90" -> "e90";
                case "expired_no_successor" -> "expired_n";
                default -> "revoked_n";
            };
            String extra = indicator.equals("expired_no_successor") ? " and not p.has_active" : "";
            arrays.append("array[").append(IntStream.range(0, SLOTS.size())
                    .mapToObj(i -> "coalesce(sum(p." + column + ") filter (where p.slot = " + (i + 1) + extra + "), 0)::int")
                    .collect(Collectors.joining(", "))).append("] as ").append(indicator).append(",\n");
        }
        arrays.append("array[coalesce(sum(p.active_n), 0)::int, coalesce(sum(p.e30), 0)::int, coalesce(sum(p.e60), 0)::int, "
                + "coalesce(sum(p.e90), 0)::int, coalesce(sum(p.expired_n) filter (where not p.has_active), 0)::int, "
                + "coalesce(sum(p.revoked_n), 0)::int] as totals,\n");
        String slot = slotSql("c");
        return """
                with cert as (
                    select c.id, c.structure_id, c.service_applicatif, c.status, c.not_after, c.revoked_at, c.renews,
                        %s as slot,
                        (c.status = 'ACTIVE' and c.not_after > :now) as active,
                        (c.status = 'ACTIVE' and c.not_after > :now and c.offer = 'ORG' and c.usage = 'AUTH_CLI'
                         and c.environment = 'PRODUCTION') as dmp_auth,
                        (c.status = 'ACTIVE' and c.not_after > :now and c.offer = 'ORG' and c.usage = 'SIGN'
                         and c.environment = 'PRODUCTION') as dmp_sign
                    from unnest(%s) as i(id)
                    cross join lateral (select * from certificate c where c.structure_id = i.id) c
                ), renewed as (
                    select distinct structure_id, renews as id from cert where active and renews is not null
                ), product as (
                    select cert.structure_id, cert.slot, bool_or(active) as has_active,
                        count(*) filter (where active) as active_n,
                        count(*) filter (where active and not_after <= :in30) as e30,
                        count(*) filter (where active and not_after <= :in60) as e60,
                        count(*) filter (where active and not_after <= :in90) as e90,
                        count(*) filter (where status = 'ACTIVE' and not_after <= :now and renewed.id is null) as expired_n,
                        count(*) filter (where revoked_at >= :ago90) as revoked_n,
                        bool_or(dmp_auth) as dmp_auth, bool_or(dmp_sign) as dmp_sign
                    from cert left join renewed on renewed.id = cert.id and renewed.structure_id = cert.structure_id
                    group by cert.structure_id, cert.slot, cert.service_applicatif
                ), boundary as (
                    select structure_id, min(b) as next_change
                    from cert cross join lateral (values (not_after), (not_after - interval '720 hours'),
                        (not_after - interval '1440 hours'), (not_after - interval '2160 hours'),
                        (revoked_at + interval '2160 hours')) v(b)
                    where b > :now group by structure_id
                )
                select p.structure_id,
                    %s
                    coalesce(bool_or(p.dmp_auth) and bool_or(p.dmp_sign), false) as dmp_ready,
                    coalesce(min(b.next_change), 'infinity') as valid_until
                from product p left join boundary b on b.structure_id = p.structure_id
                group by p.structure_id
                """.formatted(slot, ids, arrays);
    }

    /** The 1-based index in {@link #SLOTS} of the certificate {@code c} (alias), in SQL. */
    static String slotSql(String c) {
        StringBuilder slot = new StringBuilder("case");
        for (int i = 0; i < SLOTS.size(); i++) {
            slot.append(" when ").append(SLOTS.get(i).sqlCondition(c)).append(" then ").append(i + 1);
        }
        // a usage unknown to this version counts as "no usage" of its environment
        slot.append(" else case when ").append(c).append(".environment = 'PRODUCTION' then ")
                .append(SLOTS.indexOf(new Slot("PRODUCTION", null)) + 1)
                .append(" else ").append(SLOTS.indexOf(new Slot("TEST", null)) + 1).append(" end end");
        return slot.toString();
    }

    static final java.time.ZoneId PARIS = java.time.ZoneId.of("Europe/Paris");

    /** Start of the Europe/Paris calendar month of an instant. */
    static OffsetDateTime monthStart(OffsetDateTime instant) {
        return java.time.YearMonth.from(instant.atZoneSameInstant(PARIS)).atDay(1).atStartOfDay(PARIS).toOffsetDateTime();
    }

    /** The Europe/Paris calendar month (its first day) of the end of validity of the certificate {@code c}, in SQL. */
    private static String monthSql(String c) {
        return "cast(date_trunc('month', " + c + ".not_after at time zone 'Europe/Paris') as date)";
    }

    /**
     * Per structure of {@code ids} (a uuid[] expression), its ACTIVE certificates ending from :monthStart on, counted
     * per month of end of validity and slot, as the three parallel arrays that dashboard_summary stores (V81).
     */
    static String expirySql(String ids) {
        return """
                select g.structure_id, array_agg(g.month order by g.month, g.slot) as expiry_month,
                    array_agg(g.slot order by g.month, g.slot) as expiry_slot,
                    array_agg(g.n order by g.month, g.slot) as expiry_n
                from (
                    select c.structure_id, %s as month, cast(%s as smallint) as slot, cast(count(*) as integer) as n
                    from unnest(%s) as i(id)
                    cross join lateral (select * from certificate c where c.structure_id = i.id) c
                    where c.status = 'ACTIVE' and c.not_after >= :monthStart
                    group by 1, 2, 3
                ) g group by g.structure_id""".formatted(monthSql("c"), slotSql("c"), ids);
    }

    /** Sum of the slots of an indicator that the usage and environment filters keep. */
    private static String sum(String indicator, DashboardFilter filter) {
        if (filter.usage() == null && filter.environment() == null) {
            return "coalesce(summ.totals[" + (INDICATORS.indexOf(indicator) + 1) + "], 0)";
        }
        String terms = IntStream.range(0, SLOTS.size()).filter(i -> SLOTS.get(i).matches(filter))
                .mapToObj(i -> "summ." + indicator + "[" + (i + 1) + "]").collect(Collectors.joining(" + "));
        return terms.isEmpty() ? "0" : "coalesce(" + terms + ", 0)";
    }

    /** One row per structure in scope with its indicators (the {@code base} CTE), then the level's selection. */
    private static String rowsSql(DashboardFilter filter, boolean limited) {
        return rowsSql(filter, limited, true, TopPath.SORT);
    }

    /**
     * @param perKeyColumns false: the per environment × usage active counts are 0 (the page's totals and coverage
     *                      chart only read the indicators' sums: 12 columns fewer to compute and sum per structure)
     */
    private static String rowsSql(DashboardFilter filter, boolean limited, boolean perKeyColumns, TopPath top) {
        StringBuilder perKey = new StringBuilder();
        for (int i = 0; i < SLOTS.size(); i++) {
            Slot slot = SLOTS.get(i);
            if (slot.usage() != null) {
                perKey.append(perKeyColumns && slot.matches(filter) ? "coalesce(summ.active[" + (i + 1) + "], 0)" : "0")
                        .append(" as \"").append(slot.key()).append("\",\n");
            }
        }
        String base = """
                with %s, fresh as (
                    select d.structure_id, d.active, d.expiring30, d.expiring60, d.expiring90, d.expired_no_successor,
                        d.revoked90, d.totals, d.dmp_ready
                    from dashboard_summary d join scope on scope.id = d.structure_id where %s
                ), live as (
                    select x.structure_id, x.active, x.expiring30, x.expiring60, x.expiring90, x.expired_no_successor,
                        x.revoked90, x.totals, x.dmp_ready
                    from (%s) x
                ), summ as (
                    select * from fresh union all select * from live
                ), undeliverable as (
                    select u.structure_id, count(*) as n from undeliverable_address u join scope on scope.id = u.structure_id
                    group by u.structure_id
                ), pending as (
                    select h.structure_id, count(*) as n, min(coalesce(h.acknowledged_at, h.submitted_at)) as oldest
                    from habilitation_dossier h join scope on scope.id = h.structure_id
                    where h.status in ('SUBMITTED', 'ACKNOWLEDGED') group by h.structure_id
                ), base as (
                    select scope.*, %s as active_total,
                        %s
                        %s as expiring30, %s as expiring60, %s as expiring90, %s as expired_no_successor,
                        %s as revoked90, coalesce(summ.dmp_ready, false) as dmp_ready,
                        coalesce(u.n, 0) as undeliverable_n, coalesce(p.n, 0) as pending413, p.oldest as oldest_pending
                    from scope left join summ on summ.structure_id = scope.id
                    left join undeliverable u on u.structure_id = scope.id
                    left join pending p on p.structure_id = scope.id
                )
                """.formatted(scopeCte(filter, limited, top), FRESH,
                // stale = past its validity (or computed after :now) or dirty; a union of two joins, no per-structure subplan
                computeSql("array(select d.structure_id from dashboard_summary d join scope on scope.id = d.structure_id "
                        + "where not (d.computed_at <= :now and :now < d.valid_until) "
                        + "union select x.structure_id from dashboard_summary_dirty x join scope on scope.id = x.structure_id)"),
                sum("active", filter), perKey, sum("expiring30", filter), sum("expiring60", filter),
                sum("expiring90", filter), sum("expired_no_successor", filter), sum("revoked90", filter));
        String sums = "count(*) as structures, sum(active_total) as active_total, "
                + ACTIVE_KEYS.stream().map(k -> "sum(\"" + k + "\") as \"" + k + "\", ").collect(Collectors.joining())
                + "sum(expiring30) as expiring30, sum(expiring60) as expiring60, sum(expiring90) as expiring90, "
                + "sum(expired_no_successor) as expired_no_successor, sum(revoked90) as revoked90, "
                + "sum(undeliverable_n) as undeliverable_n, count(*) filter (where dmp_ready) as dmp_ready_structures, "
                + "sum(pending413) as pending413, min(oldest_pending) as oldest_pending";
        String level = switch (filter.level()) {
            case "ej" -> """
                    select 'ej' as level, ej.id, ej.id_nat_struct, ej.finess, ej.name, ej.kind, null as parent_finess,
                        ej.departement, ej.region, ej.sector, %s
                    from (select base.*, coalesce(pscope.id, base.id) as ej_id
                          from base left join scope pscope on pscope.id = base.parent_id) b
                    join structure ej on ej.id = b.ej_id
                    group by ej.id, ej.id_nat_struct, ej.finess, ej.name, ej.kind, ej.departement, ej.region, ej.sector
                    """.formatted(sums);
            case "departement" -> """
                    select 'departement' as level, null::uuid as id, null as id_nat_struct, null as finess,
                        departement as name, 'DEPARTEMENT' as kind, null as parent_finess, departement, region,
                        null as sector, %s
                    from base group by region, departement""".formatted(sums);
            case "region" -> """
                    select 'region' as level, null::uuid as id, null as id_nat_struct, null as finess, region as name,
                        'REGION' as kind, null as parent_finess, null as departement, region, null as sector, %s
                    from base group by region""".formatted(sums);
            case "national" -> """
                    select 'national' as level, null::uuid as id, null as id_nat_struct, null as finess,
                        'France' as name, 'NATIONAL' as kind, null as parent_finess, null as departement,
                        null as region, null as sector, %s
                    from base""".formatted(sums);
            default -> """
                    select 'structure' as level, base.id, base.id_nat_struct, base.finess, base.name, base.kind,
                        parent.finess as parent_finess, base.departement, base.region, base.sector, 1 as structures,
                        base.active_total, %s base.expiring30, base.expiring60, base.expiring90,
                        base.expired_no_successor, base.revoked90, base.undeliverable_n,
                        case when base.dmp_ready then 1 else 0 end as dmp_ready_structures, base.pending413,
                        base.oldest_pending
                    from base left join structure parent on parent.id = base.parent_id
                    """.formatted(ACTIVE_KEYS.stream().map(k -> "base.\"" + k + "\", ").collect(Collectors.joining()));
        };
        // a limited scope already skipped the offset (same order as below): only the limit remains to apply
        boolean offsetInScope = limited && !scopeLimit(filter).isEmpty();
        return base + "select * from (" + level + ") r order by " + orderBy(filter.sort())
                + " limit cast(:limit as bigint)"
                + (offsetInScope ? "" : " offset coalesce(cast(:offset as bigint), 0)");
    }

    /**
     * With a limit, a structure-level table sorted on a structure column only needs one page of structures: the
     * offset and the limit are applied to the scope before any indicator is read (a page of the national table reads
     * the indicators of its 100 structures, not of the 50,000 or of the pages before it). The order is the one
     * {@link #orderBy} gives for the same sort, so the page is exactly that slice of the sorted rows.
     */
    private static String scopeLimit(DashboardFilter filter) {
        if (!filter.level().equals("structure")) {
            return "";
        }
        String sort = filter.sort();
        if (sort == null) {
            return "order by s.region nulls last, s.departement nulls last, lower(s.name), s.id "
                    + "limit cast(:limit as bigint) offset coalesce(cast(:offset as bigint), 0)";
        }
        boolean descending = sort.startsWith("-");
        String column = switch (descending ? sort.substring(1) : sort) {
            case "finess" -> "s.id_nat_struct";
            case "departement" -> "s.departement";
            case "region" -> "s.region";
            case "name" -> "lower(s.name)";
            default -> null;
        };
        return column == null ? "" : "order by " + column + (descending ? " desc" : " asc") + ", lower(s.name), s.id "
                + "limit cast(:limit as bigint) offset coalesce(cast(:offset as bigint), 0)";
    }

    /** The {@code scope} CTE: the structures of the filter, or only those a limited (paged) read can return. */
    /**
     * How the first exact stored rows of an indicator-sorted page are found: SORT every stored row of the scope;
     * INDEX read them from the indicator's index in the page's order (national, no filter: V82 descending, V83
     * ascending).
     */
    enum TopPath { SORT, INDEX }

    private static String scopeCte(DashboardFilter filter, boolean limited, TopPath topPath) {
        String columns = "s.id, s.kind, s.id_nat_struct, s.finess, s.name, s.departement, s.region, s.sector, s.parent_id";
        String pageOfStructures = limited ? scopeLimit(filter) : "";
        String indicator = limited && pageOfStructures.isEmpty() && filter.level().equals("structure")
                ? SUMMARY_SORTS.get(sortColumn(filter.sort())) : null;
        if (indicator == null && !pageOfStructures.isEmpty()) {
            // the page's structure ids first (an index-only scan in the default order, V82), then their rows by
            // primary key: a deep page skips its offset in the index instead of reading limit + offset rows. A join
            // (estimated at the limit), not "= any(array(...))": with limit=100000 the array of 50,000 ids was
            // compared with every row (measured: 44 s for the full national JSON)
            return "scope as (select " + columns + " from structure s join (select s.id from structure s where "
                    + SCOPE + " " + pageOfStructures + ") page on page.id = s.id)";
        }
        if (indicator == null) {
            return "scope as (select " + columns + " from structure s where " + SCOPE + ")";
        }
        // a page sorted on a certificate indicator: the rows that can be on it are the first limit + offset structures
        // with an exact stored row in that order, every structure whose stored row is not exact (recomputed live
        // below), and the first limit + offset structures without any stored row (indicator 0, so in name order); the
        // full sort below then orders these few hundred rows instead of reading every indicator of the scope.
        // The scope is looked up by primary key from an array of the candidates (an InitPlan): the planner
        // estimates a handful of rows and joins the summary, addresses, dossiers and parents by index lookups,
        // whereas "in (select id from candidate)" was estimated at the whole scope and read every table in full.
        // Each branch reads structure with the filter itself (no scope CTE materialising every structure of the
        // scope), so that without filters the first branch can read the stored rows in the order of an indicator
        // total from its index (V82) and stop after the page (plus the ties of its last value). Rows without a
        // stored row count 0: in a descending sort they can only be on the page when fewer than limit + offset
        // exact rows are above 0 (a one-time filter, evaluated once before the anti-join is run at all).
        String key = sum(indicator, filter).replace("summ.", "d.");
        boolean descending = filter.sort().startsWith("-");
        String direction = descending ? " desc" : " asc";
        String firstN = " limit cast(:limit as bigint) + coalesce(cast(:offset as bigint), 0)";
        String absentGate = descending ? "and ((select count(*) from top) < cast(:limit as bigint) + "
                + "coalesce(cast(:offset as bigint), 0) or (select min(k) from top) <= 0)" : "";
        // INDEX: the stored rows in the index's order (sort_name is lower(name) for every exact row: a renamed
        // structure is dirty, V82), registry structures only, as the page orders them
        String top = topPath == TopPath.INDEX ? """
                top as materialized (
                    select d.structure_id as id, %2$s as k from dashboard_summary d
                    where %5$s and exists (select 1 from structure s where s.id = d.structure_id)
                    order by %2$s%3$s, d.sort_name, d.structure_id %6$s
                )""" : """
                top as materialized (
                    select s.id, %2$s as k from structure s join dashboard_summary d on d.structure_id = s.id
                    where %4$s and %5$s
                    order by %2$s%3$s, lower(s.name), s.id %6$s
                )""";
        return (top + """
                , candidate as (
                    select id from top
                    union
                    select d.structure_id from dashboard_summary d join structure s on s.id = d.structure_id
                    where (d.valid_until <= :now or d.computed_at > :now) and %4$s
                    union
                    select x.structure_id from dashboard_summary_dirty x join structure s on s.id = x.structure_id
                    where %4$s
                    union
                    (select s.id from structure s
                     where %4$s and not exists (select 1 from dashboard_summary d where d.structure_id = s.id) %7$s
                     order by lower(s.name), s.id %6$s)
                ), scope as (
                    select %1$s from structure s where s.id = any(array(select id from candidate))
                )""").formatted(columns, key, direction, SCOPE, FRESH, firstN, absentGate);
    }

    /** Sorts on a certificate indicator of the summary → the summary column it sums. */
    private static final Map<String, String> SUMMARY_SORTS = Map.of("active", "active", "expiring30", "expiring30",
            "expiring90", "expiring90", "expiredWithoutSuccessor", "expired_no_successor",
            "revokedLast90Days", "revoked90");

    private static String sortColumn(String sort) {
        return sort == null ? "" : sort.startsWith("-") ? sort.substring(1) : sort;
    }

    private static String orderBy(String sort) {
        if (sort == null) {
            return "r.region nulls last, r.departement nulls last, lower(r.name), r.id";
        }
        boolean descending = sort.startsWith("-");
        String column = switch (descending ? sort.substring(1) : sort) {
            case "finess" -> "r.id_nat_struct";
            case "departement" -> "r.departement";
            case "region" -> "r.region";
            case "active" -> "coalesce(r.active_total, 0)";
            case "expiring30" -> "coalesce(r.expiring30, 0)";
            case "expiring90" -> "coalesce(r.expiring90, 0)";
            case "expiredWithoutSuccessor" -> "coalesce(r.expired_no_successor, 0)";
            case "revokedLast90Days" -> "coalesce(r.revoked90, 0)";
            case "pending413" -> "coalesce(r.pending413, 0)";
            case "oldestPending413" -> "coalesce(:now - r.oldest_pending, interval '0')";
            default -> "lower(r.name)";
        };
        return column + (descending ? " desc" : " asc") + ", lower(r.name), r.id";
    }

    /** Streams at most {@code limit} rows (null: all) of a filter within a scope (person = legal representative scope, else null). */
    void rows(DashboardFilter filter, UUID person, Integer limit, Consumer<DashboardRow> sink) {
        rows(filter, person, limit, 0, sink);
    }

    /** Streams at most {@code limit} rows (null: all) after skipping the first {@code offset} of the sorted rows. */
    void rows(DashboardFilter filter, UUID person, Integer limit, long offset, Consumer<DashboardRow> sink) {
        OffsetDateTime now = now();
        TopPath path = limit != null && indexedSort(filter, person) ? TopPath.INDEX : TopPath.SORT;
        readOnly.executeWithoutResult(status -> workMem().bind(jdbc.sql(rowsSql(filter, limit != null, true, path)),
                        filter, person, now)
                .param("limit", limit).param("offset", offset)
                .query(rs -> {
                    sink.accept(row(rs, now));
                }));
    }

    /**
     * A page of the national table without any filter, sorted on a certificate indicator: its first candidates are
     * read from the indicator's index in the page's order (V82, V83).
     */
    private static boolean indexedSort(DashboardFilter filter, UUID person) {
        return person == null && filter.level().equals("structure") && SUMMARY_SORTS.containsKey(sortColumn(filter.sort()))
                && filter.region() == null && filter.departement() == null && filter.sector() == null && filter.q() == null
                && filter.usage() == null && filter.environment() == null;
    }

    /**
     * One row per région of the filter's scope with the indicators' sums, without the per environment × usage
     * counts (all 0): the page's totals row and coverage chart.
     */
    List<DashboardRow> regionTotals(DashboardFilter filter, UUID person) {
        if (person == null && filter.q() == null) {
            return regionTotalsFromRollup(filter);
        }
        return regionTotalsLean(filter, person);
    }

    /** The structure filters that dashboard_rollup keys on, for the alias {@code a}. */
    private static String keys(String a) {
        return "(cast(:region as text) is null or " + a + ".region = :region) "
                + "and (cast(:departement as text) is null or " + a + ".departement = :departement) "
                + "and (cast(:sector as text) is null or " + a + ".sector = :sector)";
    }

    private static final List<String> ROLLUP_ARRAYS = List.of("active", "expiring30", "expiring60", "expiring90",
            "expired_no_successor", "revoked90", "totals");

    /**
     * The région totals from dashboard_rollup (V62: the stored summary rows summed per région, département and
     * sector), corrected for the structures whose stored row is not exact at :now (past its validity, computed
     * after :now, or dirty): their stored row is subtracted and their live computation added.
     */
    static String rollupSql() {
        String stored = ROLLUP_ARRAYS.stream().map(c -> "dashboard_array_add('{}', d." + c + "::bigint[], -1) as " + c)
                .collect(Collectors.joining(", "));
        String live = ROLLUP_ARRAYS.stream().map(c -> "x." + c + "::bigint[]").collect(Collectors.joining(", "));
        String sums = ROLLUP_ARRAYS.stream().map(c -> "dashboard_array_sum(" + c + ") as " + c)
                .collect(Collectors.joining(", "));
        return """
                with stale as (
                    select d.structure_id as id from dashboard_summary d join structure s on s.id = d.structure_id
                    where (d.valid_until <= :now or d.computed_at > :now) and %1$s
                    union
                    select x.structure_id from dashboard_summary_dirty x join structure s on s.id = x.structure_id
                    where %1$s
                ), parts as (
                    select r.region, r.structures, r.dmp_ready, %2$s
                    from dashboard_rollup r where %3$s
                    union all
                    select s.region, 0, -(d.dmp_ready::int), %4$s
                    from stale join dashboard_summary d on d.structure_id = stale.id join structure s on s.id = stale.id
                    union all
                    select s.region, 0, x.dmp_ready::int, %5$s
                    from (%6$s) x join structure s on s.id = x.structure_id
                )
                select region, sum(structures) as structures, sum(dmp_ready) as dmp_ready, %7$s
                from parts group by region having sum(structures) > 0""".formatted(keys("s"),
                String.join(", ", ROLLUP_ARRAYS.stream().map(c -> "r." + c).toList()), keys("r"), stored, live,
                computeSql("array(select id from stale)"), sums);
    }

    private List<DashboardRow> regionTotalsFromRollup(DashboardFilter filter) {
        OffsetDateTime now = now();
        Map<String, long[]> extra = new LinkedHashMap<>(); // région → undeliverable, pending, oldest pending (epoch s)
        List<Object[]> regions = new ArrayList<>();
        readOnly.executeWithoutResult(status -> {
            workMem().bind(jdbc.sql(rollupSql()), filter, null, now).query(rs -> {
                long[][] arrays = new long[ROLLUP_ARRAYS.size()][];
                for (int i = 0; i < arrays.length; i++) {
                    Object[] values = (Object[]) rs.getArray(ROLLUP_ARRAYS.get(i)).getArray();
                    arrays[i] = new long[values.length];
                    for (int j = 0; j < values.length; j++) {
                        arrays[i][j] = values[j] == null ? 0 : ((Number) values[j]).longValue();
                    }
                }
                regions.add(new Object[] {rs.getString("region"), rs.getLong("structures"), rs.getLong("dmp_ready"), arrays});
            });
            bind(jdbc.sql("""
                    select s.region, count(*) as n from undeliverable_address u join structure s on s.id = u.structure_id
                    where %s group by s.region""".formatted(keys("s"))), filter, null, now)
                    .query(rs -> {
                        extra.computeIfAbsent(key(rs.getString("region")), r -> new long[] {0, 0, Long.MAX_VALUE})[0] = rs.getLong("n");
                    });
            bind(jdbc.sql("""
                    select s.region, count(*) as n, min(coalesce(h.acknowledged_at, h.submitted_at)) as oldest
                    from habilitation_dossier h join structure s on s.id = h.structure_id
                    where h.status in ('SUBMITTED', 'ACKNOWLEDGED') and %s group by s.region""".formatted(keys("s"))),
                    filter, null, now)
                    .query(rs -> {
                        long[] e = extra.computeIfAbsent(key(rs.getString("region")), r -> new long[] {0, 0, Long.MAX_VALUE});
                        e[1] = rs.getLong("n");
                        e[2] = rs.getObject("oldest", OffsetDateTime.class).toEpochSecond();
                    });
        });
        List<DashboardRow> rows = new ArrayList<>();
        for (Object[] r : regions) {
            String region = (String) r[0];
            long[][] arrays = (long[][]) r[3];
            long[] sums = new long[INDICATORS.size()];
            Map<String, Long> active = new LinkedHashMap<>();
            for (int i = 0; i < SLOTS.size(); i++) {
                Slot slot = SLOTS.get(i);
                boolean kept = slot.matches(filter);
                if (slot.usage() != null) {
                    active.put(slot.key(), kept ? at(arrays[0], i) : 0L);
                }
                if (kept && (filter.usage() != null || filter.environment() != null)) {
                    for (int k = 0; k < sums.length; k++) {
                        sums[k] += at(arrays[k], i);
                    }
                }
            }
            if (filter.usage() == null && filter.environment() == null) {
                for (int k = 0; k < sums.length; k++) {
                    sums[k] = at(arrays[INDICATORS.size()], k);
                }
            }
            long[] e = extra.getOrDefault(key(region), new long[] {0, 0, Long.MAX_VALUE});
            long structures = (Long) r[1];
            long dmpReady = (Long) r[2];
            Long oldest = e[2] == Long.MAX_VALUE ? null
                    : Duration.between(OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(e[2]), ZoneOffset.UTC), now).toDays();
            String name = region == null ? "?" : Region.byInseeCode(region).map(Region::label).orElse(region);
            rows.add(new DashboardRow("region", null, null, null, name, "REGION", null, null, region, null, structures,
                    sums[0], active, sums[1], sums[2], sums[3], sums[4], sums[5], e[0], structures > 0 && dmpReady == structures,
                    dmpReady, e[1], oldest));
        }
        rows.sort(java.util.Comparator.comparing(DashboardRow::region, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
        return rows;
    }

    private static String key(String region) {
        return region == null ? "" : region;
    }

    private static long at(long[] array, int i) {
        return i < array.length ? array[i] : 0;
    }

    private List<DashboardRow> regionTotalsLean(DashboardFilter filter, UUID person) {
        OffsetDateTime now = now();
        DashboardFilter byRegion = filter.withLevel("region");
        List<DashboardRow> rows = new ArrayList<>();
        readOnly.executeWithoutResult(status -> workMem().bind(jdbc.sql(rowsSql(byRegion, false, false, TopPath.SORT)), byRegion, person, now)
                .param("limit", null).param("offset", 0L)
                .query(rs -> {
                    rows.add(row(rs, now));
                }));
        return rows;
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of the page's totals query from dashboard_rollup (benchmark only). */
    String explainRegionTotals(DashboardFilter filter) {
        OffsetDateTime now = now();
        List<String> plan = readOnly.execute(status -> workMem().bind(jdbc.sql("explain (analyze, buffers) "
                + rollupSql()), filter, null, now).query(String.class).list());
        return plan == null ? "" : String.join("\n", plan);
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of the rows query (benchmark only). */
    String explainRows(DashboardFilter filter, Integer limit) {
        return explainRows(filter, limit, 0L);
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of the rows query after an offset (benchmark only). */
    String explainRows(DashboardFilter filter, Integer limit, long offset) {
        OffsetDateTime now = now();
        TopPath path = limit != null && indexedSort(filter, null) ? TopPath.INDEX : TopPath.SORT;
        List<String> plan = readOnly.execute(status -> workMem().bind(jdbc.sql("explain (analyze, buffers) "
                        + rowsSql(filter, limit != null, true, path)), filter, null, now)
                .param("limit", limit).param("offset", offset).query(String.class).list());
        return plan == null ? "" : String.join("\n", plan);
    }

    /**
     * Active certificates ending in each of the next 12 months (Paris time), per usage: month "2026-12" → usage → n.
     * The window is (now, now + 12 months]: the rest of the current month, 11 whole months, and the start of the 13th.
     * Without a search or a legal representative's scope, the whole months are read from dashboard_expiry_rollup (V81)
     * corrected for the dirty structures, and only the two partial months are counted from the certificates.
     */
    Map<String, Map<String, Long>> expiringPerMonth(DashboardFilter filter, UUID person) {
        OffsetDateTime now = now();
        java.time.YearMonth first = java.time.YearMonth.from(now.atZoneSameInstant(PARIS));
        boolean aggregated = person == null && filter.q() == null;
        String sql = aggregated ? expiryFromRollupSql() : expiryFromCertificatesSql();
        String slots = IntStream.range(0, SLOTS.size()).filter(i -> SLOTS.get(i).matches(filter))
                .mapToObj(i -> String.valueOf(i + 1)).collect(Collectors.joining(",", "{", "}"));
        Map<String, Map<String, Long>> result = new LinkedHashMap<>();
        lastChartSql = sql;
        readOnly.executeWithoutResult(status -> expiryParams(workMem().bind(jdbc.sql(sql), filter, person, now), now, slots)
                .query(rs -> {
                    java.time.YearMonth month = java.time.YearMonth.from(rs.getObject("month", java.time.LocalDate.class));
                    String usage = SLOTS.get(rs.getInt("slot") - 1).usage();
                    result.computeIfAbsent(month.toString(), m -> new LinkedHashMap<>())
                            .merge(usage == null ? "?" : usage, rs.getLong("n"), Long::sum);
                }));
        // months in order, usages in the order of the slots (as the former query's order by gave)
        Map<String, Map<String, Long>> ordered = new LinkedHashMap<>();
        for (int i = 0; i <= 12; i++) {
            Map<String, Long> usages = result.get(first.plusMonths(i).toString());
            if (usages != null) {
                Map<String, Long> sorted = new java.util.TreeMap<>(usages);
                ordered.put(first.plusMonths(i).toString(), new LinkedHashMap<>(sorted));
            }
        }
        return ordered;
    }

    private JdbcClient.StatementSpec expiryParams(JdbcClient.StatementSpec spec, OffsetDateTime now, String slots) {
        OffsetDateTime start = monthStart(now);
        java.time.LocalDate m0 = start.atZoneSameInstant(PARIS).toLocalDate();
        return spec.param("until", now.plusMonths(12)).param("slots", slots)
                .param("start1", monthStart(now).atZoneSameInstant(PARIS).plusMonths(1).toOffsetDateTime())
                .param("start12", monthStart(now).atZoneSameInstant(PARIS).plusMonths(12).toOffsetDateTime())
                .param("m0", m0).param("m1", m0.plusMonths(1)).param("m12", m0.plusMonths(12));
    }

    /** The chart from the certificates of the structures in scope (a search, or a legal representative's scope). */
    private static String expiryFromCertificatesSql() {
        return """
                select month, slot, count(*) as n from (
                    select case when c.not_after < :start1 then cast(:m0 as date) else %s end as month, %s as slot
                    from certificate c join structure s on s.id = c.structure_id
                    where %s and c.status = 'ACTIVE' and c.not_after > :now and c.not_after <= :until
                ) c where slot = any(cast(:slots as int[])) group by 1, 2""".formatted(monthSql("c"), slotSql("c"), SCOPE);
    }

    /**
     * The chart from dashboard_expiry_rollup for the whole months [m1, m12), corrected for the structures whose stored
     * counts are not exact (dirty, or computed after :now): their stored counts subtracted, their certificates
     * counted; plus the partial months (now, start1) and [start12, until] counted from the certificates.
     */
    static String expiryFromRollupSql() {
        return """
                with stale as (
                    select x.structure_id as id from dashboard_summary_dirty x join structure s on s.id = x.structure_id
                    where %1$s
                    union
                    select d.structure_id from dashboard_summary d join structure s on s.id = d.structure_id
                    where d.computed_at > :now and %1$s
                ), parts as (
                    select r.month, r.slot::int as slot, r.n from dashboard_expiry_rollup r
                    where %2$s and r.month >= :m1 and r.month < :m12
                    union all
                    select u.month, u.slot::int, -u.n::bigint from stale join dashboard_summary d on d.structure_id = stale.id
                    cross join unnest(d.expiry_month, d.expiry_slot, d.expiry_n) u(month, slot, n)
                    where u.month >= :m1 and u.month < :m12
                    union all
                    select %3$s, %4$s, count(*)
                    from unnest(array(select id from stale)) as i(id)
                    cross join lateral (select * from certificate c where c.structure_id = i.id) c
                    where c.status = 'ACTIVE' and c.not_after >= :start1 and c.not_after < :start12
                    group by 1, 2
                    union all
                    select case when c.not_after < :start1 then cast(:m0 as date) else cast(:m12 as date) end, %4$s,
                        count(*)
                    from certificate c join structure s on s.id = c.structure_id
                    where %1$s and c.status = 'ACTIVE' and ((c.not_after > :now and c.not_after < :start1)
                        or (c.not_after >= :start12 and c.not_after <= :until))
                    group by 1, 2
                )
                select month, slot, sum(n) as n from parts where slot = any(cast(:slots as int[]))
                group by 1, 2 having sum(n) <> 0""".formatted(keys("s"), keys("r"), monthSql("c"), slotSql("c"));
    }

    /** EXPLAIN (ANALYZE, BUFFERS) of the expiry chart's query (benchmark only). */
    String explainExpiringPerMonth(DashboardFilter filter) {
        lastChartSql = null;
        expiringPerMonth(filter, null);
        String sql = lastChartSql;
        OffsetDateTime now = now();
        String slots = IntStream.range(0, SLOTS.size()).filter(i -> SLOTS.get(i).matches(filter))
                .mapToObj(i -> String.valueOf(i + 1)).collect(Collectors.joining(",", "{", "}"));
        List<String> plan = readOnly.execute(status -> expiryParams(workMem().bind(jdbc.sql("explain (analyze, buffers) "
                + sql), filter, null, now), now, slots).query(String.class).list());
        return plan == null ? "" : String.join("\n", plan);
    }

    private volatile String lastChartSql;

    /** Upper bounds (exclusive, in days) of the processing-time buckets; the last bucket is "30 days or more". */
    static final double[] PROCESSING_BUCKETS = {1, 3, 7, 15, 30};

    /**
     * Form 413 processing times for the structures in scope: dossiers decided (approved or rejected) in the last 365
     * days by time from first submission to decision, and dossiers pending by age since their last acknowledgement,
     * in the buckets of {@link #PROCESSING_BUCKETS}; plus the median processing time of the decided ones.
     */
    ProcessingTimes processingTimes(DashboardFilter filter, UUID person) {
        OffsetDateTime now = now();
        String sql = """
                select pending, width_bucket(days, cast(:buckets as float8[])) as bucket, count(*) as n,
                       percentile_cont(0.5) within group (order by days) as median
                from (
                    select h.status in ('SUBMITTED', 'ACKNOWLEDGED') as pending,
                        cast(extract(epoch from case when h.status in ('SUBMITTED', 'ACKNOWLEDGED')
                            then :now - coalesce(h.acknowledged_at, h.submitted_at)
                            else h.decided_at - h.submitted_at end) / 86400.0 as float8) as days
                    from habilitation_dossier h left join structure s on s.id = h.structure_id
                    where %s and (h.status in ('SUBMITTED', 'ACKNOWLEDGED')
                        or (h.status in ('APPROVED', 'REJECTED') and h.decided_at > :ago365))
                ) d
                group by grouping sets ((pending, bucket), (pending))""".formatted(SCOPE);
        long[] decided = new long[PROCESSING_BUCKETS.length + 1];
        long[] pending = new long[PROCESSING_BUCKETS.length + 1];
        Double[] median = {null};
        String buckets = Arrays.stream(PROCESSING_BUCKETS).mapToObj(Double::toString)
                .collect(Collectors.joining(",", "{", "}"));
        // every dossier has its structure (foreign key), so the left join equals the inner join; without a structure
        // filter (custom plan: the filters fold to true) the planner removes it instead of hashing every structure
        readOnly.executeWithoutResult(status -> workMem().bind(jdbc.sql(sql), filter, person, now)
                .param("buckets", buckets).param("ago365", now.minus(Duration.ofDays(365)))
                .query(rs -> {
                    boolean isPending = rs.getBoolean("pending");
                    Object bucket = rs.getObject("bucket");
                    if (bucket == null) {
                        if (!isPending) {
                            median[0] = rs.getDouble("median");
                        }
                    } else {
                        (isPending ? pending : decided)[((Number) bucket).intValue()] += rs.getLong("n");
                    }
                }));
        return new ProcessingTimes(decided, pending, median[0]);
    }

    /** Counts per bucket ({@link #PROCESSING_BUCKETS}; index 0: under 1 day), and the median in days (null: none decided). */
    record ProcessingTimes(long[] decided, long[] pending, Double medianDays) {
    }

    /**
     * Recomputes the structures of up to {@code batch} dirty entries and up to {@code batch} rows whose validity has
     * ended, and returns how many structures. One refresher at a time in the cluster (transaction-level advisory lock;
     * unless {@code wait}, another instance gets 0 and tries again later). The recomputation is a statement after the read of the dirty
     * entries, so its snapshot sees the certificate changes of every entry read; exactly those entries are then
     * deleted — an entry committed meanwhile stays, and the row stays dirty until the next run.
     */
    int refreshStale(int batch, boolean wait) {
        OffsetDateTime now = now();
        Integer done = readWrite.execute(status -> {
            if (wait) {
                jdbc.sql("select pg_advisory_xact_lock(:lock)").param("lock", REFRESH_LOCK).query().singleValue();
            } else if (!Boolean.TRUE.equals(jdbc.sql("select pg_try_advisory_xact_lock(:lock)").param("lock", REFRESH_LOCK)
                    .query(Boolean.class).single())) {
                return 0;
            }
            List<Long> entries = new ArrayList<>();
            java.util.Set<String> ids = new java.util.LinkedHashSet<>();
            jdbc.sql("select id, structure_id from dashboard_summary_dirty order by id limit :batch")
                    .param("batch", batch).query(rs -> {
                        entries.add(rs.getLong(1));
                        ids.add(rs.getString(2));
                    });
            ids.addAll(jdbc.sql("""
                    select structure_id from dashboard_summary where valid_until <= :now order by valid_until limit :batch""")
                    .param("now", now).param("batch", batch).query(String.class).list());
            if (ids.isEmpty()) {
                return 0;
            }
            String idArray = "cast(:ids as uuid[])";
            List<String> arraysColumns = new ArrayList<>(INDICATORS);
            arraysColumns.add("totals");
            String columns = String.join(", ", arraysColumns);
            String values = arraysColumns.stream().map(i -> "coalesce(x." + i + ", '{}')").collect(Collectors.joining(", "));
            String updates = arraysColumns.stream().map(i -> i + " = excluded." + i).collect(Collectors.joining(", "));
            jdbc.sql("""
                    insert into dashboard_summary (structure_id, computed_at, valid_until, %s, dmp_ready,
                        expiry_month, expiry_slot, expiry_n, sort_name)
                    select i.id, :now, coalesce(x.valid_until, 'infinity'), %s, coalesce(x.dmp_ready, false),
                        coalesce(e.expiry_month, '{}'), coalesce(e.expiry_slot, '{}'), coalesce(e.expiry_n, '{}'),
                        (select lower(s.name) from structure s where s.id = i.id)
                    from unnest(%s) i(id) left join (%s) x on x.structure_id = i.id
                    left join (%s) e on e.structure_id = i.id
                    on conflict (structure_id) do update set computed_at = excluded.computed_at,
                        valid_until = excluded.valid_until, %s, dmp_ready = excluded.dmp_ready,
                        expiry_month = excluded.expiry_month, expiry_slot = excluded.expiry_slot,
                        expiry_n = excluded.expiry_n, sort_name = excluded.sort_name"""
                    .formatted(columns, values, idArray, computeSql(idArray), expirySql(idArray), updates))
                    .param("ids", "{" + String.join(",", ids) + "}").param("monthStart", monthStart(now))
                    .param("now", now).param("in30", now.plus(DAYS_30)).param("in60", now.plus(DAYS_60))
                    .param("in90", now.plus(DAYS_90)).param("ago90", now.minus(DAYS_90))
                    .update();
            if (!entries.isEmpty()) {
                jdbc.sql("delete from dashboard_summary_dirty where id = any(cast(:entries as bigint[]))")
                        .param("entries", entries.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}")))
                        .update();
            }
            return ids.size();
        });
        return done == null ? 0 : done;
    }

    /** Structures that the next request would recompute on the fly (dirty or past their validity). */
    long staleCount() {
        OffsetDateTime now = now();
        return jdbc.sql("""
                select (select count(distinct structure_id) from dashboard_summary_dirty)
                     + (select count(*) from dashboard_summary where valid_until <= :now)""")
                .param("now", now).query(Long.class).single();
    }

    int slotsInDatabase() {
        return jdbc.sql("select dashboard_summary_slots()").query(Integer.class).single();
    }

    /**
     * The national table sorts and hashes 50,000 rows: with the default 4 MB these spill to disk. Raised for the
     * dashboards' read-only transaction only; and custom plans only (below).
     */
    private DashboardRepository workMem() {
        jdbc.sql("set local work_mem = '64MB'").update();
        // the filters are "cast(:x as text) is null or column = :x": only a plan made for the actual values can drop
        // the unused ones and use the limit; after 5 executions the JDBC driver prepares the statement on the server
        // and PostgreSQL may switch to a generic plan (measured: the 1,000-row JSON page went from 0.3 s to 5 s)
        jdbc.sql("set local plan_cache_mode = force_custom_plan").update();
        return this;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, DashboardFilter filter, UUID person,
                                          OffsetDateTime now) {
        String q = filter.q() == null ? null : filter.q().toLowerCase(java.util.Locale.ROOT);
        return spec.param("region", filter.region()).param("departement", filter.departement())
                .param("sector", filter.sector()).param("q", q)
                .param("qLike", q == null ? null : "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                .param("qPrefix", q == null ? null : q.toUpperCase(java.util.Locale.ROOT).replace("%", "") + "%")
                .param("person", person).param("today", now.toLocalDate())
                .param("usage", filter.usage()).param("environment", filter.environment()).param("now", now)
                .param("in30", now.plus(DAYS_30)).param("in60", now.plus(DAYS_60)).param("in90", now.plus(DAYS_90))
                .param("ago90", now.minus(DAYS_90));
    }

    private static DashboardRow row(ResultSet rs, OffsetDateTime now) throws SQLException {
        Map<String, Long> active = new LinkedHashMap<>();
        for (String key : ACTIVE_KEYS) {
            active.put(key, rs.getLong(key));
        }
        String level = rs.getString("level");
        String name = rs.getString("name");
        if (level.equals("departement") && name != null) {
            name = Departements.nameOf(name).orElse(name);
        } else if (level.equals("region")) {
            name = name == null ? "?" : Region.byInseeCode(name).map(Region::label).orElse(name);
        }
        long structures = rs.getLong("structures");
        long dmpReady = rs.getLong("dmp_ready_structures");
        OffsetDateTime oldest = rs.getObject("oldest_pending", OffsetDateTime.class);
        return new DashboardRow(level, rs.getObject("id", UUID.class), rs.getString("id_nat_struct"),
                rs.getString("finess"), name, rs.getString("kind"), rs.getString("parent_finess"),
                rs.getString("departement"), rs.getString("region"), rs.getString("sector"), structures,
                rs.getLong("active_total"), active, rs.getLong("expiring30"), rs.getLong("expiring60"),
                rs.getLong("expiring90"), rs.getLong("expired_no_successor"), rs.getLong("revoked90"),
                rs.getLong("undeliverable_n"), structures > 0 && dmpReady == structures, dmpReady,
                rs.getLong("pending413"), oldest == null ? null : Duration.between(oldest, now).toDays());
    }

    static List<String> slotKeys() {
        return new ArrayList<>(SLOTS.stream().map(Slot::key).toList());
    }
}
