package org.openigc.ca;

import java.util.Objects;

/**
 * What the platform knows about the holder, from its own registry (never from the CSR). Which fields are used
 * depends on the profile's {@link SubjectLayout}.
 *
 * @param commonName   service applicatif or FQDN (organisation layouts)
 * @param idNatStruct  structure identifier with its type prefix, e.g. {@code 1750712184}
 * @param organisation raison sociale
 * @param stLabel      {@code <département name> (<code>)}, e.g. {@code Rhône (69)}
 */
public record SubjectData(String commonName, String idNatStruct, String organisation, String stLabel,
                          String idNatPs, String lastName, String firstName, String title) {

    public static SubjectData organisation(String commonName, String idNatStruct, String organisation, String stLabel) {
        return new SubjectData(Objects.requireNonNull(commonName), Objects.requireNonNull(idNatStruct),
                Objects.requireNonNull(organisation), Objects.requireNonNull(stLabel), null, null, null, null);
    }

    public static SubjectData cardHolder(String idNatPs, String lastName, String firstName, String title) {
        return new SubjectData(null, null, null, null, Objects.requireNonNull(idNatPs),
                Objects.requireNonNull(lastName), Objects.requireNonNull(firstName), title);
    }

    public static SubjectData structurePerson(String idNatPs, String lastName, String firstName,
                                              String idNatStruct, String organisation, String stLabel) {
        return new SubjectData(null, Objects.requireNonNull(idNatStruct), Objects.requireNonNull(organisation),
                Objects.requireNonNull(stLabel), Objects.requireNonNull(idNatPs), Objects.requireNonNull(lastName),
                Objects.requireNonNull(firstName), null);
    }
}
