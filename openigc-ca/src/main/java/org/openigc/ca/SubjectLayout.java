package org.openigc.ca;

/** How the subject DN of a profile is laid out (DOMAIN §3). */
public enum SubjectLayout {
    /** {@code C=FR, ST=<dept> (<code>), O=<raison sociale>, OU=<idNatStruct>, CN=<service applicatif or FQDN>}. */
    ORGANISATION,
    /** Card holder: {@code C=FR, title=<profession>, CN=<idNatPS>+SN=<nom>+GN=<prénom>}. */
    CARD_HOLDER,
    /** A person of a structure: {@code C=FR, ST, O, OU=<idNatStruct>, CN=<idNatPS>+SN+GN}. */
    STRUCTURE_PERSON
}
