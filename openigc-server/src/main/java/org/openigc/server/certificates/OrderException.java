package org.openigc.server.certificates;

import java.util.List;

/** An order, renewal or revocation refused: each violation names the field and the rule. Nothing was written. */
public final class OrderException extends RuntimeException {
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN, TOO_MANY_REQUESTS }

    private final Kind kind;
    private final List<FieldViolation> violations;

    OrderException(Kind kind, List<FieldViolation> violations) {
        super(violations.isEmpty() ? kind.name() : violations.getFirst().message());
        this.kind = kind;
        this.violations = List.copyOf(violations);
    }

    static OrderException invalid(List<FieldViolation> violations) {
        return new OrderException(Kind.INVALID, violations);
    }

    static OrderException invalid(String field, String code, String message) {
        return invalid(List.of(new FieldViolation(field, code, message)));
    }

    static OrderException notFound() {
        return new OrderException(Kind.NOT_FOUND, List.of(new FieldViolation("id", "notFound", "certificat introuvable")));
    }

    static OrderException conflict(String code, String message) {
        return new OrderException(Kind.CONFLICT, List.of(new FieldViolation("id", code, message)));
    }

    static OrderException tooManyRequests() {
        return new OrderException(Kind.TOO_MANY_REQUESTS, List.of(new FieldViolation("serialNumber",
                "rateLimited", "trop de tentatives : réessayez dans une minute")));
    }

    public Kind kind() {
        return kind;
    }

    public List<FieldViolation> violations() {
        return violations;
    }
}
