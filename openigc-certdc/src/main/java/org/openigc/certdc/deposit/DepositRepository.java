package org.openigc.certdc.deposit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.openigc.certdc.connection.TransferMode;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL of {@code certdc.deposit}: the nominative part is an opaque ciphertext here. */
public final class DepositRepository {
    private final JdbcClient jdbc;

    public DepositRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored deposit's public facts and its ciphertext. */
    /** @param completed a certificate was completed from it (no longer pending) */
    public record Row(UUID id, UUID siId, String establishment, TransferMode mode, Instant receivedAt,
                      Instant expiresAt, String requestDigest, byte[] payload, boolean completed) {
    }

    /**
     * Inserts unless the SI already deposited under that idempotency key (still within retention).
     *
     * @return true when inserted
     */
    public boolean insert(Row row, String ippIndex, String idempotencyKey, String certificateSerial) {
        return jdbc.sql("""
                insert into certdc.deposit (id, si_id, establishment, mode, received_at, expires_at, ipp_index, payload,
                                            idempotency_key, request_digest, certificate_serial)
                values (:id, :si, :establishment, :mode, :receivedAt, :expiresAt, :ippIndex, :payload, :key, :digest,
                        :serial)
                on conflict (si_id, idempotency_key) do nothing
                """)
                .param("id", row.id()).param("si", row.siId()).param("establishment", row.establishment())
                .param("mode", row.mode().name()).param("receivedAt", Timestamp.from(row.receivedAt()))
                .param("expiresAt", Timestamp.from(row.expiresAt())).param("ippIndex", ippIndex)
                .param("payload", row.payload()).param("key", idempotencyKey).param("digest", row.requestDigest())
                .param("serial", certificateSerial)
                .update() == 1;
    }

    /** A key may be used again once its deposit is past retention, even before the purge removed it. */
    public void forgetExpiredKey(UUID siId, String key, Instant now) {
        jdbc.sql("delete from certdc.deposit where si_id = :si and idempotency_key = :key and expires_at <= :now")
                .param("si", siId).param("key", key).param("now", Timestamp.from(now)).update();
    }

    public Optional<Row> byIdempotencyKey(UUID siId, String key) {
        return jdbc.sql(select() + " where si_id = :si and idempotency_key = :key")
                .param("si", siId).param("key", key).query(DepositRepository::row).optional();
    }

    public Optional<Row> byId(UUID id, Instant now) {
        return jdbc.sql(select() + " where id = :id and expires_at > :now")
                .param("id", id).param("now", Timestamp.from(now)).query(DepositRepository::row).optional();
    }

    /** Deposits of those establishments for that IPP index, still within retention. */
    public List<Row> byIpp(String ippIndex, Collection<String> establishments, Instant now) {
        if (establishments.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(select() + " where ipp_index = :ipp and establishment in (:establishments) "
                        + "and expires_at > :now order by received_at desc limit 50")
                .param("ipp", ippIndex).param("establishments", establishments).param("now", Timestamp.from(now))
                .query(DepositRepository::row).list();
    }

    /** Pending data sets: within retention, no completed certificate yet. */
    public int countPending(Collection<String> establishments, TransferMode mode, Instant now) {
        if (establishments.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                select count(*) from certdc.deposit d
                where d.establishment in (:establishments) and d.mode = :mode and d.expires_at > :now
                  and not exists (select 1 from certdc.certificate_draft c
                                  where c.deposit_id = d.id and c.status = 'COMPLETED')
                """)
                .param("establishments", establishments).param("mode", mode.name()).param("now", Timestamp.from(now))
                .query(Integer.class).single();
    }

    private static String select() {
        return """
                select id, si_id, establishment, mode, received_at, expires_at, request_digest, payload,
                       exists (select 1 from certdc.certificate_draft c where c.deposit_id = certdc.deposit.id
                               and c.status = 'COMPLETED') as completed
                from certdc.deposit""";
    }

    private static Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getObject("si_id", UUID.class), rs.getString("establishment"),
                TransferMode.valueOf(rs.getString("mode")), rs.getTimestamp("received_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant(), rs.getString("request_digest"), rs.getBytes("payload"),
                rs.getBoolean("completed"));
    }
}
