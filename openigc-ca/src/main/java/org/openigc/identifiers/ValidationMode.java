package org.openigc.identifiers;

/**
 * How strictly a FINESS is checked. The national TEST PKI issues FINESS numbers that contain
 * letters (e.g. {@code 0B0152872}) and carry no real key, so TEST only checks length and
 * characters; STRICT is for production.
 */
public enum ValidationMode {
    STRICT, TEST
}
