package org.openigc.server.registry;

import java.util.List;
import java.util.Set;

import org.openigc.ca.Offer;

/**
 * Why a person may act on a structure: the offers it may manage (habilitation or delegation) and its relations
 * (LEGAL_REPRESENTATIVE, MANDATAIRE, HABILITATION, DELEGATION). Listed by {@code GET /api/v1/me}.
 */
public record StructureAccess(Structure structure, Set<Offer> offers, List<String> relations) {
    public StructureAccess {
        offers = Set.copyOf(offers);
        relations = List.copyOf(relations);
    }
}
