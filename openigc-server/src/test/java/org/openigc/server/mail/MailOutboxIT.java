package org.openigc.server.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.mail.demo.ReceivedMail;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The outbox against the real embedded PostgreSQL and a real SMTP server (GreenMail, see ServerTestSupport). */
class MailOutboxIT extends ServerTestSupport {
    @Autowired
    MailOutbox outbox;
    @Autowired
    OutboxSender sender;
    @Autowired
    UndeliverableAddresses undeliverable;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void aMailIsSentOnlyOnceItsTransactionCommits() throws InterruptedException {
        String to = unique("admin");
        String cc = unique("contact");
        String reference = UUID.randomUUID().toString().substring(0, 8);
        transactions.executeWithoutResult(status -> {
            outbox.enqueue("test-message", model("Jeanne Martin", reference), List.of(to), List.of(cc, to), null);
            // still uncommitted: no other transaction (hence no sender, on any node) can see it
            sender.sendDue();
            assertThat(rowsSeenByAnotherTransaction(to)).isZero();
            assertThat(receivedMailsTo(to)).isEmpty();
        });
        ReceivedMail mail = awaitMailsTo(to, 1).getFirst();
        assertThat(mail.subject()).isEqualTo("[OpenIGC] Message de test " + reference);
        assertThat(mail.from()).contains("no-reply@openigc.localhost");
        assertThat(mail.to()).containsExactly(to);
        assertThat(mail.cc()).containsExactly(cc);
        assertThat(mail.text()).startsWith("Bonjour Jeanne Martin,").contains("référence " + reference)
                .contains("L’équipe OpenIGC");
        assertThat(mail.html()).contains("<p>Bonjour Jeanne Martin,</p>");
        assertThat(mail.messageId()).endsWith("@openigc.localhost>");
        // the SMTP server has the mail a moment before the sender commits its SENT status
        Map<String, Object> row = awaitRow(to, r -> "SENT".equals(r.get("status")));
        assertThat(row.get("status")).isEqualTo("SENT");
        assertThat(row.get("sent_at")).isNotNull();
        assertThat(receivedMailsTo(to)).hasSize(1);
    }

    @Test
    void aRolledBackTransactionSendsNothing() throws InterruptedException {
        String to = unique("rolled-back");
        transactions.executeWithoutResult(status -> {
            outbox.enqueue("test-message", model("X", "R"), List.of(to), List.of(), Locale.FRENCH);
            status.setRollbackOnly();
        });
        sender.sendDue();
        Thread.sleep(500);
        assertThat(jdbc.sql("select count(*) from mail_outbox where :to = any(to_addresses)").param("to", to)
                .query(Integer.class).single()).isZero();
        assertThat(receivedMailsTo(to)).isEmpty();
    }

    @Test
    void templatesFollowTheRecipientsLanguage() {
        String to = unique("english");
        outbox.enqueue("test-message", model("Jane Doe", "EN1"), List.of(to), List.of(), Locale.ENGLISH);
        ReceivedMail mail = awaitMailsTo(to, 1).getFirst();
        assertThat(mail.subject()).isEqualTo("[OpenIGC] Test message EN1");
        assertThat(mail.text()).startsWith("Hello Jane Doe,");
    }

    @Test
    void aMailQueuedWhileTheSmtpServerIsDownIsSentOnceItIsBack() {
        String to = unique("outage");
        smtpServer().stop();
        try {
            outbox.enqueue("test-message", model("Outage", "DOWN"), List.of(to), List.of(), null);
            // the attempt right after commit fails: connection refused
            Map<String, Object> failed = awaitRow(to, r -> ((Number) r.get("attempts")).intValue() == 1
                    && r.get("last_error") != null);
            assertThat(failed.get("status")).isEqualTo("PENDING");
            assertThat(((Number) failed.get("rejections")).intValue()).as("an unreachable server is not a refusal")
                    .isZero();
            Instant next = ((java.sql.Timestamp) failed.get("next_attempt_at")).toInstant();
            assertThat(next).isAfter(Instant.now().plusSeconds(30));
        } finally {
            smtpServer().start();
        }
        assertThat(receivedMailsTo(to)).isEmpty();
        // the back-off delay has passed
        jdbc.sql("update mail_outbox set next_attempt_at = now() where :to = any(to_addresses)").param("to", to).update();
        sender.sendDue();
        assertThat(awaitMailsTo(to, 1)).hasSize(1);
        Map<String, Object> sent = awaitRow(to, r -> "SENT".equals(r.get("status")));
        assertThat(((Number) sent.get("attempts")).intValue()).isEqualTo(2);
        assertThat(undeliverable.isUndeliverable(to)).isFalse();
    }

    @Test
    void twoConcurrentSendersSendEachMailOnce() throws Exception {
        String prefix = "race-" + UUID.randomUUID().toString().substring(0, 8);
        int mails = 12;
        List<String> recipients = new ArrayList<>();
        transactions.executeWithoutResult(status -> {
            for (int i = 0; i < mails; i++) {
                String to = prefix + "-" + i + "@example.org";
                recipients.add(to);
                outbox.enqueue("test-message", model("N" + i, prefix + "-" + i), List.of(to), List.of(), null);
            }
            // not due yet: the attempt after commit finds nothing, so only the two senders below compete
            jdbc.sql("update mail_outbox set next_attempt_at = now() + interval '1 day' "
                    + "where to_addresses[1] like :p").param("p", prefix + "-%").update();
        });
        jdbc.sql("update mail_outbox set next_attempt_at = now() where to_addresses[1] like :p")
                .param("p", prefix + "-%").update();
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> tried = new ArrayList<>();
        try {
            for (int node = 0; node < 2; node++) {
                tried.add(nodes.submit(() -> {
                    go.await();
                    return sender.sendDue();
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> future : tried) {
                total += future.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isLessThanOrEqualTo(mails);
        } finally {
            nodes.shutdownNow();
        }
        List<ReceivedMail> received = awaitMails(mail -> mail.subject().contains(prefix), mails);
        Thread.sleep(300);
        received = receivedMails().stream().filter(mail -> mail.subject().contains(prefix)).toList();
        assertThat(received).hasSize(mails);
        assertThat(received.stream().map(ReceivedMail::subject).distinct()).hasSize(mails);
        assertThat(jdbc.sql("select count(*) from mail_outbox where to_addresses[1] like :p and status = 'SENT' "
                        + "and attempts = 1").param("p", prefix + "-%").query(Integer.class).single())
                .as("each mail claimed exactly once").isEqualTo(mails);
    }

    @Test
    void anAttemptThatNeverRecordedItsResultIsResentOnceFlaggedInDoubtWithTheSameMessageId() throws Exception {
        String crashed = unique("in-doubt");
        String normal = unique("not-in-doubt");
        transactions.executeWithoutResult(status -> {
            outbox.enqueue("test-message", model("Doubt", "D1"), List.of(crashed), List.of(), null);
            // what a node leaves behind when it dies while talking to SMTP: claimed (attempt counted, send started),
            // result never recorded; its lease has run out
            jdbc.sql("update mail_outbox set attempts = 1, sending_since = now() - interval '10 minutes', "
                    + "next_attempt_at = now() + interval '1 day' where :to = any(to_addresses)")
                    .param("to", crashed).update();
        });
        jdbc.sql("update mail_outbox set next_attempt_at = now() where :to = any(to_addresses)").param("to", crashed)
                .update();
        sender.sendDue();
        ReceivedMail resent = awaitMailsTo(crashed, 1).getFirst();
        Map<String, Object> row = awaitRow(crashed, r -> "SENT".equals(r.get("status")));
        assertThat(resent.messageId()).isEqualTo(row.get("message_id"));
        assertThat(((Number) row.get("resent_in_doubt")).intValue()).as("a possible second copy is counted").isEqualTo(1);
        assertThat(((Number) row.get("attempts")).intValue()).isEqualTo(2);
        assertThat(row.get("sending_since")).as("the result is recorded").isNull();
        Thread.sleep(300);
        assertThat(receivedMailsTo(crashed)).hasSize(1);

        // an ordinary send is not in doubt, and leaves nothing in flight
        outbox.enqueue("test-message", model("Normal", "D2"), List.of(normal), List.of(), null);
        awaitMailsTo(normal, 1);
        Map<String, Object> plain = awaitRow(normal, r -> "SENT".equals(r.get("status")));
        assertThat(((Number) plain.get("resent_in_doubt")).intValue()).isZero();
        assertThat(plain.get("sending_since")).isNull();
    }

    @Test
    void aFailedAttemptIsNotInDoubt() {
        String to = unique("down-not-doubt");
        smtpServer().stop();
        try {
            outbox.enqueue("test-message", model("Down", "D3"), List.of(to), List.of(), null);
            Map<String, Object> failed = awaitRow(to, r -> r.get("last_error") != null);
            assertThat(failed.get("sending_since")).as("the failure is a recorded result").isNull();
        } finally {
            smtpServer().start();
        }
        jdbc.sql("update mail_outbox set next_attempt_at = now() where :to = any(to_addresses)").param("to", to).update();
        sender.sendDue();
        awaitMailsTo(to, 1);
        Map<String, Object> sent = awaitRow(to, r -> "SENT".equals(r.get("status")));
        assertThat(((Number) sent.get("resent_in_doubt")).intValue()).isZero();
    }

    @Test
    void aPermanentRefusalRecordsTheAddressAndTheOthersStillGetTheMail() {
        String good = unique("good");
        String bad = "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@nowhere.invalid";
        outbox.enqueue("test-message", model("Refusal", "550"), List.of(good), List.of(bad), null);
        ReceivedMail mail = awaitMailsTo(good, 1).getFirst();
        assertThat(mail.envelope()).containsExactly(good);
        assertThat(mail.cc()).containsExactly(bad); // the headers still show who was meant to get it
        Map<String, Object> row = awaitRow(good, r -> "SENT".equals(r.get("status")));
        assertThat(row.get("last_error").toString()).contains("550");
        assertThat(undeliverable.isUndeliverable(bad)).isTrue();
        assertThat(undeliverable.isUndeliverable(bad.toUpperCase(Locale.ROOT))).isTrue();
        assertThat(undeliverable.isUndeliverable(good)).isFalse();
        assertThat(undeliverable.list()).filteredOn(u -> u.address().equals(bad)).singleElement()
                .satisfies(u -> assertThat(u.lastError()).contains("550 5.1.1"));
    }

    @Test
    void aMailNobodyCanReceiveIsFailedAtOnce() {
        String bad = "ghost-" + UUID.randomUUID().toString().substring(0, 8) + "@nowhere.invalid";
        outbox.enqueue("test-message", model("Ghost", "F"), List.of(bad), List.of(), null);
        Map<String, Object> row = awaitRow(bad, r -> "FAILED".equals(r.get("status")));
        assertThat(((Number) row.get("attempts")).intValue()).isEqualTo(1);
        assertThat(undeliverable.isUndeliverable(bad)).isTrue();
    }

    @Test
    void temporaryRefusalsAreRetriedThenGivenUp() {
        String busy = "someone-" + UUID.randomUUID().toString().substring(0, 8) + "@busy.invalid";
        outbox.enqueue("test-message", model("Busy", "450"), List.of(busy), List.of(), null);
        awaitRow(busy, r -> ((Number) r.get("rejections")).intValue() == 1);
        assertThat(undeliverable.isUndeliverable(busy)).as("one temporary refusal is not enough").isFalse();
        for (int attempt = 2; attempt <= 6; attempt++) {
            jdbc.sql("update mail_outbox set next_attempt_at = now() where :to = any(to_addresses)")
                    .param("to", busy).update();
            sender.sendDue();
            int expected = attempt;
            awaitRow(busy, r -> ((Number) r.get("rejections")).intValue() == expected);
        }
        Map<String, Object> row = awaitRow(busy, r -> "FAILED".equals(r.get("status")));
        assertThat(row.get("last_error").toString()).contains("450");
        assertThat(undeliverable.isUndeliverable(busy)).isTrue();
    }

    @Test
    void aRetryAfterAPartialDeliveryGoesOnlyToTheRecipientsStillWaiting() {
        String good = unique("partial");
        String busy = "later-" + UUID.randomUUID().toString().substring(0, 8) + "@busy.invalid";
        outbox.enqueue("test-message", model("Partial", "P"), List.of(good, busy), List.of(), null);
        awaitMailsTo(good, 1);
        Map<String, Object> first = awaitRow(good, r -> ((Number) r.get("rejections")).intValue() == 1);
        assertThat(first.get("status")).isEqualTo("PENDING");
        jdbc.sql("update mail_outbox set next_attempt_at = now() where :to = any(to_addresses)").param("to", good)
                .update();
        sender.sendDue();
        awaitRow(good, r -> ((Number) r.get("rejections")).intValue() == 2);
        assertThat(receivedMailsTo(good)).as("the recipient who has it gets no second copy").hasSize(1);
    }

    @Test
    void logsHideThePersonInAnAddress() {
        assertThat(SmtpOutcome.redacted("550 5.1.1 <jeanne.martin@chu.example.fr>: unknown"))
                .isEqualTo("550 5.1.1 <***@chu.example.fr>: unknown");
    }

    @Test
    void anInvalidAddressDoesNotBlockTheOthers() {
        String good = unique("valid");
        outbox.enqueue("test-message", model("Syntax", "S"), List.of("not an address", good), List.of(), null);
        assertThat(awaitMailsTo(good, 1).getFirst().to()).containsExactly(good);
        assertThat(undeliverable.isUndeliverable("not an address")).isTrue();
    }

    @Test
    void aDeliveredMailClearsAnEarlierFlag() {
        String address = unique("recovered");
        transactions.executeWithoutResult(status -> undeliverable.record(address, "550 earlier", Instant.now()));
        assertThat(undeliverable.isUndeliverable(address)).isTrue();
        outbox.enqueue("test-message", model("Back", "B"), List.of(address), List.of(), null);
        awaitMailsTo(address, 1);
        awaitRow(address, r -> "SENT".equals(r.get("status")));
        assertThat(undeliverable.isUndeliverable(address)).isFalse();
    }

    @Test
    void programmingErrorsFailTheCallersTransaction() {
        assertThatThrownBy(() -> outbox.enqueue("no-such-template", Map.of(), List.of(unique("x")), List.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-template");
        assertThatThrownBy(() -> outbox.enqueue("../application", Map.of(), List.of(unique("x")), List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> outbox.enqueue("test-message", Map.of(), List.of(), List.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recipient");
    }

    @Test
    void retriesBackOffExponentiallyUpToTheMaximum() {
        assertThat(sender.backoff(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(sender.backoff(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(sender.backoff(4)).isEqualTo(Duration.ofMinutes(8));
        assertThat(sender.backoff(7)).isEqualTo(Duration.ofHours(1));
        assertThat(sender.backoff(40)).isEqualTo(Duration.ofHours(1));
    }

    private static String unique(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    private static Map<String, Object> model(String name, String reference) {
        Map<String, Object> model = new HashMap<>();
        model.put("name", name);
        model.put("reference", reference);
        return model;
    }

    private int rowsSeenByAnotherTransaction(String to) {
        TransactionTemplate other = new TransactionTemplate(transactions.getTransactionManager());
        other.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        return other.execute(status -> jdbc.sql("select count(*) from mail_outbox where :to = any(to_addresses)")
                .param("to", to).query(Integer.class).single());
    }

    private Map<String, Object> row(String to) {
        return jdbc.sql("select * from mail_outbox where :to = any(to_addresses) or :to = any(cc_addresses)")
                .param("to", to).query().singleRow();
    }

    private Map<String, Object> awaitRow(String to, java.util.function.Predicate<Map<String, Object>> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Map<String, Object> row = row(to);
        while (!condition.test(row)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("outbox row never reached the expected state: " + row);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            row = row(to);
        }
        return row;
    }
}
