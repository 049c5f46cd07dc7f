package org.openigc.server.registry;

/**
 * EJ: legal entity (FINESS juridique) · EG: geographic entity (FINESS géographique) of one EJ · CABINET: liberal
 * cabinet identified by RPPS rang or SIRET (needs no contract) · COMPANY: any other organisation (editors…) by
 * SIRET or SIREN.
 */
public enum StructureKind {
    EJ, EG, CABINET, COMPANY
}
