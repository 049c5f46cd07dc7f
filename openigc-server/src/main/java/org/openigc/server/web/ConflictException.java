package org.openigc.server.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/** The request is well-formed but the object's state forbids it (duplicate, not active…). → 409. */
public final class ConflictException extends ProblemException {
    public ConflictException(String code, String defaultMessage, String... args) {
        super(HttpStatus.CONFLICT, code, defaultMessage, List.of(args));
    }
}
