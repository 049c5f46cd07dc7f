package org.openigc.server.registry;

/**
 * A structure as typed in the operator form or a CSV line: raw strings, validated by the registry (every broken
 * rule is reported, naming its field).
 *
 * @param parentFiness FINESS of the EJ, for an EG
 * @param departement  only needed without FINESS and without postcode; must agree with the FINESS when both are given
 */
public record StructureInput(String kind, String finess, String siren, String siret, String rppsRang,
                             String parentFiness, String name, String address, String postcode, String city,
                             String departement, String sector, Boolean mayOrderUnderEj, String groupName) {

    /** An unticked checkbox sends nothing: absent means false. */
    public StructureInput {
        mayOrderUnderEj = Boolean.TRUE.equals(mayOrderUnderEj);
    }

    public static StructureInput empty() {
        return new StructureInput("EJ", "", "", "", "", "", "", "", "", "", "", "HOSPITAL", false, "");
    }

    public static StructureInput of(Structure structure, String parentFiness) {
        return new StructureInput(structure.kind().name(), nz(structure.finess()), nz(structure.siren()),
                nz(structure.siret()), nz(structure.rppsRang()), nz(parentFiness), structure.name(),
                nz(structure.address()), nz(structure.postcode()), nz(structure.city()), structure.departement(),
                structure.sector().name(), structure.mayOrderUnderEj(), nz(structure.groupName()));
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
