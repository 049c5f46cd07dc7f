package org.openigc.server.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the audit trail. Rows are only ever inserted (a trigger refuses UPDATE and DELETE). */
@Repository
class AuditEventRepository {
    private static final String COLUMNS = "id, occurred_at, actor, source_ip, action, object_type, object_id, "
            + "details::text as details, previous_hash, hash";

    private final JdbcClient jdbc;

    AuditEventRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Blocks until no other transaction, on any node, is appending; released at the end of the transaction. */
    void lockChain() {
        jdbc.sql("select pg_advisory_xact_lock(:lock)").param("lock", AuditTrail.CHAIN_LOCK).query().singleValue();
    }

    Optional<String> lastHash() {
        return jdbc.sql("select hash from audit_event order by id desc limit 1").query(String.class).optional();
    }

    record Next(long id, String previousHash) {
    }

    /** The next id and the last hash in one statement (to be run after {@link #lockChain()}). */
    Next next() {
        return jdbc.sql("select nextval(pg_get_serial_sequence('audit_event', 'id')) as id, "
                        + "(select hash from audit_event order by id desc limit 1) as hash")
                .query((rs, n) -> new Next(rs.getLong("id"), rs.getString("hash"))).single();
    }

    long nextId() {
        return jdbc.sql("select nextval(pg_get_serial_sequence('audit_event', 'id'))").query(Long.class).single();
    }

    void insert(AuditEvent event) {
        jdbc.sql("""
                insert into audit_event (id, occurred_at, actor, source_ip, action, object_type, object_id, details,
                                         previous_hash, hash)
                values (:id, :occurredAt, :actor, :sourceIp, :action, :objectType, :objectId, cast(:details as jsonb),
                        :previousHash, :hash)
                """)
                .param("id", event.id())
                .param("occurredAt", Timestamp.from(event.occurredAt()))
                .param("actor", event.actor())
                .param("sourceIp", event.sourceIp())
                .param("action", event.action())
                .param("objectType", event.objectType())
                .param("objectId", event.objectId())
                .param("details", AuditDetails.toJson(event.details()))
                .param("previousHash", event.previousHash())
                .param("hash", event.hash())
                .update();
    }

    /** The next events after {@code afterId}, oldest first, read as raw rows so the verifier can judge each one. */
    List<StoredRow> batchAfter(long afterId, int size) {
        return jdbc.sql("select " + COLUMNS + " from audit_event where id > :after order by id limit :size")
                .param("after", afterId).param("size", size)
                .query((rs, n) -> StoredRow.of(rs)).list();
    }

    /** One page of events matching the filter, newest first; one extra row tells whether a next page exists. */
    List<AuditEvent> search(AuditFilter filter, int page, int size) {
        StringBuilder sql = new StringBuilder("select ").append(COLUMNS).append(" from audit_event where true");
        Map<String, Object> params = new java.util.HashMap<>();
        if (filter.actor() != null) {
            sql.append(" and actor = :actor");
            params.put("actor", filter.actor());
        }
        if (filter.action() != null) {
            sql.append(" and action = :action");
            params.put("action", filter.action());
        }
        if (filter.objectType() != null) {
            sql.append(" and object_type = :objectType");
            params.put("objectType", filter.objectType());
        }
        if (filter.objectId() != null) {
            sql.append(" and object_id = :objectId");
            params.put("objectId", filter.objectId());
        }
        if (filter.from() != null) {
            sql.append(" and occurred_at >= :from");
            params.put("from", Timestamp.from(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" and occurred_at < :to");
            params.put("to", Timestamp.from(filter.to()));
        }
        sql.append(" order by id desc limit :limit offset :offset");
        params.put("limit", size + 1);
        params.put("offset", (long) page * size);
        List<AuditEvent> events = new ArrayList<>();
        jdbc.sql(sql.toString()).params(params).query((ResultSet rs) -> {
            events.add(StoredRow.of(rs).toEvent());
        });
        return events;
    }

    /** A row as stored; {@code details} stays raw JSON until the verifier or a reader parses it. */
    record StoredRow(long id, Instant occurredAt, String actor, String sourceIp, String action, String objectType,
                     String objectId, String detailsJson, String previousHash, String hash) {
        static StoredRow of(ResultSet rs) throws SQLException {
            return new StoredRow(rs.getLong("id"), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                    rs.getString("actor"), rs.getString("source_ip"), rs.getString("action"),
                    rs.getString("object_type"), rs.getString("object_id"), rs.getString("details"),
                    rs.getString("previous_hash"), rs.getString("hash"));
        }

        /** @throws IllegalArgumentException when the details are not an object of strings */
        AuditEvent toEvent() {
            return new AuditEvent(id, occurredAt, actor, sourceIp, action, objectType, objectId,
                    AuditDetails.fromJson(detailsJson), previousHash, hash);
        }
    }
}
