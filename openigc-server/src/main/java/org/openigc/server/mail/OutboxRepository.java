package org.openigc.server.mail;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.openigc.server.database.DeferredWrites;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the outbox. */
@Repository
class OutboxRepository {
    enum Status { PENDING, SENT, FAILED }

    private final JdbcClient jdbc;
    private final DeferredWrites writes;

    OutboxRepository(JdbcClient jdbc, DeferredWrites writes) {
        this.jdbc = jdbc;
        this.writes = writes;
    }

    /** In the caller's transaction; at its commit when it defers its writes ({@link DeferredWrites}). */
    void insert(String template, String locale, MailRenderer.RenderedMail mail, Recipients recipients,
                String messageId, Instant now) {
        Status status = recipients.none() ? Status.FAILED : Status.PENDING;
        Map<String, Object> params = new HashMap<>();
        params.put("now", Timestamp.from(now));
        params.put("template", template);
        params.put("locale", locale);
        params.put("subject", mail.subject());
        params.put("text", mail.text());
        params.put("html", mail.html());
        params.put("to", recipients.to().toArray(String[]::new));
        params.put("cc", recipients.cc().toArray(String[]::new));
        params.put("status", status.name());
        params.put("rejected", recipients.invalid().toArray(String[]::new));
        params.put("messageId", messageId);
        params.put("error", recipients.invalid().isEmpty() ? null : "invalid address syntax");
        writes.insert("""
                insert into mail_outbox (created_at, template, locale, subject, text_body, html_body, to_addresses,
                                         cc_addresses, status, next_attempt_at, rejected_addresses, message_id,
                                         last_error)
                values (:now, :template, :locale, :subject, :text, :html, :to, :cc, :status, :now, :rejected,
                        :messageId, :error)
                """, params);
    }

    /**
     * Claims the next due mail for this sender, if any: rows locked by another sender are skipped, and the claimed
     * one is pushed one lease ahead (its attempt counted, {@code sending_since} set: a send is starting) before the
     * claim commits, so no other node picks it up. One at a time, so a crash holds back only the mail in flight.
     * A row whose {@code sending_since} was still set is an attempt that never recorded its result: its resend is
     * counted in {@code resent_in_doubt} and reported by {@link OutboxMail#inDoubt()}.
     */
    Optional<OutboxMail> claimNext(Instant now, Instant leaseEnd) {
        return jdbc.sql("""
                with due as (select id, sending_since from mail_outbox
                             where status = 'PENDING' and next_attempt_at <= :now
                             order by next_attempt_at, id
                             limit 1
                             for update skip locked)
                update mail_outbox m set attempts = m.attempts + 1, next_attempt_at = :leaseEnd, sending_since = :now,
                    resent_in_doubt = m.resent_in_doubt + case when due.sending_since is null then 0 else 1 end
                from due where m.id = due.id
                returning m.id, m.subject, m.text_body, m.html_body, m.to_addresses, m.cc_addresses, m.message_id,
                          m.attempts, m.rejections, m.delivered_addresses, m.rejected_addresses,
                          due.sending_since is not null as in_doubt
                """)
                .param("now", Timestamp.from(now)).param("leaseEnd", Timestamp.from(leaseEnd))
                .query((rs, n) -> new OutboxMail(rs.getLong("id"), rs.getString("subject"), rs.getString("text_body"),
                        rs.getString("html_body"), strings(rs, "to_addresses"), strings(rs, "cc_addresses"),
                        rs.getString("message_id"), rs.getInt("attempts"), rs.getInt("rejections"),
                        strings(rs, "delivered_addresses"), strings(rs, "rejected_addresses"),
                        rs.getBoolean("in_doubt")))
                .optional();
    }

    void finish(long id, Status status, List<String> delivered, List<String> rejected, int rejections,
                Instant nextAttempt, String lastError, Instant sentAt) {
        jdbc.sql("""
                update mail_outbox set status = :status, delivered_addresses = :delivered,
                    rejected_addresses = :rejected, rejections = :rejections, next_attempt_at = :next,
                    last_error = :error, sent_at = :sentAt, sending_since = null
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
