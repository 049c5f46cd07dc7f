package org.openigc.server.registry;

/** Roles granted by the agency, not derived from structures. A REFERENT has a région. */
public enum PlatformRole {
    OPERATOR, REFERENT, AUDITOR, CERTDC_ADMIN
}
