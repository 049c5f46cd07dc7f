package org.openigc.certdc.account;

/** The three kinds of CertDC account (SPEC §1), each with its one role. */
public enum AccountKind {
    /** Gestionnaire du SI: requests the connection, downloads the kit, asks for production. */
    SI_MANAGER("CERTDC_SI_MANAGER"),
    /** Médecin déclarant: retrieves deposits of its establishments and writes death-certificate drafts. */
    DOCTOR("CERTDC_DOCTOR"),
    /** CertDC (Inserm) administrator: instructs connection requests, moves SIs to production. */
    ADMIN("CERTDC_ADMIN");

    private final String role;

    AccountKind(String role) {
        this.role = role;
    }

    public String role() {
        return role;
    }

    public String authority() {
        return "ROLE_" + role;
    }
}
