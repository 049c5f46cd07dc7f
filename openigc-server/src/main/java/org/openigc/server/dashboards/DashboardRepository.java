package org.openigc.server.dashboards;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.openigc.ca.Usage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dashboards' SQL: one aggregation over the certificates of the structures in scope (no query per structure),
 * streamed with a cursor so the export never holds every row in memory.
 */
@Repository
class DashboardRepository {
    static final List<String> ENVIRONMENTS = List.of("PRODUCTION", "TEST");
    static final List<String> ACTIVE_KEYS = ENVIRONMENTS.stream()
            .flatMap(environment -> java.util.Arrays.stream(Usage.values()).map(usage -> environment + "." + usage.name()))
            .toList();

    private final JdbcClient jdbc;
    private final TransactionTemplate readOnly;
    private final Clock clock;

    DashboardRepository(DataSource dataSource, PlatformTransactionManager transactions, Clock clock) {
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setFetchSize(1000);
        this.jdbc = JdbcClient.create(new NamedParameterJdbcTemplate(template));
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
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
     * Two-level aggregation in one statement: certificates → (structure, usage, environment, service) "products", so
     * that "expired without successor" is a group flag rather than a correlated sub-query per expired certificate →
     * structures.
     */
    private static String rowsSql(String orderBy) {
        StringBuilder perKey = new StringBuilder();
        for (String key : ACTIVE_KEYS) {
            String[] parts = key.split("\\.");
            perKey.append("sum(active_n) filter (where environment = '").append(parts[0])
                    .append("' and usage = '").append(parts[1]).append("') as \"").append(key).append("\",\n");
        }
        return """
                with scope as (
                    select s.id, s.kind, s.id_nat_struct, s.finess, s.name, s.departement, s.region, s.sector, s.parent_id
                    from structure s where %s
                ), renewed as (
                    select distinct c.renews as id from certificate c join scope on scope.id = c.structure_id
                    where c.renews is not null and c.status = 'ACTIVE' and c.not_after > :now
                ), cert as (
                    select c.structure_id, c.usage, c.environment, c.service_applicatif, c.offer, c.not_after, c.revoked_at,
                        (c.status = 'ACTIVE' and c.not_after > :now) as active,
                        (c.status = 'ACTIVE' and c.not_after <= :now and renewed.id is null) as expired,
                        (%s) as m
                    from certificate c join scope on scope.id = c.structure_id left join renewed on renewed.id = c.id
                ), product as (
                    select structure_id, usage, environment, bool_or(active) as has_active,
                        count(*) filter (where m and active) as active_n,
                        count(*) filter (where m and active and not_after <= :in30) as e30,
                        count(*) filter (where m and active and not_after <= :in60) as e60,
                        count(*) filter (where m and active and not_after <= :in90) as e90,
                        count(*) filter (where m and expired) as expired_n,
                        count(*) filter (where m and revoked_at >= :ago90) as revoked_n,
                        bool_or(active and offer = 'ORG' and usage = 'AUTH_CLI' and environment = 'PRODUCTION') as dmp_auth,
                        bool_or(active and offer = 'ORG' and usage = 'SIGN' and environment = 'PRODUCTION') as dmp_sign
                    from cert group by structure_id, usage, environment, service_applicatif
                ), counted as (
                    select structure_id, sum(active_n) as active_total,
                        %s
                        sum(e30) as expiring30, sum(e60) as expiring60, sum(e90) as expiring90,
                        sum(expired_n) filter (where not has_active) as expired_no_successor,
                        sum(revoked_n) as revoked90,
                        bool_or(dmp_auth) and bool_or(dmp_sign) as dmp_ready
                    from product group by structure_id
                ), undeliverable as (
                    select u.structure_id, count(*) as n from undeliverable_address u join scope on scope.id = u.structure_id
                    group by u.structure_id
                )
                select scope.*, parent.finess as parent_finess, counted.*, coalesce(undeliverable.n, 0) as undeliverable_n
                from scope
                left join counted on counted.structure_id = scope.id
                left join undeliverable on undeliverable.structure_id = scope.id
                left join structure parent on parent.id = scope.parent_id
                order by %s
                """.formatted(SCOPE, MATCHES, perKey, orderBy);
    }

    private static String orderBy(String sort) {
        if (sort == null) {
            return "scope.region nulls last, scope.departement, scope.name, scope.id";
        }
        boolean descending = sort.startsWith("-");
        String column = switch (descending ? sort.substring(1) : sort) {
            case "finess" -> "scope.id_nat_struct";
            case "departement" -> "scope.departement";
            case "region" -> "scope.region";
            case "active" -> "coalesce(counted.active_total, 0)";
            case "expiring30" -> "coalesce(counted.expiring30, 0)";
            case "expiring90" -> "coalesce(counted.expiring90, 0)";
            case "expiredWithoutSuccessor" -> "coalesce(counted.expired_no_successor, 0)";
            case "revokedLast90Days" -> "coalesce(counted.revoked90, 0)";
            default -> "lower(scope.name)";
        };
        return column + (descending ? " desc" : " asc") + ", lower(scope.name), scope.id";
    }

    /** Streams the rows of a filter within a scope (person = legal representative scope, else null). */
    void rows(DashboardFilter filter, UUID person, Consumer<DashboardRow> sink) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        readOnly.executeWithoutResult(status -> bind(jdbc.sql(rowsSql(orderBy(filter.sort()))), filter, person, now)
                .param("in30", now.plus(Duration.ofDays(30)))
                .param("in60", now.plus(Duration.ofDays(60)))
                .param("in90", now.plus(Duration.ofDays(90)))
                .param("ago90", now.minus(Duration.ofDays(90)))
                .query(rs -> {
                    sink.accept(row(rs));
                }));
    }

    /** Active certificates ending in each of the next 12 months (Paris time), per usage: month "2026-12" → usage → n. */
    Map<String, Map<String, Long>> expiringPerMonth(DashboardFilter filter, UUID person) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        String sql = """
                select to_char(c.not_after at time zone 'Europe/Paris', 'YYYY-MM') as month, coalesce(c.usage, '?') as usage,
                       count(*) as n
                from certificate c join structure s on s.id = c.structure_id
                where %s and %s and c.status = 'ACTIVE' and c.not_after > :now and c.not_after <= :until
                group by 1, 2 order by 1, 2""".formatted(SCOPE, MATCHES);
        Map<String, Map<String, Long>> result = new LinkedHashMap<>();
        bind(jdbc.sql(sql), filter, person, now).param("until", now.plusMonths(12))
                .query(rs -> {
                    result.computeIfAbsent(rs.getString("month"), m -> new LinkedHashMap<>())
                            .put(rs.getString("usage"), rs.getLong("n"));
                });
        return result;
    }

    private JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec, DashboardFilter filter, UUID person,
                                          OffsetDateTime now) {
        String q = filter.q() == null ? null : filter.q().toLowerCase(java.util.Locale.ROOT);
        return spec.param("region", filter.region()).param("departement", filter.departement())
                .param("sector", filter.sector()).param("q", q)
                .param("qLike", q == null ? null : "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
                .param("qPrefix", q == null ? null : q.toUpperCase(java.util.Locale.ROOT).replace("%", "") + "%")
                .param("person", person).param("today", now.toLocalDate())
                .param("usage", filter.usage()).param("environment", filter.environment()).param("now", now);
    }

    private static DashboardRow row(ResultSet rs) throws SQLException {
        Map<String, Long> active = new LinkedHashMap<>();
        for (String key : ACTIVE_KEYS) {
            active.put(key, rs.getLong(key));
        }
        return new DashboardRow(rs.getObject("id", UUID.class), rs.getString("id_nat_struct"), rs.getString("finess"),
                rs.getString("name"), rs.getString("kind"), rs.getString("parent_finess"), rs.getString("departement"),
                rs.getString("region"), rs.getString("sector"), rs.getLong("active_total"), active,
                rs.getLong("expiring30"), rs.getLong("expiring60"), rs.getLong("expiring90"),
                rs.getLong("expired_no_successor"), rs.getLong("revoked90"), rs.getLong("undeliverable_n"),
                rs.getBoolean("dmp_ready"));
    }
}
