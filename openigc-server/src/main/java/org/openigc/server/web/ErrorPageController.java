package org.openigc.server.web;

import java.util.List;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.view.AbstractView;

/**
 * Replaces Spring Boot's default error controller: errors that happen outside a controller (no mapping, filters,
 * container limits) answer problem+json under {@code /api/**} and for JSON callers, and a page in French otherwise —
 * never a stack trace.
 */
@Controller
class ErrorPageController implements ErrorController {
    private final Problems problems;

    ErrorPageController(Problems problems) {
        this.problems = problems;
    }

    @RequestMapping("/error")
    ModelAndView error(HttpServletRequest request, HttpServletResponse response) {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // /error asked for directly (no error being handled) is just a path that serves nothing
        int status = statusAttribute instanceof Integer code ? code : 404;
        HttpStatusCode httpStatus = HttpStatusCode.valueOf(status);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String code = switch (status) {
            case 400 -> "request.invalid";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "notFound.path";
            case 405 -> "request.method";
            case 413 -> "body.tooLarge";
            case 415 -> "body.mediaType";
            default -> status >= 500 ? "internal" : "request.invalid";
        };
        Map<String, Object> body = problems.body(httpStatus, code, HttpStatus.resolve(status) != null
                ? HttpStatus.resolve(status).getReasonPhrase() : "Error", List.of(), List.of(), request);
        if (uri != null) {
            body.put("instance", uri.toString());
        }
        String path = uri == null ? "" : uri.toString();
        boolean api = path.startsWith("/api/") || Problems.wantsProblemJson(request);
        response.setStatus(status);
        if (api) {
            return new ModelAndView(jsonView(body), Map.of());
        }
        ModelAndView page = new ModelAndView("error", Map.of("problem", body));
        page.setStatus(httpStatus);
        return page;
    }

    private View jsonView(Map<String, Object> body) {
        return new AbstractView() {
            @Override
            protected void renderMergedOutputModel(Map<String, Object> model, HttpServletRequest request,
                                                   HttpServletResponse response) throws Exception {
                problems.write(response, request, HttpStatusCode.valueOf(response.getStatus()),
                        body.get("code").toString(), body.get("detail").toString());
            }
        };
    }
}
