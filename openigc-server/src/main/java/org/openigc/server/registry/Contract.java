package org.openigc.server.registry;

import java.time.LocalDate;
import java.util.UUID;

/** Contrat d'adhésion between a structure and the agency. */
public record Contract(UUID id, UUID structureId, String reference, LocalDate signedOn, LocalDate endsOn) {
    public boolean activeOn(LocalDate day) {
        return !signedOn.isAfter(day) && (endsOn == null || !endsOn.isBefore(day));
    }
}
