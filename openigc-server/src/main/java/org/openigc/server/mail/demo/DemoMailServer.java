package org.openigc.server.mail.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo mode's SMTP server: a real SMTP server (GreenMail) on a loopback port, keeping the last mails it received
 * in memory for {@code /demo/mails} (and for the tests, which read the same server).
 *
 * <p>Like a real relay it refuses some recipients, so the undeliverable-address flow can be shown and tested without
 * an outside server: addresses in the reserved {@code .invalid} domain (RFC 2606) get {@code 550 5.1.1} (permanent),
 * except {@code busy.invalid}, which always answers {@code 450 4.2.1} (temporary: retried, then given up).
 */
public class DemoMailServer {
    /** The reserved top-level domain that never exists: refused with a permanent error. */
    public static final String REFUSED_DOMAIN = ".invalid";
    /** Always refused with a temporary error. */
    public static final String BUSY_DOMAIN = "busy.invalid";
    private static final Logger log = LoggerFactory.getLogger(DemoMailServer.class);
    private static final int KEPT = 1000;

    private final Deque<ReceivedMail> received = new ConcurrentLinkedDeque<>();
    private final Managers managers = new CapturingManagers();
    private final int port;
    private SmtpServer server;

    /** @param port 0 for a free port */
    public DemoMailServer(int port) {
        this.port = port == 0 ? freeLoopbackPort() : port;
    }

    public int port() {
        return port;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        SmtpServer starting = new PromptSmtpServer(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                managers);
        starting.startService();
        try {
            if (!starting.waitTillRunning(10_000)) {
                starting.stopService();
                throw new IllegalStateException("the demo SMTP server did not start on 127.0.0.1:" + port);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        server = starting;
        log.info("event=demo-smtp-started address=127.0.0.1:{}", port);
    }

    /** Stops listening (mails received so far are kept); {@link #start()} listens again on the same port. */
    public synchronized void stop() {
        if (server != null) {
            server.stopService();
            server = null;
            log.info("event=demo-smtp-stopped");
        }
    }

    public synchronized boolean running() {
        return server != null;
    }

    /** Newest first. */
    public List<ReceivedMail> received() {
        return List.copyOf(received);
    }

    private void capture(MovingMessage message) {
        try {
            received.addFirst(parse(message));
        } catch (MessagingException | IOException e) {
            log.warn("event=demo-smtp-unreadable-mail error=\"{}\"", e.getMessage());
        }
        while (received.size() > KEPT) {
            received.pollLast();
        }
    }

    private static ReceivedMail parse(MovingMessage moving) throws MessagingException, IOException {
        MimeMessage message = moving.getMessage();
        List<String> envelope = moving.getToAddresses().stream().map(MailAddress::getEmail).toList();
        Address[] from = message.getFrom();
        Instant date = message.getSentDate() == null ? Instant.now() : message.getSentDate().toInstant();
        Parts parts = new Parts();
        parts.collect(message);
        return new ReceivedMail(from == null || from.length == 0 ? null : from[0].toString(),
                addresses(message.getRecipients(Message.RecipientType.TO)),
                addresses(message.getRecipients(Message.RecipientType.CC)), envelope, message.getSubject(), date,
                parts.text, parts.html, message.getMessageID());
    }

    private static List<String> addresses(Address[] addresses) {
        List<String> list = new ArrayList<>();
        if (addresses != null) {
            for (Address address : addresses) {
                list.add(address instanceof InternetAddress internet ? internet.getAddress() : address.toString());
            }
        }
        return List.copyOf(list);
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first text/plain and text/html parts, wherever they sit in the MIME tree. */
    private static final class Parts {
        String text;
        String html;

        void collect(Part part) throws MessagingException, IOException {
            if (part.isMimeType("text/plain") && text == null && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                text = String.valueOf(part.getContent()).replace("\r\n", "\n");
            } else if (part.isMimeType("text/html") && html == null) {
                html = String.valueOf(part.getContent());
            } else if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    collect(multipart.getBodyPart(i));
                }
            }
        }
    }

    /**
     * GreenMail's SMTP server with Nagle's algorithm off on each connection: GreenMail writes a multi-line reply (EHLO)
     * line by line, and without this the second line waited for the client's delayed ACK, about 40 ms per
     * connection.
     */
    private static final class PromptSmtpServer extends SmtpServer {
        PromptSmtpServer(ServerSetup setup, Managers managers) {
            super(setup, managers);
        }

        @Override
        protected void handleClientSocket(Socket socket) throws SocketException {
            socket.setTcpNoDelay(true);
            super.handleClientSocket(socket);
        }
    }

    /** GreenMail's managers with an SMTP manager that refuses .invalid and keeps mails here instead of mailboxes. */
    private final class CapturingManagers extends Managers {
        private final SmtpManager smtp = new CapturingSmtpManager(getImapHostManager(), getUserManager());

        @Override
        public SmtpManager getSmtpManager() {
            return smtp;
        }
    }

    private final class CapturingSmtpManager extends SmtpManager {
        CapturingSmtpManager(ImapHostManager imap, UserManager users) {
            super(imap, users);
        }

        @Override
        public String checkRecipient(SmtpState state, MailAddress recipient) {
            String host = recipient.getHost() == null ? "" : recipient.getHost().toLowerCase(Locale.ROOT);
            if (host.equals(BUSY_DOMAIN)) {
                return "450 4.2.1 <" + recipient.getEmail() + ">: mailbox busy, try again later (demo)";
            }
            if (host.endsWith(REFUSED_DOMAIN) || ("." + host).equals(REFUSED_DOMAIN)) {
                return "550 5.1.1 <" + recipient.getEmail() + ">: mailbox unavailable (demo: the .invalid domain "
                        + "never exists)";
            }
            return null;
        }

        @Override
        public synchronized void send(SmtpState state) {
            // not delivered to per-user mailboxes: the demo shows one list of everything sent
            capture(state.getMessage());
        }
    }
}
