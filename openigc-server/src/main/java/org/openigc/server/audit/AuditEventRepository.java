package org.openigc.server.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.openigc.server.database.DeferredWrites;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL of the audit trail. Chained rows are only ever inserted (a trigger refuses UPDATE and DELETE); pending rows are
 * inserted by business transactions and moved into the chain by {@link AuditChainer}.
 */
@Repository
class AuditEventRepository {
    private static final String COLUMNS = "id, occurred_at, actor, source_ip, action, object_type, object_id, "
            + "details::text as details, previous_hash, hash";

    private final JdbcClient jdbc;
    private final DeferredWrites writes;

    @Autowired
    AuditEventRepository(JdbcClient jdbc, DeferredWrites writes) {
        this.jdbc = jdbc;
        this.writes = writes;
    }

    /** For readers and the chainer outside the application context (verification, tests): no pending inserts. */
    AuditEventRepository(JdbcClient jdbc) {
        this(jdbc, null);
    }

    /** Blocks until no other chainer, on any node, is chaining; released at the end of the transaction. */
    void lockChain() {
        jdbc.sql("select pg_advisory_xact_lock(:lock)").param("lock", AuditChainer.CHAIN_LOCK).query().singleValue();
    }

    /** An event waiting for the chainer, written in the caller's transaction. */
    /** In the caller's transaction; at its commit when it defers its writes ({@link DeferredWrites}). */
    void insertPending(Instant occurredAt, String actor, String sourceIp, String action, String objectType,
                       String objectId, Map<String, String> details) {
        Map<String, Object> params = new HashMap<>();
        params.put("occurredAt", Timestamp.from(occurredAt));
        params.put("actor", actor);
        params.put("sourceIp", sourceIp);
        params.put("action", action);
        params.put("objectType", objectType);
        params.put("objectId", objectId);
        params.put("details", AuditDetails.toJson(details));
        java.util.Objects.requireNonNull(writes, "this audit repository only reads and chains").insert("""
                insert into audit_pending (occurred_at, actor, source_ip, action, object_type, object_id, details)
                values (:occurredAt, :actor, :sourceIp, :action, :objectType, :objectId, cast(:details as jsonb))
                """, params);
    }

    /**
     * Removes up to {@code limit} pending events, oldest first, and returns them with their pending id and without
     * hashes (to be run after {@link #lockChain()}: the delete and the chained inserts then commit together).
     */
    List<AuditEvent> takePending(int limit) {
        List<AuditEvent> taken = jdbc.sql("""
                delete from audit_pending where pending_id in (
                    select pending_id from audit_pending order by pending_id limit :limit)
                returning pending_id, occurred_at, actor, source_ip, action, object_type, object_id,
                          details::text as details
                """).param("limit", limit)
                .query((rs, n) -> new AuditEvent(rs.getLong("pending_id"),
                        rs.getObject("occurred_at", OffsetDateTime.class).toInstant(), rs.getString("actor"),
                        rs.getString("source_ip"), rs.getString("action"), rs.getString("object_type"),
                        rs.getString("object_id"), AuditDetails.fromJson(rs.getString("details")), null, null))
                .list();
        // RETURNING gives no order: the chain takes pending events in the order they were written
        return taken.stream().sorted(Comparator.comparingLong(AuditEvent::id)).toList();
    }

    /** The hash of the newest chained event, if any (to be run after {@link #lockChain()}). */
    Optional<String> lastHash() {
        return jdbc.sql("select hash from audit_event order by id desc limit 1").query(String.class).optional();
    }

    /** {@code count} new event ids, ascending. */
    List<Long> nextIds(int count) {
        return jdbc.sql("select nextval(pg_get_serial_sequence('audit_event', 'id')) as id "
                        + "from generate_series(1, :count) order by 1")
                .param("count", count).query(Long.class).list();
    }

    long pendingCount() {
        return jdbc.sql("select count(*) from audit_pending").query(Long.class).single();
    }

    /** Chained events, in one statement (the rows as one JSON array: no statement size per batch size). */
    void insert(List<AuditEvent> chained) {
        List<Map<String, Object>> rows = new ArrayList<>(chained.size());
        for (AuditEvent event : chained) {
            Map<String, Object> row = new java.util.HashMap<>();
            row.put("id", event.id());
            row.put("occurred_at", event.occurredAt().toString());
            row.put("actor", event.actor());
            row.put("source_ip", event.sourceIp());
            row.put("action", event.action());
            row.put("object_type", event.objectType());
            row.put("object_id", event.objectId());
            row.put("details", event.details());
            row.put("previous_hash", event.previousHash());
            row.put("hash", event.hash());
            rows.add(row);
        }
        jdbc.sql("""
                insert into audit_event (id, occurred_at, actor, source_ip, action, object_type, object_id, details,
                                         previous_hash, hash)
                select id, occurred_at, actor, source_ip, action, object_type, object_id, details, previous_hash, hash
                from jsonb_to_recordset(cast(:rows as jsonb))
                     as e(id bigint, occurred_at timestamptz, actor text, source_ip text, action text,
                          object_type text, object_id text, details jsonb, previous_hash text, hash text)
                order by id
                """)
                .param("rows", AuditDetails.JSON.writeValueAsString(rows))
                .update();
    }

    void insert(AuditEvent event) {
        insert(List.of(event));
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
