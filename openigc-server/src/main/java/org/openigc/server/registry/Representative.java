package org.openigc.server.registry;

import java.time.LocalDate;
import java.util.UUID;

/** A legal representative or mandataire of a structure (an EJ's also represents its EG). */
public record Representative(UUID id, UUID structureId, UUID personId, RepresentativeRole role, LocalDate validFrom,
                             LocalDate validUntil) {
    public boolean activeOn(LocalDate day) {
        return !validFrom.isAfter(day) && (validUntil == null || !validUntil.isBefore(day));
    }
}
