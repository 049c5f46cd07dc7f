package org.openigc.server.mail;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Every mail goes through the outbox: rendered and written in the same transaction as the change that causes it,
 * sent after commit with retries. A rolled-back change sends nothing; a committed one is sent even if the node
 * stops right after (another node's sweep, or the next start, picks it up).
 */
@Service
public class MailOutbox {
    private static final Logger log = LoggerFactory.getLogger(MailOutbox.class);

    private final MailRenderer renderer;
    private final OutboxRepository outbox;
    private final OutboxSender sender;
    private final UndeliverableAddresses undeliverable;
    private final Clock clock;
    private final String messageIdDomain;

    MailOutbox(MailRenderer renderer, OutboxRepository outbox, OutboxSender sender,
               UndeliverableAddresses undeliverable, Clock clock, MailProperties properties) {
        this.renderer = renderer;
        this.outbox = outbox;
        this.sender = sender;
        this.undeliverable = undeliverable;
        this.clock = clock;
        this.messageIdDomain = domainOf(properties.from());
    }

    /**
     * Queues one mail in the current transaction.
     *
     * @param template name of the Thymeleaf text template {@code templates/mail/<template>.txt} (and optional
     *                 {@code .html}); its first line {@code Subject: …} is the subject
     * @param model    values the template reads
     * @param locale   the recipients' language (French by default)
     * @throws IllegalArgumentException for an unknown template or no recipient at all (a programming error: the
     *                                  caller's transaction rolls back). A syntactically invalid address does not
     *                                  throw: it is recorded as undeliverable and the others still get the mail.
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public void enqueue(String template, Map<String, Object> model, List<String> to, List<String> cc, Locale locale) {
        Recipients recipients = Recipients.of(to, cc);
        if (recipients.none() && recipients.invalid().isEmpty()) {
            throw new IllegalArgumentException("a mail needs at least one recipient (template " + template + ")");
        }
        Locale language = locale == null ? Locale.FRENCH : locale;
        MailRenderer.RenderedMail mail = renderer.render(template, model == null ? Map.of() : model, language);
        Instant now = clock.instant();
        String messageId = "<" + UUID.randomUUID() + "@" + messageIdDomain + ">";
        outbox.insert(template, language.toLanguageTag(), mail, recipients, messageId, now);
        recipients.invalid().forEach(address -> undeliverable.record(address, "invalid address syntax", now));
        if (!recipients.none()) {
            sender.sendAfterCommit();
        }
        // addresses stay out of the log (personal data); the outbox row has them
        log.info("event=mail-queued messageId={} template={} recipients={} invalidAddresses={}", messageId, template,
                recipients.to().size() + recipients.cc().size(), recipients.invalid().size());
    }

    private static String domainOf(String from) {
        try {
            String address = new InternetAddress(from, true).getAddress();
            return address.substring(address.indexOf('@') + 1);
        } catch (AddressException | StringIndexOutOfBoundsException e) {
            return "openigc.localhost";
        }
    }
}
