package org.openigc.server.mail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.activation.FileTypeMap;
import jakarta.annotation.PreDestroy;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.StreamProvider;
import org.eclipse.angus.mail.util.MailStreamProvider;
import org.openigc.server.mail.OutboxRepository.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.mail.MailException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends what the outbox holds: right after the commit that queued a mail (on a background thread, so a request never
 * waits for SMTP), and on a periodic sweep on every node (catch-up after a restart, retries). Mails are claimed one
 * at a time through {@code FOR UPDATE SKIP LOCKED} in their own short transaction; the SMTP conversation happens
 * outside any transaction, on one connection kept open for the mails of a sweep ({@link SmtpConnection}); each
 * mail's result is written in another transaction as soon as the server has answered its data, before the next mail
 * is claimed. Across a crash this is at-least-once: the one mail in flight at a node's death may be sent again
 * (flagged "in doubt", same Message-ID); nothing is lost, and nothing else is sent twice.
 */
@Component
class OutboxSender {
    private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
    /**
     * With the batch size, bounds one sweep (at most MAX_ROUNDS × batch size mails), so a huge backlog is worked
     * through in several runs, one after the other and each on its own SMTP connection, rather than one endless loop.
     */
    private static final int MAX_ROUNDS = 50;

    static {
        // Jakarta Mail looks its StreamProvider up anew, scanning the class path with a ServiceLoader, at each encoded
        // header and body part (jakartaee/mail-api#861): half the CPU of a mail, on the sending and (demo) receiving
        // side, in a profile. Naming the only provider present skips the scan.
        System.getProperties().putIfAbsent(StreamProvider.class.getName(), MailStreamProvider.class.getName());
    }

    private final OutboxRepository outbox;
    private final UndeliverableAddresses undeliverable;
    private final ObjectProvider<JavaMailSender> mailSender;
    private final MailProperties properties;
    private final Clock clock;
    private final TransactionTemplate ownTransaction;
    private final InternetAddress from;
    private final ExecutorService afterCommit = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mail-outbox");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean wakeUpQueued = new AtomicBoolean();
    private final AtomicBoolean warnedNoSmtp = new AtomicBoolean();

    OutboxSender(OutboxRepository outbox, UndeliverableAddresses undeliverable,
                 ObjectProvider<JavaMailSender> mailSender, MailProperties properties, Clock clock,
                 PlatformTransactionManager transactions) {
        this.outbox = outbox;
        this.undeliverable = undeliverable;
        this.mailSender = mailSender;
        this.properties = properties;
        this.clock = clock;
        this.ownTransaction = new TransactionTemplate(transactions);
        // never join a caller's transaction: the sender must only ever see committed mails
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        try {
            this.from = new InternetAddress(properties.from(), true);
        } catch (MessagingException e) {
            throw new IllegalStateException("openigc.mail.from is not a valid address: " + properties.from(), e);
        }
    }

    /** An immediate attempt once the current transaction commits (none if it rolls back). */
    void sendAfterCommit() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            wakeUp();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                wakeUp();
            }
        });
    }

    private void wakeUp() {
        // many commits in a burst make one extra run, not one run each
        if (wakeUpQueued.compareAndSet(false, true)) {
            try {
                afterCommit.execute(() -> {
                    wakeUpQueued.set(false);
                    sendDueQuietly();
                });
            } catch (RuntimeException e) {
                wakeUpQueued.set(false); // shutting down: the next start's sweep sends it
            }
        }
    }

    /** Catch-up at start: mails committed before a stop or crash go out without waiting for the first sweep. */
    @EventListener(ApplicationReadyEvent.class)
    void started() {
        wakeUp();
    }

    /** Sending happens on the outbox thread: the shared scheduler thread never waits on an SMTP server. */
    @Scheduled(fixedDelayString = "${openigc.mail.poll-interval:30s}", initialDelayString = "${openigc.mail.poll-interval:30s}")
    void sweep() {
        wakeUp();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void purgeSent() {
        int purged = ownTransaction.execute(status -> outbox.purgeSentBefore(clock.instant().minus(properties.retention())));
        if (purged > 0) {
            log.info("event=mail-outbox-purged count={}", purged);
        }
    }

    private void sendDueQuietly() {
        try {
            sendDue();
        } catch (RuntimeException e) {
            // the database may be briefly unavailable: the next sweep tries again; mails stay in the table
            log.warn("event=mail-outbox-sweep-failed error=\"{}\"", SmtpOutcome.redacted(SmtpOutcome.clean(e.getMessage())));
        }
    }

    /** Sends every due mail; returns how many were tried. Safe to call from several threads and nodes at once. */
    int sendDue() {
        JavaMailSender sender = mailSender.getIfAvailable();
        if (sender == null) {
            if (warnedNoSmtp.compareAndSet(false, true)) {
                log.warn("event=mail-no-smtp note=\"spring.mail.host is not set: mails stay in the outbox until an "
                        + "SMTP server is configured\"");
            }
            return 0;
        }
        int tried = 0;
        int limit = MAX_ROUNDS * properties.batchSize();
        try (SmtpConnection smtp = sender instanceof JavaMailSenderImpl impl ? new SmtpConnection(impl) : null) {
            for (; tried < limit; tried++) {
                Instant now = clock.instant();
                Optional<OutboxMail> claimed = ownTransaction.execute(status ->
                        outbox.claimNext(now, now.plus(properties.claimLease())));
                if (claimed.isEmpty()) {
                    return tried;
                }
                deliver(sender, smtp, claimed.get());
            }
        }
        // the sweep's bound, not the end of the backlog: the rest goes out in another run, on a new connection
        wakeUp();
        return tried;
    }

    /**
     * One attempt, on the sweep's SMTP connection ({@code smtp}, null when the sender is not a
     * {@link JavaMailSenderImpl}). The result is committed as soon as the SMTP server has answered the end of the
     * data, before the next mail is claimed and before the connection is closed: the only moment a crash can lose the
     * fact that a mail went out is between that answer and this commit, and the row then says so
     * ({@code sending_since} still set, see {@link OutboxMail#inDoubt()}).
     */
    private void deliver(JavaMailSender sender, SmtpConnection smtp, OutboxMail mail) {
        if (mail.inDoubt()) {
            log.warn("event=mail-resend-in-doubt id={} attempts={} note=\"an earlier attempt never recorded its result; "
                    + "the SMTP server may already have this mail (same Message-ID)\"", mail.id(), mail.attempts());
        }
        List<String> envelope = mail.pending();
        if (envelope.isEmpty()) {
            recordNow(mail, SmtpOutcome.success(List.of()));
            return;
        }
        MimeMessage message;
        try {
            message = message(sender, mail, envelope);
        } catch (MailPreparationException e) {
            // cannot happen with what enqueue stored; if it does, retrying will not help
            recordNow(mail, new SmtpOutcome(List.of(), failAll(envelope, SmtpOutcome.clean(e.getMessage())),
                    Map.of(), true));
            return;
        }
        if (smtp != null) {
            recordNow(mail, smtp.send(message, envelope));
            return;
        }
        SmtpOutcome outcome;
        try {
            sender.send(message);
            outcome = SmtpOutcome.success(envelope);
        } catch (MailException e) {
            outcome = SmtpOutcome.of(e, envelope);
        }
        recordNow(mail, outcome);
    }

    private void recordNow(OutboxMail mail, SmtpOutcome outcome) {
        ownTransaction.executeWithoutResult(status -> record(mail, outcome));
    }

    private void record(OutboxMail mail, SmtpOutcome outcome) {
        Instant now = clock.instant();
        List<String> delivered = union(mail.delivered(), outcome.delivered());
        Map<String, String> refused = new LinkedHashMap<>(outcome.permanent());
        int rejections = mail.rejections() + (outcome.smtpAnswered() && !outcome.temporary().isEmpty() ? 1 : 0);
        boolean givingUp = !outcome.temporary().isEmpty() && outcome.smtpAnswered()
                && rejections >= properties.maxRejections();
        if (givingUp) {
            refused.putAll(outcome.temporary());
        }
        List<String> rejected = union(mail.rejected(), new ArrayList<>(refused.keySet()));
        refused.forEach((address, error) -> undeliverable.record(address, error, now));
        undeliverable.clear(outcome.delivered());
        String error = outcome.summary();
        if (outcome.temporary().isEmpty() || givingUp) {
            Status status = delivered.isEmpty() ? Status.FAILED : Status.SENT;
            outbox.finish(mail.id(), status, delivered, rejected, rejections, now, error,
                    status == Status.SENT ? now : null);
            if (status == Status.SENT && refused.isEmpty()) {
                log.info("event=mail-sent id={} messageId={} attempts={} recipients={}", mail.id(), mail.messageId(),
                        mail.attempts(), outcome.delivered().size());
            } else {
                log.warn("event=mail-{} id={} attempts={} delivered={} undeliverable={} error=\"{}\"",
                        status == Status.SENT ? "partly-sent" : "failed", mail.id(), mail.attempts(),
                        delivered.size(), refused.size(), SmtpOutcome.redacted(error));
            }
            return;
        }
        Instant next = now.plus(backoff(mail.attempts()));
        outbox.finish(mail.id(), Status.PENDING, delivered, rejected, rejections, next, error, null);
        log.warn("event=mail-retry id={} attempts={} nextAttemptAt={} serverAnswered={} error=\"{}\"", mail.id(),
                mail.attempts(), next, outcome.smtpAnswered(), SmtpOutcome.redacted(error));
    }

    /** initialBackoff × 2^(attempts − 1), at most maxBackoff. */
    Duration backoff(int attempts) {
        Duration delay = properties.initialBackoff();
        for (int i = 1; i < attempts && delay.compareTo(properties.maxBackoff()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(properties.maxBackoff()) > 0 ? properties.maxBackoff() : delay;
    }

    private MimeMessage message(JavaMailSender sender, OutboxMail mail, List<String> envelope) {
        Session session = sender instanceof JavaMailSenderImpl impl ? impl.getSession()
                : Session.getInstance(new Properties());
        try {
            MimeMessage message = new EnvelopeMessage(session, envelope);
            MimeMessageHelper helper = new AttachmentlessHelper(message, mail.html() != null);
            helper.setFrom(from);
            helper.setTo(mail.to().toArray(String[]::new));
            if (!mail.cc().isEmpty()) {
                helper.setCc(mail.cc().toArray(String[]::new));
            }
            helper.setSubject(mail.subject());
            if (mail.html() != null) {
                helper.setText(mail.text(), mail.html());
            } else {
                helper.setText(mail.text());
            }
            helper.setSentDate(Date.from(clock.instant()));
            message.saveChanges();
            // stable across retries, so a receiving server (or person) can tell a resend from a new mail
            // (set after saveChanges, which would replace it)
            message.setHeader("Message-ID", mail.messageId());
            return message;
        } catch (MessagingException e) {
            throw new MailPreparationException(e);
        }
    }

    private static Map<String, String> failAll(List<String> addresses, String error) {
        Map<String, String> all = new LinkedHashMap<>();
        addresses.forEach(address -> all.put(address, error));
        return all;
    }

    private static List<String> union(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        for (String address : second) {
            if (all.stream().noneMatch(a -> a.equalsIgnoreCase(address))) {
                all.add(address);
            }
        }
        return all;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        afterCommit.shutdown();
        afterCommit.awaitTermination(10, TimeUnit.SECONDS);
    }

    /**
     * {@link MimeMessageHelper} builds a new file type map for each message (Jakarta Activation reading every
     * {@code mime.types} and service file of the class path: half the sender's CPU per mail in a profile); it serves
     * only attachments, which outbox mails never have, so all of them share Jakarta Activation's default one.
     */
    private static final class AttachmentlessHelper extends MimeMessageHelper {
        AttachmentlessHelper(MimeMessage message, boolean multipart) throws MessagingException {
            super(message, multipart, "UTF-8");
        }

        @Override
        protected FileTypeMap getDefaultFileTypeMap(MimeMessage message) {
            return FileTypeMap.getDefaultFileTypeMap();
        }
    }

    /**
     * Headers show every To and Cc, but the SMTP envelope holds only those still waiting for the mail: a retry
     * after a partial delivery does not send twice to who already has it.
     */
    private static final class EnvelopeMessage extends MimeMessage {
        private final Address[] envelope;

        EnvelopeMessage(Session session, List<String> envelope) throws MessagingException {
            super(session);
            this.envelope = new Address[envelope.size()];
            for (int i = 0; i < envelope.size(); i++) {
                this.envelope[i] = new InternetAddress(envelope.get(i));
            }
        }

        @Override
        public Address[] getAllRecipients() {
            return envelope.clone();
        }
    }
}
