package org.openigc.server.registry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.openigc.ca.Offer;

/**
 * What an approved form 413 grants: one administrator may manage one offer type (ORG, SERV or PRO) for one structure.
 *
 * @param sslDomains       approved domain names for SERV SSL certificates
 * @param smimeDomains     approved mail domains for S/MIME and PRO certificates
 * @param dossierReference the 413 dossier that granted it ({@code 413-2026-000123}), null when entered otherwise
 */
public record Habilitation(UUID id, UUID structureId, UUID personId, Offer offer, List<String> sslDomains,
                           List<String> smimeDomains, String dossierReference, Instant grantedAt, Instant revokedAt) {
    public Habilitation {
        sslDomains = List.copyOf(sslDomains);
        smimeDomains = List.copyOf(smimeDomains);
    }

    public boolean active() {
        return revokedAt == null;
    }
}
