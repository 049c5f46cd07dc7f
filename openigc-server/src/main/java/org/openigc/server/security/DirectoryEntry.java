package org.openigc.server.security;

import java.time.LocalDate;
import java.util.Set;
import java.util.UUID;

/**
 * A person as the login needs it, looked up by idNatPS through {@link UserDirectory}.
 *
 * @param cardStatus ACTIVE, OPPOSED or EXPIRED
 */
public record DirectoryEntry(UUID personId, String firstName, String lastName, String cardNumber, String idNatPs,
                             String cardStatus, LocalDate cardExpiresOn, Set<Role> roles, String region) {

    public String displayName() {
        return firstName + " " + lastName;
    }

    /** Null when the card may log in, else the refusal code (a message key). */
    public String cardRefusal(LocalDate today) {
        if ("OPPOSED".equals(cardStatus)) {
            return "login.refused.cardOpposed";
        }
        if ("EXPIRED".equals(cardStatus) || (cardExpiresOn != null && cardExpiresOn.isBefore(today))) {
            return "login.refused.cardExpired";
        }
        return null;
    }

    public OpenIgcUser toUser(boolean cardLogin) {
        return new OpenIgcUser(personId, displayName(), cardNumber, idNatPs, roles, region, cardLogin);
    }
}
