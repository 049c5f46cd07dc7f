package org.openigc.server.habilitation;

/** Who signs form 413 (section 3.2): the legal representative, a registered mandataire, or the holder of a cabinet. */
public enum SignatoryRole {
    LEGAL_REPRESENTATIVE, MANDATAIRE, CABINET_HOLDER
}
