package org.openigc.server.audit;

import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** The auditor's view of the trail: a filterable page and the same search as JSON. */
@Controller
@PreAuthorize("hasAnyRole('AUDITOR','OPERATOR')")
class AuditController {
    private static final DateTimeFormatter DISPLAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(AuditQueryParameters.PARIS);

    private final AuditEvents events;
    private final MessageSource messages;

    AuditController(AuditEvents events, MessageSource messages) {
        this.events = events;
        this.messages = messages;
    }

    @GetMapping("/app/audit")
    String page(@RequestParam(required = false) String actor, @RequestParam(required = false) String action,
                @RequestParam(required = false) String objectType, @RequestParam(required = false) String objectId,
                @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                @RequestParam(required = false) String page, @RequestParam(required = false) String size,
                Model model, Locale locale) {
        AuditQueryParameters query = AuditQueryParameters.parse(actor, action, objectType, objectId, from, to, page,
                size);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("actor", actor);
        form.put("action", action);
        form.put("objectType", objectType);
        form.put("objectId", objectId);
        form.put("from", from);
        form.put("to", to);
        model.addAttribute("form", form);
        Map<String, String> errors = new LinkedHashMap<>();
        query.errors().forEach(error -> errors.putIfAbsent(error.field(),
                messages.getMessage(error.messageKey(), null, error.messageKey(), locale)));
        model.addAttribute("errors", errors);
        if (query.valid()) {
            AuditEvents.AuditPage result = events.search(query.filter(), query.page(), query.size());
            model.addAttribute("rows", result.items().stream().map(AuditController::row).toList());
            model.addAttribute("page", result.page());
            model.addAttribute("size", result.size());
            model.addAttribute("hasNext", result.hasNext());
        } else {
            model.addAttribute("rows", List.of());
            model.addAttribute("page", 0);
            model.addAttribute("size", AuditQueryParameters.DEFAULT_SIZE);
            model.addAttribute("hasNext", false);
        }
        return "audit/events";
    }

    @GetMapping(value = "/api/v1/audit-events", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    ResponseEntity<?> search(@RequestParam(required = false) String actor,
                             @RequestParam(required = false) String action,
                             @RequestParam(required = false) String objectType,
                             @RequestParam(required = false) String objectId,
                             @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                             @RequestParam(required = false) String page, @RequestParam(required = false) String size,
                             Locale locale) {
        AuditQueryParameters query = AuditQueryParameters.parse(actor, action, objectType, objectId, from, to, page,
                size);
        if (!query.valid()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    messages.getMessage("audit.error.query", null, "Invalid query", locale));
            problem.setType(URI.create("about:blank"));
            problem.setProperty("errors", query.errors().stream().map(error -> Map.of(
                    "field", error.field(), "code", error.code(),
                    "message", messages.getMessage(error.messageKey(), null, error.messageKey(), locale))).toList());
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        return ResponseEntity.ok(events.search(query.filter(), query.page(), query.size()));
    }

    @GetMapping(value = "/api/v1/audit-events/verification", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    AuditVerification verification() {
        return events.verify();
    }

    private static Row row(AuditEvent event) {
        return new Row(event.id(), DISPLAY.format(event.occurredAt()), event.actor(), event.sourceIp(), event.action(),
                event.objectType(), event.objectId(), event.details());
    }

    /** One line of the page, its time already in Paris time. */
    record Row(long id, String occurredAt, String actor, String sourceIp, String action, String objectType,
               String objectId, Map<String, String> details) {
    }
}
