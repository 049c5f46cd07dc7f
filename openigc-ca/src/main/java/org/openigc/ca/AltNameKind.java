package org.openigc.ca;

/** Which subject alternative names a profile carries. */
public enum AltNameKind {
    NONE, DNS, EMAIL
}
