package org.openigc.server.certificates;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the certificates feature. Every list is paginated and served by an index. */
@Repository
class CertificateRepository {
    private static final String COLUMNS = """
            c.id, c.serial_number, c.status, c.environment, c.offer, c.usage, c.profile, c.structure_id,
            c.service_applicatif, c.dns_names, c.subject, c.not_before, c.not_after, c.fingerprint_sha256,
            c.actor_email, c.cc_email, c.renews, c.revoked_at, c.revocation_reason, c.channel, c.ca_name,
            c.requested_by, c.revocation_code_hash, c.der,
            (select r.id from certificate r where r.renews = c.id and r.status = 'ACTIVE' limit 1) as renewed_by
            """;

    /** The columns of lists and exports: no DER body, no revocation code hash (neither is shown there). */
    private static final String LIST_COLUMNS = """
            c.id, c.serial_number, c.status, c.environment, c.offer, c.usage, c.profile, c.structure_id,
            c.service_applicatif, c.dns_names, c.subject, c.not_before, c.not_after, c.fingerprint_sha256,
            c.actor_email, c.cc_email, c.renews, c.revoked_at, c.revocation_reason, c.channel, c.ca_name,
            c.requested_by, null::text as revocation_code_hash, null::bytea as der
            """;
    /** The successor is looked up for the rows of the page only, not for every row an offset skips. */
    private static final String RENEWED_BY = """
            (select r.id from certificate r where r.renews = p.id and r.status = 'ACTIVE' limit 1) as renewed_by
            """;
    /** Counts stop this many rows past the page: a broad operator list never counts the whole table. */
    static final int COUNT_AHEAD = 10_000;

    private final JdbcClient jdbc;

    CertificateRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Stored(UUID id, String serialNumber, String status, String environment, String offer, String usage,
                  String profile, UUID structureId, String serviceApplicatif, List<String> dnsNames, String subject,
                  Instant notBefore, Instant notAfter, String fingerprint, String actorEmail, String ccEmail,
                  UUID renews, UUID renewedBy, Instant revokedAt, String revocationReason, String channel,
                  String caName, UUID requestedBy, String revocationCodeHash, byte[] der) {

        X509Certificate certificate() {
            try {
                return (X509Certificate) CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der));
            } catch (CertificateException e) {
                throw new IllegalStateException(e);
            }
        }

        /** ACTIVE rows past their end are shown and treated as EXPIRED. */
        String effectiveStatus(Instant now) {
            return "ACTIVE".equals(status) && !notAfter.isAfter(now) ? "EXPIRED" : status;
        }
    }

    void recordProduct(UUID id, UUID structureId, String offer, String usage, String serviceApplicatif,
                       List<String> dnsNames, String actorEmail, String ccEmail, UUID requestedBy,
                       String revocationCodeHash, Instant termsAcceptedAt, UUID renews, boolean generatedOnline) {
        jdbc.sql("""
                update certificate set structure_id = :structure, offer = :offer, usage = :usage,
                       service_applicatif = :service, dns_names = :dns::text[], actor_email = :actor, cc_email = :cc,
                       requested_by = :requestedBy, revocation_code_hash = :code, terms_accepted_at = :terms,
                       renews = :renews, key_generated_online = :generated
                where id = :id
                """)
                .param("structure", structureId).param("offer", offer).param("usage", usage)
                .param("service", serviceApplicatif).param("dns", "{" + String.join(",", dnsNames) + "}")
                .param("actor", actorEmail).param("cc", ccEmail).param("requestedBy", requestedBy)
                .param("code", revocationCodeHash).param("terms", Timestamp.from(termsAcceptedAt))
                .param("renews", renews).param("generated", generatedOnline).param("id", id)
                .update();
    }

    Optional<Stored> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from certificate c where c.id = :id and c.status <> 'ISSUING'")
                .param("id", id).query(CertificateRepository::map).optional();
    }

    Optional<Stored> findForUpdate(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from certificate c where c.id = :id and c.status <> 'ISSUING' for update")
                .param("id", id).query(CertificateRepository::map).optional();
    }

    Optional<Stored> findBySerialForUpdate(String serialNumber) {
        return jdbc.sql("select " + COLUMNS + " from certificate c where c.serial_number = :serial for update")
                .param("serial", serialNumber).query(CertificateRepository::map).optional();
    }

    /** One key, one certificate: another active certificate already certifies this public key. */
    boolean keyInUse(String publicKeySha256, Instant now) {
        return jdbc.sql("""
                select exists (select 1 from certificate where public_key_sha256 = :key
                               and status in ('ACTIVE', 'ISSUING') and not_after > :now)
                """).param("key", publicKeySha256).param("now", Timestamp.from(now)).query(Boolean.class).single();
    }

    /** Keys ever used by a revoked certificate are never certified again. */
    boolean keyRevoked(String publicKeySha256) {
        return jdbc.sql("select exists (select 1 from certificate where public_key_sha256 = :key and status = 'REVOKED')")
                .param("key", publicKeySha256).query(Boolean.class).single();
    }

    void revoke(UUID id, Instant at, String reason, String by) {
        jdbc.sql("""
                update certificate set status = 'REVOKED', revoked_at = :at, revocation_reason = :reason, revoked_by = :by
                where id = :id and status = 'ACTIVE'
                """).param("at", Timestamp.from(at)).param("reason", reason).param("by", by).param("id", id).update();
    }

    record Filter(List<UUID> structures, String status, String environment, Integer expiringWithinDays, String q,
                  String sort, int page, int size, String usage) {
    }

    private record Query(String where, Map<String, Object> params, String order) {
    }

    /** {@code exact}: false when the count stopped at its bound (there are at least {@code total} rows). */
    record Page(List<Stored> items, long total, boolean exact) {
    }

    /** {@code structures == null} means every structure (operators). */
    private static Query query(Filter filter, Instant now) {
        StringBuilder where = new StringBuilder(" where c.status in ('ACTIVE', 'REVOKED') and c.structure_id is not null");
        Map<String, Object> params = new HashMap<>();
        if (filter.structures() != null) {
            where.append(" and c.structure_id = any(:structures)");
            params.put("structures", filter.structures().toArray(UUID[]::new));
        }
        if (filter.status() != null) {
            switch (filter.status()) {
                case "ACTIVE" -> where.append(" and c.status = 'ACTIVE' and c.not_after > :now");
                case "EXPIRED" -> where.append(" and c.status = 'ACTIVE' and c.not_after <= :now");
                case "REVOKED" -> where.append(" and c.status = 'REVOKED'");
                default -> throw new IllegalArgumentException("status");
            }
        }
        if (filter.environment() != null) {
            where.append(" and c.environment = :environment");
            params.put("environment", filter.environment());
        }
        if (filter.usage() != null) {
            where.append(" and c.usage = :usage");
            params.put("usage", filter.usage());
        }
        if (filter.expiringWithinDays() != null) {
            where.append(" and c.status = 'ACTIVE' and c.not_after > :now and c.not_after <= :horizon");
            params.put("horizon", Timestamp.from(now.plus(Duration.ofDays(filter.expiringWithinDays()))));
        }
        if (filter.q() != null && !filter.q().isBlank()) {
            where.append(" and (c.service_applicatif ilike :q escape '\\' or c.serial_number = lower(:exact)"
                    + " or c.subject ilike :q escape '\\')");
            params.put("q", "%" + filter.q().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            params.put("exact", filter.q().strip());
        }
        params.put("now", Timestamp.from(now));
        String order = switch (filter.sort() == null ? "notAfter" : filter.sort()) {
            case "-notAfter" -> "c.not_after desc, c.id";
            case "serviceApplicatif" -> "c.service_applicatif, c.id";
            case "-notBefore" -> "c.not_before desc, c.id";
            default -> "c.not_after, c.id";
        };
        return new Query(where.toString(), params, order);
    }

    /** {@code structures == null} means every structure (operators). */
    Page search(Filter filter, Instant now) {
        Query query = query(filter, now);
        long offset = (long) filter.page() * filter.size();
        long cap = offset + filter.size() + COUNT_AHEAD;
        long total = jdbc.sql(countSql(query)).params(query.params()).param("cap", cap).query(Long.class).single();
        List<Stored> items = jdbc.sql(pageSql(query)).params(query.params()).param("limit", filter.size())
                .param("offset", offset).query(CertificateRepository::map).list();
        return new Page(items, total, total < cap);
    }

    private static String countSql(Query query) {
        return "select count(*) from (select 1 from certificate c" + query.where() + " limit :cap) bounded";
    }

    private static String pageSql(Query query) {
        String order = query.order().replace("c.", "p.");
        return "select p.*, " + RENEWED_BY + " from (select " + LIST_COLUMNS + " from certificate c" + query.where()
                + " order by " + query.order() + " limit :limit offset :offset) p order by " + order;
    }

    /**
     * The plan PostgreSQL picks for the list query of {@code filter} (and, when {@code count}, for its total), as
     * {@code EXPLAIN (ANALYZE, BUFFERS)} lines: the tracking benchmark checks that every case uses an index.
     */
    List<String> explain(Filter filter, Instant now, boolean count) {
        Query query = query(filter, now);
        long offset = (long) filter.page() * filter.size();
        String sql = count ? countSql(query) : pageSql(query);
        return jdbc.sql("explain (analyze, buffers) " + sql).params(query.params()).param("limit", filter.size())
                .param("offset", offset).param("cap", offset + filter.size() + COUNT_AHEAD).query(String.class).list();
    }

    /** Every matching row in order, fetched by batches of a streamed cursor (needs the caller's transaction). */
    long stream(Filter filter, Instant now, int maxRows, java.util.function.Consumer<Stored> sink) {
        Query query = query(filter, now);
        long[] count = new long[1];
        jdbc.sql("select " + LIST_COLUMNS + ", " + RENEWED_BY.replace("p.id", "c.id") + " from certificate c"
                        + query.where() + " order by " + query.order() + " limit :limit")
                .withFetchSize(1000)
                .params(query.params()).param("limit", maxRows)
                .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
                    sink.accept(map(rs, 0));
                    count[0]++;
                });
        return count[0];
    }

    private static Stored map(ResultSet rs, int row) throws SQLException {
        return new Stored(rs.getObject("id", UUID.class), rs.getString("serial_number"), rs.getString("status"),
                rs.getString("environment"), rs.getString("offer"), rs.getString("usage"), rs.getString("profile"),
                rs.getObject("structure_id", UUID.class), rs.getString("service_applicatif"),
                strings(rs.getArray("dns_names")), rs.getString("subject"), instant(rs, "not_before"),
                instant(rs, "not_after"), rs.getString("fingerprint_sha256"), rs.getString("actor_email"),
                rs.getString("cc_email"), rs.getObject("renews", UUID.class), rs.getObject("renewed_by", UUID.class),
                instant(rs, "revoked_at"), rs.getString("revocation_reason"), rs.getString("channel"),
                rs.getString("ca_name"), rs.getObject("requested_by", UUID.class),
                rs.getString("revocation_code_hash"), rs.getBytes("der"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (Object value : (Object[]) array.getArray()) {
            values.add((String) value);
        }
        return values;
    }
}
