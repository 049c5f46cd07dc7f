package org.openigc.server.web;

import java.util.List;

import org.springframework.http.HttpStatus;

/**
 * The object does not exist <em>or the caller may not see it</em>: another structure's object answers 404, so its
 * existence is not disclosed. → 404.
 */
public final class NotFoundException extends ProblemException {
    /** @param what a message key naming the kind of object, e.g. {@code object.structure} */
    public NotFoundException(String what, String id) {
        super(HttpStatus.NOT_FOUND, "notFound", what + " not found: " + id, List.of(what, id));
    }
}
