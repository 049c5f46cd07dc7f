package org.openigc.certdc.connection;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A connected (or to-be-connected) SI: its request, where it is in the instruction, its transfer mode.
 *
 * @param structure the idNatStruct of its legal establishment, which its certificates may carry as OU
 */
public record InformationSystem(UUID id, String reference, SiStatus status, TransferMode mode,
                                Instant productionRequestedAt, String structure, ConnectionRequest request,
                                UUID managerAccountId, String rejectionReason, Instant createdAt, Instant updatedAt,
                                Instant sandboxConfirmedAt) {

    /** The idNatStruct of every attached establishment (the structure included). */
    public List<String> idNatStructs() {
        return ConnectionForm.numbers(request).stream().map(EstablishmentNumber::idNatStruct).toList();
    }

    /** The attached establishments' numbers as deposits name them (FINESS or SIRET). */
    public List<String> establishmentNumbers() {
        return ConnectionForm.numbers(request).stream().map(EstablishmentNumber::value).toList();
    }

    public boolean productionRequested() {
        return productionRequestedAt != null;
    }
}
