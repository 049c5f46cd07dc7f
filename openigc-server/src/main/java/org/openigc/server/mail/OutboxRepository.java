package org.openigc.server.mail;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the outbox. */
@Repository
class OutboxRepository {
    enum Status { PENDING, SENT, FAILED }

    private final JdbcClient jdbc;

    OutboxRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String template, String locale, MailRenderer.RenderedMail mail, Recipients recipients,
                String messageId, Instant now) {
        Status status = recipients.none() ? Status.FAILED : Status.PENDING;
        return jdbc.sql("""
                insert into mail_outbox (created_at, template, locale, subject, text_body, html_body, to_addresses,
                                         cc_addresses, status, next_attempt_at, rejected_addresses, message_id,
                                         last_error)
                values (:now, :template, :locale, :subject, :text, :html, :to, :cc, :status, :now, :rejected,
                        :messageId, :error)
                returning id
                """)
                .param("now", Timestamp.from(now)).param("template", template).param("locale", locale)
                .param("subject", mail.subject()).param("text", mail.text()).param("html", mail.html())
                .param("to", recipients.to().toArray(String[]::new))
                .param("cc", recipients.cc().toArray(String[]::new))
                .param("status", status.name())
                .param("rejected", recipients.invalid().toArray(String[]::new))
                .param("messageId", messageId)
                .param("error", recipients.invalid().isEmpty() ? null : "invalid address syntax")
                .query(Long.class).single();
    }

    /**
     * Claims due mails for this sender: rows locked by another sender are skipped, and the claimed ones are pushed
     * one lease ahead (and their attempt counted) before the claim commits, so no other node picks them up.
     */
    List<OutboxMail> claimDue(Instant now, Instant leaseEnd, int limit) {
        return jdbc.sql("""
                update mail_outbox set attempts = attempts + 1, next_attempt_at = :leaseEnd
                where id in (select id from mail_outbox
                             where status = 'PENDING' and next_attempt_at <= :now
                             order by next_attempt_at, id
                             limit :limit
                             for update skip locked)
                returning id, subject, text_body, html_body, to_addresses, cc_addresses, message_id, attempts,
                          rejections, delivered_addresses, rejected_addresses
                """)
                .param("now", Timestamp.from(now)).param("leaseEnd", Timestamp.from(leaseEnd)).param("limit", limit)
                .query((rs, n) -> new OutboxMail(rs.getLong("id"), rs.getString("subject"), rs.getString("text_body"),
                        rs.getString("html_body"), strings(rs, "to_addresses"), strings(rs, "cc_addresses"),
                        rs.getString("message_id"), rs.getInt("attempts"), rs.getInt("rejections"),
                        strings(rs, "delivered_addresses"), strings(rs, "rejected_addresses")))
                .list();
    }

    void finish(long id, Status status, List<String> delivered, List<String> rejected, int rejections,
                Instant nextAttempt, String lastError, Instant sentAt) {
        jdbc.sql("""
                update mail_outbox set status = :status, delivered_addresses = :delivered,
                    rejected_addresses = :rejected, rejections = :rejections, next_attempt_at = :next,
                    last_error = :error, sent_at = :sentAt
                where id = :id
                """)
                .param("id", id).param("status", status.name())
                .param("delivered", delivered.toArray(String[]::new))
                .param("rejected", rejected.toArray(String[]::new))
                .param("rejections", rejections).param("next", Timestamp.from(nextAttempt))
                .param("error", lastError).param("sentAt", sentAt == null ? null : Timestamp.from(sentAt))
                .update();
    }

    int purgeSentBefore(Instant cutoff) {
        return jdbc.sql("delete from mail_outbox where status = 'SENT' and sent_at < :cutoff")
                .param("cutoff", Timestamp.from(cutoff)).update();
    }

    private static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
