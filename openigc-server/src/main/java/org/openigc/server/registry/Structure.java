package org.openigc.server.registry;

import java.util.UUID;

import org.openigc.identifiers.Departements;
import org.openigc.identifiers.Region;

/**
 * A structure of the registry.
 *
 * @param idNatStruct      type digit + identifier as written in certificates: 1+FINESS, 2+SIREN, 3+SIRET, 4+RPPS rang
 * @param parentId         the EJ of an EG, else null
 * @param departement      INSEE code ("75", "2A", "971"), from the FINESS when there is one, else from the address
 * @param region           INSEE code of the région ("11"), null only for Saint-Pierre-et-Miquelon
 * @param mayOrderUnderEj  EJ/EG doctrine: this EJ may order one certificate for all its EG (public hospitals, dialysis
 *                         centres, organismes gestionnaires)
 * @param groupName        GHT or group: informative only, a group never gets one certificate for all its EJ
 */
public record Structure(UUID id, StructureKind kind, String idNatStruct, String finess, String siren, String siret,
                        String rppsRang, UUID parentId, String name, String address, String postcode, String city,
                        String departement, String region, Sector sector, boolean mayOrderUnderEj, String groupName) {

    /** Non-liberal structures need a contract with the agency before any certificate (SPEC §2). */
    public boolean contractRequired() {
        return kind != StructureKind.CABINET;
    }

    /** The {@code ST} of certificate subjects: "Paris (75)". */
    public String stLabel() {
        return Departements.stLabel(departement);
    }

    public String regionLabel() {
        return region == null ? "" : Region.byInseeCode(region).map(Region::label).orElse(region);
    }

    public String departementLabel() {
        return Departements.nameOf(departement).map(name -> name + " (" + departement + ")").orElse(departement);
    }
}
