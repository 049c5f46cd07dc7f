package org.openigc.server.mail.demo;

import java.time.Instant;
import java.util.List;

/**
 * A mail as the demo SMTP server received it.
 *
 * @param envelope every address of the SMTP envelope (RCPT TO), Bcc included
 * @param html     the HTML alternative, null for a text-only mail
 */
public record ReceivedMail(String from, List<String> to, List<String> cc, List<String> envelope, String subject,
                           Instant date, String text, String html, String messageId) {

    /** Whether the mail was sent to this address (To, Cc or envelope), ignoring case. */
    public boolean isFor(String address) {
        return envelope.stream().anyMatch(a -> a.equalsIgnoreCase(address))
                || to.stream().anyMatch(a -> a.equalsIgnoreCase(address))
                || cc.stream().anyMatch(a -> a.equalsIgnoreCase(address));
    }
}
