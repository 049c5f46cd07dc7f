package org.openigc.server.registry;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import org.openigc.server.database.RoundTrip;
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

    /**
     * One statement per login (person, platform roles, representations, delegations to its card's structure,
     * habilitations), read afresh every time: nothing is cached, so an opposed card, a withdrawn habilitation or an
     * ended delegation is refused or dropped on the very next request.
     */
    @Override
    public Optional<DirectoryEntry> byIdNatPs(String idNatPs) {
        if (idNatPs == null) {
            return Optional.empty();
        }
        return repository.loginView(idNatPs, registry.today()).map(RegistryUserDirectory::entry);
    }

    @Override
    public RoundTrip.Statement byIdNatPs(String idNatPs, Consumer<DirectoryEntry> found) {
        return repository.loginViewStatement(idNatPs, registry.today(), view -> found.accept(entry(view)));
    }

    private static DirectoryEntry entry(RegistryRepository.LoginView view) {
        Person person = view.person();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        String region = null;
        for (int i = 0; i < view.platformRoles().size(); i++) {
            PlatformRole role = PlatformRole.valueOf(view.platformRoles().get(i));
            roles.add(Role.valueOf(role.name()));
            String roleRegion = view.platformRegions().get(i);
            // the first région of a referent, as the roles are ordered by role then région
            if (role == PlatformRole.REFERENT && region == null) {
                region = roleRegion;
            }
        }
        for (String representation : view.representationRoles()) {
            roles.add(RepresentativeRole.valueOf(representation) == RepresentativeRole.LEGAL_REPRESENTATIVE
                    ? Role.LEGAL_REPRESENTATIVE : Role.MANDATAIRE);
        }
        if (view.delegated() || view.habilitated()) {
            roles.add(Role.TECHNICAL_ADMINISTRATOR);
        }
        return new DirectoryEntry(person.id(), person.firstName(), person.lastName(), person.cardNumber(),
                person.idNatPs(), person.cardStatus().name(), person.cardExpiresOn(), roles, region);
    }
}
