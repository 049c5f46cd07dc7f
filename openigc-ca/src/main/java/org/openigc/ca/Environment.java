package org.openigc.ca;

/** TEST and PRODUCTION are two separate hierarchies, never cross-trusted. */
public enum Environment {
    TEST, PRODUCTION
}
