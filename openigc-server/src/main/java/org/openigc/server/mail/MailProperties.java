package org.openigc.server.mail;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code openigc.mail.*}. The SMTP server itself is Spring Boot's {@code spring.mail.*} (in demo mode, when
 * {@code spring.mail.host} is unset, the embedded demo server).
 *
 * @param from           the From header of every mail
 * @param pollInterval   how often each node sweeps the outbox for due mails (besides the attempt right after commit)
 * @param initialBackoff delay before the first retry; it doubles at each failed attempt
 * @param maxBackoff     the longest delay between two attempts
 * @param maxRejections  attempts the SMTP server may refuse temporarily (4xx) before the mail is given up (FAILED)
 *                       and its remaining recipients recorded as undeliverable. An unreachable server does not
 *                       count: those mails are retried until it is back, never dropped.
 * @param claimLease     how long a claimed mail is hidden from other senders; a node dying mid-send leaves it due
 *                       again after this lease (longer than any SMTP timeout)
 * @param batchSize      with a fixed 50 rounds, bounds how many mails one sweep sends on its SMTP connection (a
 *                       sweep that reaches it is followed at once by another, on a new connection; mails are
 *                       claimed one at a time, so a crash holds back only the one in flight)
 * @param retention      how long sent mails are kept before being purged
 */
@ConfigurationProperties("openigc.mail")
public record MailProperties(
        @DefaultValue("OpenIGC <no-reply@openigc.localhost>") String from,
        @DefaultValue("30s") Duration pollInterval,
        @DefaultValue("1m") Duration initialBackoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("6") int maxRejections,
        @DefaultValue("10m") Duration claimLease,
        @DefaultValue("20") int batchSize,
        @DefaultValue("30d") Duration retention) {
}
