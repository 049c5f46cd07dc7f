package org.openigc.server.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.BindException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * The one place where exceptions from REST controllers become RFC 9457 problem+json: domain exceptions with their
 * status and field errors, Spring MVC's own (unreadable JSON → 400, oversized body → 413, wrong media type → 415…),
 * and anything unexpected → 500 without a stack trace (logged server-side only).
 */
@RestControllerAdvice(annotations = RestController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final Problems problems;

    ApiExceptionHandler(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<Object> problem(ProblemException problem, HttpServletRequest request) {
        return problems.response(problem, request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Object> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        if (BodySizeLimitFilter.isTooLarge(e)) {
            return tooLarge(request);
        }
        return problems.response(HttpStatus.BAD_REQUEST, "body.unreadable", "The request body is not readable JSON",
                List.of(), List.of(FieldError.of("body", "body.unreadable", "The request body is not readable JSON")), request);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Object> uploadTooLarge(HttpServletRequest request) {
        return tooLarge(request);
    }

    @ExceptionHandler(BindException.class)
    ResponseEntity<Object> binding(BindException e, HttpServletRequest request) {
        List<FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> FieldError.of(f.getField(), "validation." + (f.getCode() == null ? "invalid" : f.getCode()),
                        f.getDefaultMessage() == null ? "invalid" : f.getDefaultMessage()))
                .toList();
        if (errors.isEmpty()) {
            errors = List.of(FieldError.of("body", "validation.invalid", "invalid request"));
        }
        return problems.response(new ValidationException(errors), request);
    }

    /** A path variable or query parameter of the wrong type (an id that is not a UUID, a page that is not a number). */
    @ExceptionHandler(org.springframework.beans.TypeMismatchException.class)
    ResponseEntity<Object> typeMismatch(org.springframework.beans.TypeMismatchException e, HttpServletRequest request) {
        String name = e instanceof org.springframework.web.method.annotation.MethodArgumentTypeMismatchException argument
                ? argument.getName() : e.getPropertyName();
        String field = name == null ? "parameter" : name;
        String type = e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName();
        return problems.response(new ValidationException(FieldError.of(field, "request.typeMismatch",
                "This parameter must be a " + type, type)), request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Object> mediaType(HttpServletRequest request) {
        return problems.response(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "body.mediaType",
                "Send the body as application/json", List.of(), List.of(), request);
    }

    /** Left to Spring Security, which answers them as problems too (see the security entry points). */
    @ExceptionHandler({AccessDeniedException.class, AuthenticationException.class})
    void security(RuntimeException e) {
        throw e;
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> other(Exception e, HttpServletRequest request) {
        if (e instanceof ErrorResponse response) {
            return problems.response(response.getStatusCode(), "request.invalid", e.getMessage(), List.of(), List.of(), request);
        }
        log.error("event=api-error path={} exception={}", request.getRequestURI(), e.getClass().getName(), e);
        return problems.response(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error", List.of(), List.of(), request);
    }

    private ResponseEntity<Object> tooLarge(HttpServletRequest request) {
        return problems.response(HttpStatus.CONTENT_TOO_LARGE, "body.tooLarge", "The request body is too large",
                List.of(), List.of(), request);
    }
}
