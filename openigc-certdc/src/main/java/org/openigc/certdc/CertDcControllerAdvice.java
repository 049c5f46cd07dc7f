package org.openigc.certdc;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openigc.certdc.account.CertDcUser;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

/**
 * The edge of CertDC's controllers: domain refusals become an error page (UI) or problem+json (APIs), with the
 * status of their kind; the logged-in CertDC user is available to every template.
 */
@ControllerAdvice(basePackages = "org.openigc.certdc")
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CertDcControllerAdvice {

    @ModelAttribute("certdcUser")
    CertDcUser certdcUser() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof CertDcUser user ? user : null;
    }

    @ModelAttribute("fmt")
    Formats formats() {
        return Formats.INSTANCE;
    }

    /** Dates as French users read them, in Paris time. */
    public static final class Formats {
        static final Formats INSTANCE = new Formats();
        private static final java.time.format.DateTimeFormatter DATE_TIME = java.time.format.DateTimeFormatter
                .ofPattern("dd/MM/yyyy HH:mm").withZone(java.time.ZoneId.of("Europe/Paris"));

        public String dateTime(java.time.Instant instant) {
            return instant == null ? "" : DATE_TIME.format(instant);
        }

        /** An ISO date ({@code 1938-04-12}) as {@code 12/04/1938}; anything else as it is. */
        public String date(String iso) {
            if (iso == null) {
                return "";
            }
            try {
                return java.time.LocalDate.parse(iso).format(java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy"));
            } catch (java.time.format.DateTimeParseException e) {
                return iso;
            }
        }
    }

    @ExceptionHandler(CertDcException.class)
    Object refused(CertDcException e, HttpServletRequest request, HttpServletResponse response) {
        return error(request, response, e.kind().status(), e.code());
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    Object badParameter(Exception e, HttpServletRequest request, HttpServletResponse response) {
        return error(request, response, 400, "certdc.badRequest");
    }

    private static Object error(HttpServletRequest request, HttpServletResponse response, int status, String code) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/certdc/api/") || path.startsWith("/certdc/ws/")) {
            ResponseEntity<Map<String, Object>> problem = Problems.response(status, code, "Refused", null);
            return problem;
        }
        response.setStatus(status);
        ModelAndView view = new ModelAndView("certdc/error");
        view.setStatus(org.springframework.http.HttpStatusCode.valueOf(status));
        view.addObject("code", code);
        view.addObject("status", status);
        view.addObject("certdcUser", new CertDcControllerAdvice().certdcUser());
        view.addObject("fmt", Formats.INSTANCE);
        return view;
    }
}
