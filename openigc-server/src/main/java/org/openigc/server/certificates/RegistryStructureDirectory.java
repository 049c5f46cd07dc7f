package org.openigc.server.certificates;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.openigc.ca.Offer;
import org.openigc.server.database.RoundTrip;
import org.openigc.server.registry.Habilitation;
import org.openigc.server.registry.RegistryService;
import org.openigc.server.registry.Structure;
import org.openigc.server.registry.StructureAccess;
import org.openigc.server.registry.StructureKind;
import org.springframework.stereotype.Component;

/** Ordering's view of the registry, through the registry's service. */
@Component
class RegistryStructureDirectory implements StructureDirectory {
    private final RegistryService registry;

    RegistryStructureDirectory(RegistryService registry) {
        this.registry = registry;
    }

    @Override
    public void memoizeReadsInThisTransaction() {
        registry.memoizeReadsInThisTransaction();
    }

    @Override
    public boolean prefetchOrderReads(UUID personId, String idNatStruct, List<RoundTrip.Statement> alongside) {
        return registry.prefetchOrderReads(personId, idNatStruct, alongside);
    }

    @Override
    public Optional<OrderingStructure> byIdNatStruct(String idNatStruct) {
        return registry.structureByIdNatStruct(idNatStruct).map(this::ordering);
    }

    @Override
    public Optional<OrderingStructure> byId(UUID id) {
        return registry.structure(id).map(this::ordering);
    }

    private OrderingStructure ordering(Structure s) {
        boolean legalEntity = s.kind() == StructureKind.EJ;
        boolean hasEg = legalEntity && !registry.establishmentsOf(s.id()).isEmpty();
        boolean contract = !s.contractRequired() || registry.hasActiveContract(s.id());
        return new OrderingStructure(s.id(), s.idNatStruct(), s.name(), s.departement(), legalEntity, hasEg,
                s.mayOrderUnderEj(), !s.contractRequired(), contract);
    }

    @Override
    public Optional<Mandate> mandate(UUID personId, UUID structureId, Offer offer) {
        if (!registry.canManage(personId, structureId, offer)) {
            return Optional.empty();
        }
        // domains approved by any 413 of the structure (or of its EJ) for this offer
        Set<UUID> covering = new LinkedHashSet<>();
        covering.add(structureId);
        registry.ejOf(structureId).ifPresent(ej -> covering.add(ej.id()));
        Set<String> ssl = new LinkedHashSet<>();
        Set<String> mail = new LinkedHashSet<>();
        for (UUID id : covering) {
            for (Habilitation habilitation : registry.habilitationsOn(id)) {
                if (habilitation.active() && habilitation.offer() == offer) {
                    ssl.addAll(habilitation.sslDomains());
                    mail.addAll(habilitation.smimeDomains());
                }
            }
        }
        return Optional.of(new Mandate(List.copyOf(ssl), List.copyOf(mail)));
    }

    @Override
    public boolean represents(UUID personId, UUID structureId) {
        return registry.isLegalRepresentativeOrMandataire(personId, structureId);
    }

    @Override
    public List<UUID> visibleStructures(UUID personId) {
        Set<UUID> visible = new LinkedHashSet<>();
        for (StructureAccess access : registry.accessOf(personId)) {
            visible.add(access.structure().id());
            if (access.structure().kind() == StructureKind.EJ) {
                registry.establishmentsOf(access.structure().id()).forEach(eg -> visible.add(eg.id()));
            }
        }
        return new ArrayList<>(visible);
    }
}
