package org.openigc.server.registry;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.openigc.server.security.DirectoryEntry;
import org.openigc.server.security.Role;
import org.openigc.server.security.UserDirectory;
import org.springframework.stereotype.Component;

/** What login needs from the registry: the person behind an idNatPS and its roles at this moment. */
@Component
class RegistryUserDirectory implements UserDirectory {
    private final RegistryService registry;
    private final RegistryRepository repository;

    RegistryUserDirectory(RegistryService registry, RegistryRepository repository) {
        this.registry = registry;
        this.repository = repository;
    }

    @Override
    public Optional<DirectoryEntry> byIdNatPs(String idNatPs) {
        return registry.personByIdNatPs(idNatPs).map(this::entry);
    }

    private DirectoryEntry entry(Person person) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        String region = null;
        for (Map.Entry<PlatformRole, List<String>> role : registry.platformRolesOf(person.id()).entrySet()) {
            roles.add(Role.valueOf(role.getKey().name()));
            if (role.getKey() == PlatformRole.REFERENT && !role.getValue().isEmpty()) {
                region = role.getValue().getFirst();
            }
        }
        LocalDate today = registry.today();
        for (Representative representative : repository.representationsOf(person.id())) {
            if (representative.activeOn(today)) {
                roles.add(representative.role() == RepresentativeRole.LEGAL_REPRESENTATIVE
                        ? Role.LEGAL_REPRESENTATIVE : Role.MANDATAIRE);
            }
        }
        boolean delegated = person.cardStructureId() != null && repository.delegationsTo(person.cardStructureId())
                .stream().anyMatch(d -> d.activeOn(today));
        if (delegated || !repository.habilitationsOf(person.id()).isEmpty()) {
            roles.add(Role.TECHNICAL_ADMINISTRATOR);
        }
        return new DirectoryEntry(person.id(), person.firstName(), person.lastName(), person.cardNumber(),
                person.idNatPs(), person.cardStatus().name(), person.cardExpiresOn(), roles, region);
    }
}
