package org.openigc.server.registry;

import java.time.LocalDate;
import java.util.UUID;

/**
 * A person holding a card.
 *
 * @param idNatPs         national person identifier, the CN of its card certificate ({@code 8}+RPPS…)
 * @param rpps            RPPS when the idNatPS is of type 8, else null
 * @param cardStructureId the structure of a CPE, CPA or CDE card; null for a CPS
 */
public record Person(UUID id, String cardNumber, CardType cardType, String idNatPs, String rpps, String lastName,
                     String firstName, String email, String phone, String profession, CardStatus cardStatus,
                     LocalDate cardExpiresOn, UUID cardStructureId) {

    public String displayName() {
        return firstName + " " + lastName;
    }

    /** The card can be used today: active status and not past its end date. */
    public boolean cardActive(LocalDate today) {
        return cardStatus == CardStatus.ACTIVE && (cardExpiresOn == null || !cardExpiresOn.isBefore(today));
    }
}
