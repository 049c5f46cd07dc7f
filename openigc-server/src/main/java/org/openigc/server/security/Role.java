package org.openigc.server.security;

/**
 * What a logged-in person may do in general; what it may do <em>on a structure</em> is always checked again per
 * structure by the feature services (RegistryService.canManage…).
 */
public enum Role {
    /** Legal representative of at least one structure. */
    LEGAL_REPRESENTATIVE,
    /** Registered mandataire of at least one structure. */
    MANDATAIRE,
    /** Holds an active habilitation, or works at an editor with an active delegation. */
    TECHNICAL_ADMINISTRATOR,
    OPERATOR,
    /** Regional referent (GRADeS): read-only dashboards of its région, see {@link OpenIgcUser#region()}. */
    REFERENT,
    AUDITOR,
    CERTDC_ADMIN;

    public String authority() {
        return "ROLE_" + name();
    }
}
