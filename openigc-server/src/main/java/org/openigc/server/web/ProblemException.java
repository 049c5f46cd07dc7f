package org.openigc.server.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * The domain exceptions every feature throws; mapped once to RFC 9457 problem+json for the API
 * ({@link ApiExceptionHandler}) and to an error page or form errors for the UI.
 */
public abstract sealed class ProblemException extends RuntimeException
        permits ValidationException, NotFoundException, ConflictException, ForbiddenException {
    private final HttpStatus status;
    private final String code;
    private final List<String> args;

    protected ProblemException(HttpStatus status, String code, String defaultMessage, List<String> args) {
        super(defaultMessage);
        this.status = status;
        this.code = code;
        this.args = args == null ? List.of() : List.copyOf(args);
    }

    public HttpStatus status() {
        return status;
    }

    /** Stable message key of the problem, e.g. {@code structure.notFound}. */
    public String code() {
        return code;
    }

    public List<String> args() {
        return args;
    }

    public List<FieldError> errors() {
        return List.of();
    }
}
