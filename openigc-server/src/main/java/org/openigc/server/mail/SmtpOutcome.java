package org.openigc.server.mail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;

/**
 * What one send attempt did to each recipient, read from the SMTP replies. Permanent refusals (5xx) are final;
 * temporary ones (4xx, and what JavaMail treats as such) are retried; a server that could not be reached at all
 * ({@code smtpAnswered == false}) says nothing about the addresses.
 *
 * @param delivered    accepted by the server
 * @param permanent    refused for good, with the server's reply
 * @param temporary    not delivered this time, with the reason
 * @param smtpAnswered whether the server itself refused (as opposed to no connection, timeout, authentication)
 */
record SmtpOutcome(List<String> delivered, Map<String, String> permanent, Map<String, String> temporary,
                   boolean smtpAnswered) {
    private static final int MAX_ERROR = 500;

    static SmtpOutcome success(List<String> envelope) {
        return new SmtpOutcome(List.copyOf(envelope), Map.of(), Map.of(), true);
    }

    static SmtpOutcome of(MailException failure, List<String> envelope) {
        Exception cause = failure;
        if (failure instanceof MailSendException send && send.getMessageExceptions().length > 0) {
            cause = send.getMessageExceptions()[0];
        }
        SendFailedException refused = findSendFailed(cause);
        if (refused == null) {
            String reason = describe(cause);
            Map<String, String> temporary = new LinkedHashMap<>();
            envelope.forEach(address -> temporary.put(address, reason));
            return new SmtpOutcome(List.of(), Map.of(), temporary, false);
        }
        Map<String, String> replies = new LinkedHashMap<>();
        for (Exception next = refused.getNextException(); next != null;
             next = next instanceof MessagingException m ? m.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException address) {
                replies.put(Recipients.key(address.getAddress().getAddress()), clean(address.getMessage()));
            }
        }
        String messageReply = clean(refused.getMessage());
        // MAIL FROM or DATA refused with 5xx: about the message, not an address, and no retry will do better.
        // (A partial success is also an SMTPSendFailedException, with the 250 of the end of data.)
        boolean messageRefusedForGood = (refused instanceof SMTPSendFailedException data && data.getReturnCode() >= 500)
                || (refused instanceof SMTPSenderFailedException sender && sender.getReturnCode() >= 500);
        List<String> delivered = addresses(refused.getValidSentAddresses());
        Map<String, String> permanent = new LinkedHashMap<>();
        for (String address : addresses(refused.getInvalidAddresses())) {
            permanent.put(address, replies.getOrDefault(Recipients.key(address), messageReply));
        }
        Map<String, String> temporary = new LinkedHashMap<>();
        for (String address : addresses(refused.getValidUnsentAddresses())) {
            String reply = replies.getOrDefault(Recipients.key(address), messageReply);
            (messageRefusedForGood ? permanent : temporary).put(address, reply);
        }
        // any envelope address the exception did not mention was not delivered either
        List<String> mentioned = new ArrayList<>(delivered);
        mentioned.addAll(permanent.keySet());
        mentioned.addAll(temporary.keySet());
        for (String address : envelope) {
            if (mentioned.stream().noneMatch(m -> m.equalsIgnoreCase(address))) {
                (messageRefusedForGood ? permanent : temporary).put(address, messageReply);
            }
        }
        return new SmtpOutcome(delivered, permanent, temporary, true);
    }

    /** A one-line summary for {@code last_error}. */
    String summary() {
        Map<String, String> problems = new LinkedHashMap<>(permanent);
        problems.putAll(temporary);
        return problems.isEmpty() ? null : clean(String.join("; ", problems.values().stream().distinct().toList()));
    }

    private static SendFailedException findSendFailed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SendFailedException refused) {
                return refused;
            }
        }
        return null;
    }

    private static List<String> addresses(Address[] addresses) {
        List<String> list = new ArrayList<>();
        if (addresses != null) {
            for (Address address : addresses) {
                list.add(address instanceof InternetAddress internet ? internet.getAddress() : address.toString());
            }
        }
        return list;
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return clean(root.getClass().getSimpleName() + message);
    }

    /** For logs: SMTP replies often echo the address; keep its domain (useful to operators), hide the person. */
    static String redacted(String text) {
        return text == null ? null : text.replaceAll("[^\\s<>\"]+@([^\\s<>\"]+)", "***@$1");
    }

    /** One line, bounded: SMTP replies end up in the database and logs. */
    static String clean(String text) {
        if (text == null) {
            return "unknown error";
        }
        String line = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return line.length() > MAX_ERROR ? line.substring(0, MAX_ERROR) : line;
    }
}
