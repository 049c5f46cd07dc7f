package org.openigc.server.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.mail.demo.ReceivedMail;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sender's SMTP connection, against the real embedded PostgreSQL and the demo GreenMail reached through a
 * {@link SmtpRelay} that counts connections and can cut them between two mails. The mails of a test are queued one
 * day ahead and sent by a sender of their own whose clock is a day ahead, so the application's sender (its sweep,
 * its wake-ups after commit) never takes them; what other tests left due within that day is sent before each test.
 */
class OutboxConnectionIT extends ServerTestSupport {
    private static final Duration AHEAD = Duration.ofDays(1);

    @Autowired
    MailOutbox outbox;
    @Autowired
    OutboxRepository repository;
    @Autowired
    UndeliverableAddresses undeliverable;
    @Autowired
    MailProperties properties;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    JdbcClient jdbc;

    private SmtpRelay relay;
    private OutboxSender sender;
    private final String prefix = "conn-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void relayToTheDemoServer() throws Exception {
        relay = new SmtpRelay(smtpServer().port());
        JavaMailSenderImpl throughRelay = new JavaMailSenderImpl();
        throughRelay.setHost("127.0.0.1");
        throughRelay.setPort(relay.port());
        throughRelay.getJavaMailProperties().setProperty("mail.smtp.sendpartial", "true");
        throughRelay.getJavaMailProperties().setProperty("mail.smtp.connectiontimeout", "5000");
        throughRelay.getJavaMailProperties().setProperty("mail.smtp.timeout", "10000");
        StaticListableBeanFactory beans = new StaticListableBeanFactory(Map.of("mailSender", throughRelay));
        sender = new OutboxSender(repository, undeliverable, beans.getBeanProvider(JavaMailSender.class), properties,
                Clock.offset(Clock.systemUTC(), AHEAD.plusMinutes(1)), transactionManager);
        // whatever other tests left due within that day goes out now, not in the middle of this test's mails
        sender.sendDue();
        relay.resetCounts();
    }

    @AfterEach
    void stop() throws Exception {
        sender.stop();
        relay.close();
    }

    @Test
    void theMailsOfASweepShareOneConnection() {
        List<String> recipients = queue(10);
        assertThat(sender.sendDue()).isGreaterThanOrEqualTo(10);
        assertThat(relay.connections()).isEqualTo(1);
        assertThat(relay.mails()).isGreaterThanOrEqualTo(10);
        assertDeliveredOnceEach(recipients);
        assertThat(rows(r -> "SENT".equals(r.get("status")) && attempts(r) == 1)).hasSize(10);
    }

    @Test
    void aConnectionCutBetweenTwoMailsIsReplacedAndEveryMailGoesOutOnce() {
        List<String> recipients = queue(8);
        relay.cutAfter(3, false);
        sender.sendDue();
        assertThat(relay.connections()).as("one connection, cut, then a new one").isEqualTo(2);
        assertDeliveredOnceEach(recipients);
        assertThat(rows(r -> "SENT".equals(r.get("status")) && attempts(r) == 1 && inDoubt(r) == 0)).hasSize(8);
    }

    @Test
    void mailsAfterACutWhileTheServerIsAwayAreRetriedAndEachDeliveredOnce() {
        List<String> recipients = queue(8);
        relay.cutAfter(3, true);
        sender.sendDue();
        List<Map<String, Object>> first = rows(r -> true);
        assertThat(first.subList(0, 3)).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SENT"));
        assertThat(first.subList(3, 8)).as("not reached: retried later, not refused").allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("PENDING");
            assertThat(r.get("last_error")).isNotNull();
            assertThat(r.get("sending_since")).isNull();
            assertThat(((Number) r.get("rejections")).intValue()).isZero();
        });
        assertThat(receivedMine()).hasSize(3);

        relay.up();
        jdbc.sql("update mail_outbox set next_attempt_at = now() + :ahead * interval '1 second' "
                        + "where to_addresses[1] like :p and status = 'PENDING'")
                .param("ahead", AHEAD.toSeconds()).param("p", prefix + "-%").update();
        sender.sendDue();
        assertDeliveredOnceEach(recipients);
        List<Map<String, Object>> last = rows(r -> true);
        assertThat(last).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("SENT");
            assertThat(inDoubt(r)).isZero();
        });
        assertThat(last.stream().map(OutboxConnectionIT::attempts).toList()).containsExactly(1, 1, 1, 2, 2, 2, 2, 2);
    }

    @Test
    void aRefusedMailLeavesTheConnectionToTheNextOne() {
        String refused = prefix + "-1@nowhere.invalid";
        String busy = prefix + "-3@busy.invalid";
        List<String> good = List.of(prefix + "-0@example.org", prefix + "-2@example.org", prefix + "-4@example.org");
        queue(List.of(good.get(0), refused, good.get(1), busy, good.get(2)));
        sender.sendDue();
        assertThat(relay.connections()).isEqualTo(1);
        assertDeliveredOnceEach(good);
        List<Map<String, Object>> rows = rows(r -> true);
        assertThat(rows.stream().map(r -> r.get("status")).toList())
                .containsExactly("SENT", "FAILED", "SENT", "PENDING", "SENT");
        assertThat(rows.get(1).get("last_error").toString()).contains("550");
        assertThat(rows.get(3).get("last_error").toString()).contains("450");
        assertThat(((Number) rows.get(3).get("rejections")).intValue()).isEqualTo(1);
        assertThat(undeliverable.isUndeliverable(refused)).isTrue();
    }

    /** Queues one mail per recipient, due a day from now (for this test's sender only), in this order. */
    private List<String> queue(int count) {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            recipients.add(prefix + "-" + i + "@example.org");
        }
        queue(recipients);
        return recipients;
    }

    private void queue(List<String> recipients) {
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            for (String to : recipients) {
                outbox.enqueue("test-message", Map.of("name", "Connection", "reference", to), List.of(to), List.of(),
                        null);
            }
            // same now() for all: the sender takes them in id order
            jdbc.sql("update mail_outbox set next_attempt_at = now() + :ahead * interval '1 second' "
                            + "where to_addresses[1] like :p")
                    .param("ahead", AHEAD.toSeconds()).param("p", prefix + "-%").update();
        });
    }

    private List<ReceivedMail> receivedMine() {
        return receivedMails().stream().filter(mail -> mail.envelope().stream().anyMatch(a -> a.startsWith(prefix)))
                .toList();
    }

    /** Each recipient got exactly one mail, and no Message-ID arrived twice. */
    private void assertDeliveredOnceEach(List<String> recipients) {
        List<ReceivedMail> received = receivedMine();
        assertThat(received.stream().flatMap(mail -> mail.envelope().stream()).toList())
                .containsExactlyInAnyOrderElementsOf(recipients);
        assertThat(received.stream().collect(Collectors.groupingBy(ReceivedMail::messageId, Collectors.counting())))
                .allSatisfy((id, copies) -> assertThat(copies).as(id).isEqualTo(1L));
    }

    /** This test's rows, in the order they were queued, that match. */
    private List<Map<String, Object>> rows(java.util.function.Predicate<Map<String, Object>> which) {
        return jdbc.sql("select * from mail_outbox where to_addresses[1] like :p order by id")
                .param("p", prefix + "-%").query().listOfRows().stream().filter(which).toList();
    }

    private static int attempts(Map<String, Object> row) {
        return ((Number) row.get("attempts")).intValue();
    }

    private static int inDoubt(Map<String, Object> row) {
        return ((Number) row.get("resent_in_doubt")).intValue();
    }
}
