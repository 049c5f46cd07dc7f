package org.openigc.server.certificates;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.openigc.ca.Offer;
import org.openigc.server.database.RoundTrip;

/** What ordering needs to know of the registry; implemented over the registry's service. */
public interface StructureDirectory {

    /**
     * Registry rows read more than once in the current transaction (an order reads its structure, the EJ and the
     * habilitations in several checks) come from the database once; the memo ends with the transaction. For
     * transactions that write no registry row. No-op by default.
     */
    default void memoizeReadsInThisTransaction() {
    }

    /**
     * After {@link #memoizeReadsInThisTransaction}: reads in one round trip what an order by {@code personId} for
     * {@code idNatStruct} reads next ({@link #byIdNatStruct}, {@link #mandate}), with the caller's
     * {@code alongside} statements. Returns false, running nothing, without a memo or a structure.
     */
    default boolean prefetchOrderReads(UUID personId, String idNatStruct, List<RoundTrip.Statement> alongside) {
        return false;
    }

    Optional<OrderingStructure> byIdNatStruct(String idNatStruct);

    Optional<OrderingStructure> byId(UUID id);

    /** The person's mandate to manage an offer for a structure (habilitation or delegation), if any. */
    Optional<Mandate> mandate(UUID personId, UUID structureId, Offer offer);

    /** Legal representative or mandataire of the structure. */
    boolean represents(UUID personId, UUID structureId);

    /** Every structure whose certificates the person may see (managed, represented or delegated). */
    List<UUID> visibleStructures(UUID personId);

    /**
     * @param departement       département code, e.g. {@code 75}, {@code 2A}, {@code 971}
     * @param hasGeographicEntities an EJ with EG attached
     * @param mayOrderUnderEj   public hospitals, dialysis centres, organismes gestionnaires (the EJ/EG doctrine)
     */
    record OrderingStructure(UUID id, String idNatStruct, String name, String departement, boolean legalEntity,
                             boolean hasGeographicEntities, boolean mayOrderUnderEj, boolean liberal,
                             boolean hasActiveContract) {
    }

    /** @param sslDomains approved domains or server names for SERV SSL; mailDomains for S/MIME */
    record Mandate(List<String> sslDomains, List<String> mailDomains) {
    }
}
