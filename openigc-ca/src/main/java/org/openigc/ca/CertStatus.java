package org.openigc.ca;

/** The status an OCSP response gives for one certificate (RFC 6960 §4.2.1). */
public enum CertStatus {
    GOOD, REVOKED, UNKNOWN
}
