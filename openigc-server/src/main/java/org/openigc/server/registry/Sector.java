package org.openigc.server.registry;

/** Sector of activity of a structure (a centre de santé is MEDECINE_DE_VILLE). */
public enum Sector {
    HOSPITAL, MEDICO_SOCIAL, OFFICINE, BIOLOGIE, RADIOLOGIE, MEDECINE_DE_VILLE, EDITOR
}
