package org.openigc.server.mail;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Every mail goes through the outbox: written in the same transaction as the change that causes it, sent after
 * commit with retries.
 *
 * <p>PLACEHOLDER: the signature is final; the outbox table and sender come with the mail feature.
 */
@Service
public class MailOutbox {
    private static final Logger log = LoggerFactory.getLogger(MailOutbox.class);

    /**
     * Queues one mail in the current transaction.
     *
     * @param template name of the Thymeleaf text template {@code templates/mail/<template>.txt} (and optional
     *                 {@code .html}); its first line {@code Subject: …} is the subject
     * @param model    values the template reads
     * @param locale   the recipients' language (French by default)
     */
    public void enqueue(String template, Map<String, Object> model, List<String> to, List<String> cc, Locale locale) {
        log.info("event=mail-queued template={} recipients={}", template, to.size() + cc.size());
    }
}
