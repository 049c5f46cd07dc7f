package org.openigc.server.security;

/** How a session was opened. TEST certificates may be ordered only after a card login (SPEC §3.6). */
public enum LoginMethod {
    /** TLS client certificate of a CPx card. */
    CARD,
    /** Pro Santé Connect (OIDC). */
    OIDC,
    /** The demo persona picker: counts as a card login, exists only in demo mode. */
    DEMO;

    public boolean countsAsCard() {
        return this != OIDC;
    }
}
