package org.openigc.server.acme;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * ACME state in PostgreSQL, so every node sharing the database sees the same nonces, orders and authorizations and a
 * restart loses nothing. Nonces are consumed by a single {@code DELETE … RETURNING}: of two nodes receiving the same
 * nonce, exactly one accepts it. State transitions are conditional updates ({@code … where status = 'ready'}), so two
 * concurrent finalizations of one order cannot both issue.
 */
@Repository
class AcmeStore {
    private static final Logger log = LoggerFactory.getLogger(AcmeStore.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final Duration NONCE_LIFETIME = Duration.ofHours(1);
    static final Duration ORDER_LIFETIME = Duration.ofDays(7);
    /** Expired orders (and their authorizations) are kept this long for clients that still poll them, then deleted. */
    static final Duration RETENTION = Duration.ofDays(30);

    private final JdbcClient jdbc;
    private final Clock clock;

    AcmeStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record Order(String id, UUID accountId, String label, List<String> names, String status, Instant expires,
                 UUID certificateId, String error, List<String> authzIds) {
    }

    /** An authorization and its single http-01 challenge (same id). */
    record Authz(String id, String orderId, UUID accountId, String name, String status, Instant expires, String token,
                 String challengeStatus, Instant validated, String error) {
    }

    static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    // ---------------------------------------------------------------- nonces

    String newNonce() {
        String nonce = random();
        jdbc.sql("insert into acme_nonce (nonce, expires_at) values (:n, :e)").param("n", nonce)
                .param("e", Timestamp.from(clock.instant().plus(NONCE_LIFETIME))).update();
        return nonce;
    }

    /** True once for a nonce this platform issued and that has not expired; false for every other attempt. */
    boolean consumeNonce(String nonce) {
        if (nonce == null || nonce.isEmpty() || nonce.length() > 100) {
            return false;
        }
        return jdbc.sql("delete from acme_nonce where nonce = :n returning expires_at").param("n", nonce)
                .query(Timestamp.class).optional().map(t -> t.toInstant().isAfter(clock.instant())).orElse(false);
    }

    // ---------------------------------------------------------------- orders and authorizations

    @Transactional
    Order createOrder(UUID accountId, String label, List<String> names) {
        Instant now = clock.instant();
        Instant expires = now.plus(ORDER_LIFETIME);
        String id = random();
        jdbc.sql("""
                insert into acme_order (id, account_id, label, names, status, created_at, expires_at)
                values (:id, :account, :label, string_to_array(:names, ','), 'pending', :now, :expires)
                """).param("id", id).param("account", accountId).param("label", label)
                .param("names", String.join(",", names)).param("now", Timestamp.from(now))
                .param("expires", Timestamp.from(expires)).update();
        int position = 0;
        for (String name : names) {
            jdbc.sql("""
                    insert into acme_authz (id, order_id, position, account_id, name, status, expires_at, challenge_token,
                                            challenge_status)
                    values (:id, :order, :position, :account, :name, 'pending', :expires, :token, 'pending')
                    """).param("id", random()).param("order", id).param("position", position++)
                    .param("account", accountId).param("name", name).param("expires", Timestamp.from(expires))
                    .param("token", random() + random()).update();
        }
        return order(id).orElseThrow();
    }

    /** The order with its status brought up to date (expiry, its authorizations' outcome). */
    Optional<Order> order(String id) {
        Optional<Order> stored = jdbc.sql("""
                select o.*, array(select a.id from acme_authz a where a.order_id = o.id order by a.position) as authz_ids
                from acme_order o where o.id = :id
                """).param("id", id).query(AcmeStore::order).optional();
        return stored.map(this::refresh);
    }

    Optional<Authz> authz(String id) {
        return jdbc.sql("select * from acme_authz where id = :id").param("id", id).query((rs, row) -> authz(rs)).optional();
    }

    List<Authz> authzsOf(String orderId) {
        return jdbc.sql("select * from acme_authz where order_id = :id order by position").param("id", orderId)
                .query((rs, row) -> authz(rs)).list();
    }

    private Order refresh(Order order) {
        String next = order.status();
        if (("pending".equals(next) || "ready".equals(next)) && !clock.instant().isBefore(order.expires())) {
            next = "invalid";
        } else if ("pending".equals(next)) {
            List<Authz> authzs = authzsOf(order.id());
            if (authzs.stream().anyMatch(a -> !"pending".equals(a.status()) && !"valid".equals(a.status()))) {
                next = "invalid";
            } else if (authzs.stream().allMatch(a -> "valid".equals(a.status()))) {
                next = "ready";
            }
        }
        if (next.equals(order.status())) {
            return order;
        }
        jdbc.sql("update acme_order set status = :next where id = :id and status = :current").param("next", next)
                .param("id", order.id()).param("current", order.status()).update();
        return new Order(order.id(), order.accountId(), order.label(), order.names(), next, order.expires(),
                order.certificateId(), order.error(), order.authzIds());
    }

    /** pending → processing for exactly one caller; false when the challenge is not pending (or the authz expired). */
    boolean startValidation(String authzId) {
        return jdbc.sql("""
                update acme_authz set challenge_status = 'processing'
                where id = :id and challenge_status = 'pending' and status = 'pending' and expires_at > :now
                """).param("id", authzId).param("now", Timestamp.from(clock.instant())).update() == 1;
    }

    void validationResult(String authzId, boolean valid, String error) {
        jdbc.sql("""
                update acme_authz set challenge_status = :c, status = :s, validated_at = :at, error = :error
                where id = :id and challenge_status = 'processing'
                """).param("c", valid ? "valid" : "invalid").param("s", valid ? "valid" : "invalid")
                .param("at", valid ? Timestamp.from(clock.instant()) : null).param("error", error)
                .param("id", authzId).update();
    }

    /** ready → processing for exactly one caller (the finalization that will issue). */
    boolean startFinalization(String orderId) {
        return jdbc.sql("""
                update acme_order set status = 'processing', processing_at = :now
                where id = :id and status = 'ready' and expires_at > :now
                """).param("id", orderId).param("now", Timestamp.from(clock.instant())).update() == 1;
    }

    void finalized(String orderId, UUID certificateId) {
        jdbc.sql("update acme_order set status = 'valid', certificate_id = :c where id = :id and status = 'processing'")
                .param("c", certificateId).param("id", orderId).update();
    }

    /** A refused CSR leaves the order ready for another attempt. */
    void finalizationRefused(String orderId) {
        jdbc.sql("update acme_order set status = 'ready', processing_at = null where id = :id and status = 'processing'")
                .param("id", orderId)
                .update();
    }

    /** Deactivating an account deactivates its pending authorizations (RFC 8555 §7.3.6). */
    void accountDeactivated(UUID accountId) {
        jdbc.sql("update acme_authz set status = 'deactivated' where account_id = :a and status in ('pending', 'valid')")
                .param("a", accountId).update();
    }

    // ---------------------------------------------------------------- sweep

    record Swept(int nonces, int ordersInvalidated, int authzsExpired, int ordersDeleted, int finalizationsReleased) {
    }

    /** A finalization still "processing" after this long died with its node (issuance takes seconds). */
    static final Duration STALE_PROCESSING = Duration.ofMinutes(10);

    /**
     * Expired nonces deleted, expired pending/ready orders marked invalid and expired authorizations marked expired,
     * orders expired for more than {@link #RETENTION} deleted with their authorizations, finalizations abandoned by a
     * node that died (processing for {@link #STALE_PROCESSING}, no certificate) made ready again. Each step is one idempotent
     * statement: several nodes may run it at the same time.
     */
    @Transactional
    Swept sweep() {
        Timestamp now = Timestamp.from(clock.instant());
        int nonces = jdbc.sql("delete from acme_nonce where expires_at <= :now").param("now", now).update();
        int orders = jdbc.sql("update acme_order set status = 'invalid' where status in ('pending', 'ready') and expires_at <= :now")
                .param("now", now).update();
        int authzs = jdbc.sql("update acme_authz set status = 'expired' where status in ('pending', 'valid') and expires_at <= :now")
                .param("now", now).update();
        int deleted = jdbc.sql("delete from acme_order where expires_at <= :before and status <> 'processing'")
                .param("before", Timestamp.from(clock.instant().minus(RETENTION))).update();
        // the order becomes valid in the issuance's transaction, so a processing order has no certificate: retryable
        int released = jdbc.sql("""
                update acme_order set status = 'ready', processing_at = null
                where status = 'processing' and certificate_id is null and processing_at <= :stale
                """).param("stale", Timestamp.from(clock.instant().minus(STALE_PROCESSING))).update();
        return new Swept(nonces, orders, authzs, deleted, released);
    }

    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT2M")
    void scheduledSweep() {
        Swept swept = sweep();
        if (swept.nonces() + swept.ordersInvalidated() + swept.authzsExpired() + swept.ordersDeleted()
                + swept.finalizationsReleased() > 0) {
            log.info("ACME sweep: {}", swept);
        }
    }

    // ---------------------------------------------------------------- mapping

    private static Order order(ResultSet rs, int row) throws SQLException {
        return new Order(rs.getString("id"), rs.getObject("account_id", UUID.class), rs.getString("label"),
                strings(rs.getArray("names")), rs.getString("status"), rs.getTimestamp("expires_at").toInstant(),
                rs.getObject("certificate_id", UUID.class), rs.getString("error"), strings(rs.getArray("authz_ids")));
    }

    private Authz authz(ResultSet rs) throws SQLException {
        Instant expires = rs.getTimestamp("expires_at").toInstant();
        String status = rs.getString("status");
        if (("pending".equals(status) || "valid".equals(status)) && !clock.instant().isBefore(expires)) {
            status = "expired";
        }
        Timestamp validated = rs.getTimestamp("validated_at");
        return new Authz(rs.getString("id"), rs.getString("order_id"), rs.getObject("account_id", UUID.class),
                rs.getString("name"), status, expires, rs.getString("challenge_token"), rs.getString("challenge_status"),
                validated == null ? null : validated.toInstant(), rs.getString("error"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
