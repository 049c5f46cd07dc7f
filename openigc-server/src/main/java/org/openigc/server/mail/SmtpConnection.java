package org.openigc.server.mail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * One SMTP connection for the mails of one sweep, opened at the first mail with the host, port, protocol and
 * credentials of the configured {@link JavaMailSenderImpl}, and kept open for the next ones: opening one per mail
 * (TCP, greeting, EHLO, and with a real relay TLS and AUTH) cost more than the mail itself. Before a mail goes out on
 * a connection that already carried one, the server is asked whether it is still there (Jakarta Mail's
 * {@code isConnected}: NOOP, or RSET with {@code mail.smtp.userset}); a connection it dropped is replaced before any
 * of that mail is sent. After a refused mail Jakarta Mail resets the SMTP transaction itself (RSET), and after an I/O
 * error it closes the connection, so what one mail met never decides the fate of the next. Not thread-safe: one per
 * sweep.
 */
final class SmtpConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpConnection.class);

    private final JavaMailSenderImpl settings;
    private Transport transport;

    SmtpConnection(JavaMailSenderImpl settings) {
        this.settings = settings;
    }

    /** Sends one mail to its envelope; what the server answered (or that it could not be reached). */
    SmtpOutcome send(MimeMessage message, List<String> envelope) {
        // a transport kept from an earlier mail: is the server still there?
        if (transport != null && !transport.isConnected()) {
            closeQuietly(); // isConnected has closed the socket already; this forgets the transport
        }
        if (transport == null) {
            try {
                transport = connect();
            } catch (MessagingException | RuntimeException e) {
                return SmtpOutcome.of(failure(e instanceof AuthenticationFailedException
                        ? "Authentication failed" : "Mail server connection failed", message, e), envelope);
            }
        }
        try {
            transport.sendMessage(message, message.getAllRecipients());
            return SmtpOutcome.success(envelope);
        } catch (MessagingException | RuntimeException e) {
            return SmtpOutcome.of(failure("Mail not accepted", message, e), envelope);
        }
    }

    /** QUIT: every mail sent on this connection is already recorded, so a failure here changes nothing. */
    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (transport == null) {
            return;
        }
        try {
            transport.close();
        } catch (MessagingException e) {
            log.debug("event=mail-smtp-close-failed error=\"{}\"", SmtpOutcome.redacted(SmtpOutcome.clean(e.getMessage())));
        } finally {
            transport = null;
        }
    }

    /** Connects as {@link JavaMailSenderImpl} itself does. */
    private Transport connect() throws MessagingException {
        String username = settings.getUsername();
        String password = settings.getPassword();
        if ("".equals(username)) {
            username = null;
            if ("".equals(password)) {
                password = null;
            }
        }
        Session session = settings.getSession();
        String protocol = settings.getProtocol();
        if (protocol == null) {
            protocol = session.getProperty("mail.transport.protocol");
        }
        Transport connecting = session.getTransport(protocol == null ? "smtp" : protocol);
        connecting.connect(settings.getHost(), settings.getPort(), username, password);
        return connecting;
    }

    /** The exception {@link JavaMailSenderImpl} would have thrown, which {@link SmtpOutcome} reads. */
    private static MailSendException failure(String what, MimeMessage message, Exception cause) {
        Map<Object, Exception> failed = new LinkedHashMap<>();
        failed.put(message, cause);
        return new MailSendException(what, cause, failed);
    }
}
