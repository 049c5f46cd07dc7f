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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import org.openigc.server.database.RoundTrip;
import org.springframework.jdbc.core.JdbcTemplate;
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
            """ + successor("c") + " as renewed_by\n";

    /** The columns of lists and exports: no DER body, no revocation code hash (neither is shown there). */
    private static final String LIST_COLUMNS = """
            c.id, c.serial_number, c.status, c.environment, c.offer, c.usage, c.profile, c.structure_id,
            c.service_applicatif, c.dns_names, c.subject, c.not_before, c.not_after, c.fingerprint_sha256,
            c.actor_email, c.cc_email, c.renews, c.revoked_at, c.revocation_reason, c.channel, c.ca_name,
            c.requested_by, null::text as revocation_code_hash, null::bytea as der
            """;
    /** The successor is looked up for the rows of the page only, not for every row an offset skips. */
    private static final String RENEWED_BY = successor("p") + " as renewed_by\n";

    /**
     * The active successor of certificate {@code alias} (issue 6 point 3, the same rule as the expiry notifier's, so
     * a certificate that gets no more notices is the one shown "renouvelé"): its renewal, or else the newest active
     * certificate of the same structure, usage, environment and service applicatif that ends later. Two index probes
     * ({@code certificate_renews_idx}, {@code certificate_structure_product_idx}).
     */
    static String successor(String alias) {
        return """
                coalesce((select r.id from certificate r where r.renews = %1$s.id and r.status = 'ACTIVE' limit 1),
                         (select s.id from certificate s
                          where s.structure_id = %1$s.structure_id and s.usage = %1$s.usage
                            and s.environment = %1$s.environment and s.service_applicatif = %1$s.service_applicatif
                            and s.status = 'ACTIVE' and s.not_after > %1$s.not_after
                          order by s.not_after desc limit 1))""".formatted(alias);
    }

    /** Counts stop this many rows past the page: a broad operator list never counts the whole table. */
    static final int COUNT_AHEAD = 10_000;

    private final JdbcClient jdbc;
    private final JdbcTemplate statements;

    CertificateRepository(JdbcClient jdbc, JdbcTemplate statements) {
        this.jdbc = jdbc;
        this.statements = statements;
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

    /**
     * What the certificates say of a public key: IN_USE when an active certificate certifies it (one key, one
     * certificate), else REVOKED when a revoked certificate did (such keys are never certified again), else FREE.
     */
    enum KeyState { FREE, IN_USE, REVOKED }

    /** What the certificates say of a key now, without waiting for orders in progress (previews). */
    KeyState keyState(String publicKeySha256, Instant now) {
        return jdbc.sql(KEY_STATE).params(keyStateParams(publicKeySha256, now))
                .query((rs, n) -> keyState(rs)).single();
    }

    /** {@link #lockedKeyStateStatements} sent on their own. */
    KeyState lockedKeyState(String publicKeySha256, Instant now) {
        List<KeyState> found = new ArrayList<>(1);
        RoundTrip.run(statements, lockedKeyStateStatements(publicKeySha256, now, found::add));
        return found.getFirst();
    }

    /**
     * The key's state for an order that may certify it, as two statements to send with others in one
     * {@link RoundTrip}: first the key's lock, held until the transaction ends, then the read. A second order with the
     * same key waits for the first to commit or roll back, and its read (a later statement, so a later snapshot) then
     * sees the first one's certificate: one key, one certificate holds between simultaneous orders too. Keys sharing
     * the lock's 32 bits only make their orders wait for each other.
     */
    List<RoundTrip.Statement> lockedKeyStateStatements(String publicKeySha256, Instant now, Consumer<KeyState> found) {
        return List.of(
                RoundTrip.Statement.query("select pg_advisory_xact_lock(:space, :key)",
                        Map.of("space", KEY_LOCK_SPACE, "key", keyLock(publicKeySha256)), rs -> {
                        }),
                RoundTrip.Statement.query(KEY_STATE, keyStateParams(publicKeySha256, now), rs -> {
                    rs.next();
                    found.accept(keyState(rs));
                }));
    }

    /** The first of the two 32-bit keys of a public key's lock ("KEY1"; no other lock uses the two-key form). */
    private static final int KEY_LOCK_SPACE = 0x4b455931;

    /** The second: the digest's first 32 bits. */
    private static int keyLock(String publicKeySha256) {
        return Integer.parseUnsignedInt(publicKeySha256.substring(0, 8), 16);
    }

    private static final String KEY_STATE = """
            select coalesce(bool_or(status in ('ACTIVE', 'ISSUING') and not_after > :now), false) as in_use,
                   coalesce(bool_or(status = 'REVOKED'), false) as revoked
            from certificate where public_key_sha256 = :key
            """;

    private static Map<String, Object> keyStateParams(String publicKeySha256, Instant now) {
        return Map.of("key", publicKeySha256, "now", Timestamp.from(now));
    }

    private static KeyState keyState(ResultSet rs) throws SQLException {
        return rs.getBoolean("in_use") ? KeyState.IN_USE : rs.getBoolean("revoked") ? KeyState.REVOKED : KeyState.FREE;
    }

    void revoke(UUID id, Instant at, String reason, String by) {
        jdbc.sql("""
                update certificate set status = 'REVOKED', revoked_at = :at, revocation_reason = :reason, revoked_by = :by
                where id = :id and status = 'ACTIVE'
                """).param("at", Timestamp.from(at)).param("reason", reason).param("by", by).param("id", id).update();
    }

    /**
     * The sorts of the list. Each is a total order (the id breaks ties, in the same direction as the key) served by a
     * b-tree index on {@code (key, id)} read forward or backward, so that a keyset condition
     * {@code (key, id) > (:key, :id)} starts the index scan at the cursor whatever its depth (indexes: V1/V51/V74).
     */
    enum Sort {
        NOT_AFTER("notAfter", "c.not_after", false, true),
        NOT_AFTER_DESC("-notAfter", "c.not_after", true, true),
        SERVICE_APPLICATIF("serviceApplicatif", "c.service_applicatif", false, false),
        NOT_BEFORE_DESC("-notBefore", "c.not_before", true, true);

        private final String parameter;
        private final String column;
        private final boolean descending;
        private final boolean temporal;

        Sort(String parameter, String column, boolean descending, boolean temporal) {
            this.parameter = parameter;
            this.column = column;
            this.descending = descending;
            this.temporal = temporal;
        }

        static Optional<Sort> of(String parameter) {
            for (Sort sort : values()) {
                if (sort.parameter.equals(parameter)) {
                    return Optional.of(sort);
                }
            }
            return Optional.empty();
        }

        static Sort orDefault(String parameter) {
            return parameter == null ? NOT_AFTER : of(parameter).orElseThrow(() -> new IllegalArgumentException("sort"));
        }

        String parameter() {
            return parameter;
        }

        boolean temporal() {
            return temporal;
        }

        /** The sort key of a row, as a cursor stores it. */
        Object key(Stored row) {
            return switch (this) {
                case NOT_AFTER, NOT_AFTER_DESC -> row.notAfter();
                case SERVICE_APPLICATIF -> row.serviceApplicatif() == null ? "" : row.serviceApplicatif();
                case NOT_BEFORE_DESC -> row.notBefore();
            };
        }

        private String order(boolean reversed) {
            String direction = descending != reversed ? " desc" : "";
            return column + direction + ", c.id" + direction;
        }
    }

    /** A keyset position: the rows strictly after the row ({@code key}, {@code id}) in the sort, or before it. */
    record Keyset(Object key, UUID id, boolean backward) {
    }

    /** {@code after}: when set, a keyset page (the offset of {@code page} is then ignored). */
    record Filter(List<UUID> structures, String status, String environment, Integer expiringWithinDays, String q,
                  String sort, int page, int size, String usage, Keyset after) {
        Filter(List<UUID> structures, String status, String environment, Integer expiringWithinDays, String q,
               String sort, int page, int size, String usage) {
            this(structures, status, environment, expiringWithinDays, q, sort, page, size, usage, null);
        }
    }

    /** {@code order}: of the rows as read (reversed for a backward keyset); {@code listOrder}: as shown. */
    private record Query(String where, Map<String, Object> params, String order, String listOrder,
                         String keysetCondition) {
    }

    /**
     * {@code exact}: false when the count stopped at its bound (there are at least {@code total} rows). {@code more}:
     * there are rows past the page in the direction read (after it, or before it for a backward keyset).
     */
    record Page(List<Stored> items, long total, boolean exact, boolean more) {
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
            // Within a scope (an administrator's structures: thousands, at most tens of thousands of rows) the
            // scope's index and a filter beat the trigram indexes, which read postings over the whole table (every
            // "Portail …" row shares the term's common trigrams): the "|| ''" keeps the planner off them there.
            // Operators (the whole table) search by the trigram indexes; the serial is an exact, indexed branch.
            String unindexed = filter.structures() != null ? " || ''" : "";
            where.append(" and ((c.service_applicatif" + unindexed + ") ilike :q escape '\\'"
                    + " or c.serial_number = lower(:exact) or (c.subject" + unindexed + ") ilike :q escape '\\')");
            params.put("q", "%" + filter.q().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            params.put("exact", filter.q().strip());
        }
        params.put("now", Timestamp.from(now));
        Sort sort = Sort.orDefault(filter.sort());
        Keyset after = filter.after();
        String keyset = "";
        if (after != null) {
            // a row comparison on the columns of the sort index: the index scan starts at the cursor
            boolean greater = sort.descending == after.backward();
            keyset = " and (" + sort.column + ", c.id) " + (greater ? ">" : "<") + " (:keysetKey, :keysetId)";
            params.put("keysetKey", after.key() instanceof Instant instant
                    ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC) : after.key());
            params.put("keysetId", after.id());
        }
        boolean reversed = after != null && after.backward();
        return new Query(where.toString(), params, sort.order(reversed), sort.order(false), keyset);
    }

    /**
     * One page of the list: by offset ({@code page}) or, when {@code filter.after()} is set, by keyset (the
     * {@code size} rows after, or before, the cursor's row: the same cost at any depth). The total is counted up to a
     * bound: {@link #COUNT_AHEAD} rows past an offset page, {@link #COUNT_AHEAD} rows from the start for a keyset page
     * (a keyset page has no offset to count past; an exact total is given whenever the list is shorter).
     */
    Page search(Filter filter, Instant now) {
        Query query = query(filter, now);
        long offset = filter.after() != null ? 0 : (long) filter.page() * filter.size();
        long cap = offset + filter.size() + COUNT_AHEAD;
        long total = jdbc.sql(countSql(query)).params(query.params()).param("cap", cap).query(Long.class).single();
        List<Stored> items = new ArrayList<>(jdbc.sql(pageSql(query)).params(query.params())
                .param("limit", filter.size() + 1).param("offset", offset).query(CertificateRepository::map).list());
        boolean more = items.size() > filter.size();
        if (more) {
            // the extra row read to know whether there is more: the last as read (the first shown when backward)
            items.remove(filter.after() != null && filter.after().backward() ? 0 : items.size() - 1);
        }
        return new Page(items, total, total < cap, more);
    }

    private static String countSql(Query query) {
        return "select count(*) from (select 1 from certificate c" + query.where() + " limit :cap) bounded";
    }

    private static String pageSql(Query query) {
        return "select p.*, " + RENEWED_BY + " from (select " + LIST_COLUMNS + " from certificate c" + query.where()
                + query.keysetCondition() + " order by " + query.order() + " limit :limit offset :offset) p order by "
                + query.listOrder().replace("c.", "p.");
    }

    /**
     * The plan PostgreSQL picks for the list query of {@code filter} (and, when {@code count}, for its total), as
     * {@code EXPLAIN (ANALYZE, BUFFERS)} lines: the tracking benchmark checks that every case uses an index.
     */
    List<String> explain(Filter filter, Instant now, boolean count) {
        Query query = query(filter, now);
        long offset = filter.after() != null ? 0 : (long) filter.page() * filter.size();
        String sql = count ? countSql(query) : pageSql(query);
        return jdbc.sql("explain (analyze, buffers) " + sql).params(query.params()).param("limit", filter.size())
                .param("offset", offset).param("cap", offset + filter.size() + COUNT_AHEAD).query(String.class).list();
    }

    /** Every matching row in order, fetched by batches of a streamed cursor (needs the caller's transaction). */
    long stream(Filter filter, Instant now, int maxRows, java.util.function.Consumer<Stored> sink) {
        Query query = query(filter, now);
        long[] count = new long[1];
        jdbc.sql("select " + LIST_COLUMNS + ", " + successor("c") + " as renewed_by" + " from certificate c"
                        + query.where() + " order by " + query.listOrder() + " limit :limit")
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
