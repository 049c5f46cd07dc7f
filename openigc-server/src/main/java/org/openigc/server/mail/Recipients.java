package org.openigc.server.mail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * The To and Cc of one mail: bare addresses, duplicates removed (ignoring case, a Cc already in To dropped), and the
 * syntactically invalid ones set apart — a bad address must not roll back the business change that mails it.
 */
record Recipients(List<String> to, List<String> cc, List<String> invalid) {

    static Recipients of(List<String> to, List<String> cc) {
        Map<String, String> seen = new LinkedHashMap<>();
        List<String> invalid = new ArrayList<>();
        List<String> validTo = collect(to, seen, invalid);
        List<String> validCc = collect(cc, seen, invalid);
        return new Recipients(validTo, validCc, List.copyOf(invalid));
    }

    private static List<String> collect(List<String> addresses, Map<String, String> seen, List<String> invalid) {
        List<String> valid = new ArrayList<>();
        if (addresses == null) {
            return valid;
        }
        for (String raw : addresses) {
            if (raw == null || raw.isBlank()) {
                continue;
            }
            String address;
            try {
                InternetAddress parsed = new InternetAddress(raw.strip(), true);
                parsed.validate();
                address = parsed.getAddress();
            } catch (AddressException e) {
                invalid.add(raw.strip());
                continue;
            }
            if (seen.putIfAbsent(key(address), address) == null) {
                valid.add(address);
            }
        }
        return List.copyOf(valid);
    }

    boolean none() {
        return to.isEmpty() && cc.isEmpty();
    }

    /** Addresses are compared and flagged in lower case (domains are case-insensitive, local parts are in practice). */
    static String key(String address) {
        return address.strip().toLowerCase(Locale.ROOT);
    }
}
