package org.openigc.ca;

/** Usages as named by the ordering portal. */
public enum Usage {
    AUTH_CLI, AUTH, SIGN, CONF, SSL_SERVEUR, SMIME
}
