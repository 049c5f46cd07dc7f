package org.openigc.server.mail;

import java.time.Instant;
import java.util.UUID;

/** An address a mail could not reach; {@code structureId} is null unless a feature attached one. */
public record UndeliverableAddress(String address, Instant firstSeen, Instant lastSeen, String lastError,
                                   UUID structureId) {
}
