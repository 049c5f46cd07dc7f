package org.openigc.server.mail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A claimed outbox row: what to send, and to whom it was already delivered or refused for good. {@code inDoubt}: an
 * earlier attempt was claimed but never recorded its result (its node died mid-send), so the SMTP server may already
 * hold this mail and this send may be a second copy, with the same Message-ID.
 */
record OutboxMail(long id, String subject, String text, String html, List<String> to, List<String> cc,
                  String messageId, int attempts, int rejections, List<String> delivered, List<String> rejected,
                  boolean inDoubt) {

    /** Who still has to receive it: a retry never sends twice to a recipient that already accepted it. */
    List<String> pending() {
        Set<String> done = new HashSet<>();
        delivered.forEach(address -> done.add(Recipients.key(address)));
        rejected.forEach(address -> done.add(Recipients.key(address)));
        Set<String> all = new LinkedHashSet<>(to);
        all.addAll(cc);
        List<String> pending = new ArrayList<>();
        for (String address : all) {
            if (!done.contains(Recipients.key(address))) {
                pending.add(address);
            }
        }
        return pending;
    }
}
