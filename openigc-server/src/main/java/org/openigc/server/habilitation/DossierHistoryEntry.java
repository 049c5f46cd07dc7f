package org.openigc.server.habilitation;

import java.time.Instant;

/** One transition of a dossier, as shown on its page. {@code from} is null for the submission. */
public record DossierHistoryEntry(Instant occurredAt, DossierStatus from, DossierStatus to, String actorName, String note) {
}
