package org.openigc.certdc.deposit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.openigc.certdc.connection.TransferMode;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL of {@code certdc.certificate_draft}; the content (identity copy and medical part) is a ciphertext. */
public final class DraftRepository {
    private final JdbcClient jdbc;

    public DraftRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public enum Status {
        DRAFT, COMPLETED, EXPIRED
    }

    public record Row(UUID id, UUID depositId, UUID accountId, String establishment, TransferMode mode, String profile,
                      Status status, byte[] content, Instant expiresAt, Instant createdAt, Instant updatedAt) {
    }

    public void insert(Row row) {
        jdbc.sql("""
                insert into certdc.certificate_draft (id, deposit_id, account_id, establishment, mode, profile, status,
                                                      content, expires_at, created_at, updated_at)
                values (:id, :deposit, :account, :establishment, :mode, :profile, 'DRAFT', :content, :expiresAt, :now,
                        :now)
                """)
                .param("id", row.id()).param("deposit", row.depositId()).param("account", row.accountId())
                .param("establishment", row.establishment()).param("mode", row.mode().name())
                .param("profile", row.profile()).param("content", row.content())
                .param("expiresAt", Timestamp.from(row.expiresAt())).param("now", Timestamp.from(row.createdAt()))
                .update();
    }

    public Optional<Row> byId(UUID id, UUID accountId) {
        return jdbc.sql(select() + " where id = :id and account_id = :account")
                .param("id", id).param("account", accountId).query(DraftRepository::row).optional();
    }

    public Optional<Row> openFor(UUID depositId, UUID accountId) {
        return jdbc.sql(select() + " where deposit_id = :deposit and account_id = :account and status = 'DRAFT'")
                .param("deposit", depositId).param("account", accountId).query(DraftRepository::row).optional();
    }

    public List<Row> of(UUID accountId) {
        return jdbc.sql(select() + " where account_id = :account order by updated_at desc limit 100")
                .param("account", accountId).query(DraftRepository::row).list();
    }

    /** Saves the content of a draft still open (and completes it when asked); false when it is no longer open. */
    public boolean save(UUID id, UUID accountId, byte[] content, boolean complete, Instant now) {
        return jdbc.sql("""
                update certdc.certificate_draft set content = :content, updated_at = :now,
                       status = case when :complete then 'COMPLETED' else status end,
                       completed_at = case when :complete then :now else completed_at end
                where id = :id and account_id = :account and status = 'DRAFT' and content is not null
                  and expires_at > :now
                """)
                .param("content", content).param("now", Timestamp.from(now)).param("complete", complete)
                .param("id", id).param("account", accountId).update() == 1;
    }

    private static String select() {
        return "select id, deposit_id, account_id, establishment, mode, profile, status, content, expires_at, "
                + "created_at, updated_at from certdc.certificate_draft";
    }

    private static Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getObject("deposit_id", UUID.class),
                rs.getObject("account_id", UUID.class), rs.getString("establishment"),
                TransferMode.valueOf(rs.getString("mode")), rs.getString("profile"),
                Status.valueOf(rs.getString("status")), rs.getBytes("content"),
                rs.getTimestamp("expires_at").toInstant(), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }
}
