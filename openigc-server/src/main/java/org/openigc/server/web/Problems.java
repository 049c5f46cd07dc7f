package org.openigc.server.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.MessageSource;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds RFC 9457 {@code application/problem+json} bodies: {@code type, title, status, detail, instance, code,
 * errors: [{field, code, message}]}, messages translated in the caller's language (French by default). Used by the
 * API exception handler, the error page and the security entry points, so every API error has one shape.
 */
@Component
public class Problems {
    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    private final MessageSource messages;
    private final JsonMapper json;

    public Problems(MessageSource messages, JsonMapper json) {
        this.messages = messages;
        this.json = json;
    }

    /** True for requests answered with problem+json rather than an HTML page: the REST API and JSON callers. */
    public static boolean wantsProblemJson(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/api/") || path.equals("/api")) {
            return true;
        }
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("json") && !accept.contains("text/html");
    }

    /**
     * The caller's language: French unless the request asks otherwise (filters run before Spring MVC's locale
     * resolver, whose default is French too).
     */
    public static Locale localeOf(HttpServletRequest request) {
        if (request == null) {
            return LocaleContextHolder.getLocale();
        }
        return request.getHeader("Accept-Language") == null ? Locale.FRENCH : request.getLocale();
    }

    public Map<String, Object> body(HttpStatusCode status, String code, String defaultDetail, List<String> args,
                                    List<FieldError> errors, HttpServletRequest request) {
        Locale locale = localeOf(request);
        String instance = request == null ? null : request.getRequestURI();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:openigc:problem:" + code);
        HttpStatus known = HttpStatus.resolve(status.value());
        body.put("title", known != null ? known.getReasonPhrase() : "Error");
        body.put("status", status.value());
        // Arguments naming an object kind ("object.structure") are themselves translated.
        Object[] resolved = args.stream().map(a -> a != null && a.startsWith("object.")
                ? (Object) new DefaultMessageSourceResolvable(new String[] {a}, a) : a).toArray();
        body.put("detail", messages.getMessage(code, resolved, defaultDetail, locale));
        if (instance != null) {
            body.put("instance", instance);
        }
        body.put("code", code);
        if (!errors.isEmpty()) {
            List<Map<String, String>> list = new ArrayList<>();
            for (FieldError error : errors) {
                list.add(Map.of("field", error.field(), "code", error.code(), "message", message(error, locale)));
            }
            body.put("errors", list);
        }
        return body;
    }

    /** The translated text of a field error: argument 0 is the field's label, then the error's own arguments. */
    public String message(FieldError error, Locale locale) {
        Object[] args = new Object[error.args().size() + 1];
        args[0] = label(error.field(), locale);
        for (int i = 0; i < error.args().size(); i++) {
            args[i + 1] = error.args().get(i);
        }
        return messages.getMessage(error.code(), args, error.defaultMessage(), locale);
    }

    /** {@code field.<name>} from the bundle; list indexes and CSV line prefixes are kept around the label. */
    public String label(String field, Locale locale) {
        String last = field.substring(field.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
        String label = messages.getMessage("field." + last, null, last, locale);
        return field.equals(last) ? label : field.substring(0, field.length() - last.length()) + label;
    }

    public ResponseEntity<Object> response(HttpStatusCode status, String code, String defaultDetail, List<String> args,
                                           List<FieldError> errors, HttpServletRequest request) {
        return ResponseEntity.status(status).contentType(PROBLEM_JSON)
                .body(body(status, code, defaultDetail, args, errors, request));
    }

    public ResponseEntity<Object> response(ProblemException problem, HttpServletRequest request) {
        return response(problem.status(), problem.code(), problem.getMessage(), problem.args(), problem.errors(), request);
    }

    /** For filters and security handlers, which answer before any controller runs. */
    public void write(HttpServletResponse response, HttpServletRequest request, HttpStatusCode status, String code,
                      String defaultDetail) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status.value());
        response.setContentType(PROBLEM_JSON.toString());
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(
                body(status, code, defaultDetail, List.of(), List.of(), request)));
    }
}
