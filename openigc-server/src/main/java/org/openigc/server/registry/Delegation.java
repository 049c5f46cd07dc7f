package org.openigc.server.registry;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A structure's legal representative lets an editor's administrators (CPA cards at the editor) manage the
 * structure's ORG and SERV certificates, until {@code endsOn} or revocation.
 */
public record Delegation(UUID id, UUID structureId, UUID editorStructureId, UUID grantedBy, Instant grantedAt,
                         LocalDate endsOn, Instant revokedAt) {
    public boolean activeOn(LocalDate day) {
        return revokedAt == null && !endsOn.isBefore(day);
    }
}
