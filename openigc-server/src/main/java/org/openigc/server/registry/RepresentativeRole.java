package org.openigc.server.registry;

public enum RepresentativeRole {
    LEGAL_REPRESENTATIVE, MANDATAIRE
}
