package org.openigc.server.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * The caller is known but lacks the right for this action. Use {@link NotFoundException} instead when answering
 * 403 would reveal that another structure's object exists. → 403.
 */
public final class ForbiddenException extends ProblemException {
    public ForbiddenException(String code, String defaultMessage, String... args) {
        super(HttpStatus.FORBIDDEN, code, defaultMessage, List.of(args));
    }

    public ForbiddenException() {
        this("forbidden", "You are not allowed to do this");
    }
}
