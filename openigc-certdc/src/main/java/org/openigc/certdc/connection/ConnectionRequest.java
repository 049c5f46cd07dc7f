package org.openigc.certdc.connection;

import java.util.List;

/**
 * The SI connection request of seed 000: the requester's identity, the SI to connect and its attached legal (EJ)
 * and territorial (EG) establishments.
 */
public record ConnectionRequest(Requester requester, String siName, String siVersion, String comments,
                                List<Establishment> establishments) {
    public ConnectionRequest {
        establishments = List.copyOf(establishments);
    }

    public record Requester(String lastName, String firstName, String function, String email, String phone,
                            String address, String postcode, String town) {
        public String displayName() {
            return firstName + " " + lastName;
        }
    }

    /** @param kind {@code EJ} (établissement juridique) or {@code EG} (géographique / territorial) */
    public record Establishment(String number, String kind, String name) {
    }

    /** The SI's structure: the first legal establishment. */
    public Establishment legalEntity() {
        return establishments.stream().filter(e -> "EJ".equals(e.kind())).findFirst().orElseThrow();
    }
}
