package org.openigc.server.certificates;

/** One broken rule: the field (JSON path), a stable code, and a message in French. */
public record FieldViolation(String field, String code, String message) {
}
