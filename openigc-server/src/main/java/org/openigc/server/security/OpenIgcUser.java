package org.openigc.server.security;

import java.io.Serializable;
import java.util.Set;
import java.util.UUID;

/**
 * The logged-in person, as every feature sees it (get it from {@link CurrentUser}). Roles are computed at login;
 * rights on a structure are not cached here and must be checked per structure through RegistryService.
 *
 * @param name      display name, "first LAST"
 * @param region    INSEE code of the REFERENT's région, else null
 * @param cardLogin true after a card (or demo persona) login: TEST certificates may be ordered only then
 */
public record OpenIgcUser(UUID personId, String name, String cardNumber, String idNatPs, Set<Role> roles,
                          String region, boolean cardLogin) implements Serializable {
    public OpenIgcUser {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean isOperator() {
        return has(Role.OPERATOR);
    }
}
