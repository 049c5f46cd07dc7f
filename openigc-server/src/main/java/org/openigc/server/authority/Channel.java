package org.openigc.server.authority;

/** Through which door a certificate was requested. */
public enum Channel {
    PORTAL, API, EST, ACME, SYSTEM, DEMO
}
