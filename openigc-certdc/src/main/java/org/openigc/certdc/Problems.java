package org.openigc.certdc;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problem details of the CertDC APIs: {@code type, title, status, detail, code} and, for input errors,
 * {@code errors: [{field, code, message}]}. A detail never echoes submitted values.
 */
public final class Problems {
    public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {
    }

    /** One broken rule of one input field; {@code field} is a JSON path such as {@code patient.birthDate}. */
    public record FieldError(String field, String code, String message) {
    }

    public static Map<String, Object> body(int status, String code, String title, String detail,
                                           List<FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        body.put("code", code);
        if (errors != null && !errors.isEmpty()) {
            body.put("errors", errors.stream().map(e -> {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("field", e.field());
                error.put("code", e.code());
                error.put("message", e.message());
                return error;
            }).toList());
        }
        return body;
    }

    public static ResponseEntity<Map<String, Object>> response(int status, String code, String title, String detail,
                                                               List<FieldError> errors) {
        return ResponseEntity.status(status).contentType(PROBLEM_JSON).body(body(status, code, title, detail, errors));
    }

    public static ResponseEntity<Map<String, Object>> response(int status, String code, String title, String detail) {
        return response(status, code, title, detail, List.of());
    }

    /** For filters, outside Spring MVC's message converters. */
    public static void write(HttpServletResponse response, int status, String code, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType(PROBLEM_JSON.toString());
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(JSON.writeValueAsBytes(body(status, code, title, detail, List.of())));
    }

    public static byte[] json(Object value) {
        return JSON.writeValueAsBytes(value);
    }
}
