package org.openigc.server.habilitation;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.openigc.ca.Offer;
import org.openigc.server.registry.Person;
import org.openigc.server.registry.Structure;
import org.openigc.server.security.CurrentUser;
import org.openigc.server.security.OpenIgcUser;
import org.openigc.server.web.FieldError;
import org.openigc.server.web.Problems;
import org.openigc.server.web.ValidationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Form 413 over the API (SPEC §7): {@code POST /api/v1/habilitations} → 201 {@code {reference, status}};
 * {@code GET /{reference}}; the operator's {@code /approval}, {@code /rejection {reason}},
 * {@code /information-request {message}}; the submitter's {@code PUT /{reference}} with the corrected form; and
 * {@code GET /api/v1/habilitations} (operators: the queue with its filters; others: their own dossiers).
 */
@RestController
@RequestMapping("/api/v1/habilitations")
class HabilitationApiController {
    private final HabilitationService service;
    private final CurrentUser currentUser;
    private final HabilitationMessages messages;
    private final Problems problems;

    HabilitationApiController(HabilitationService service, CurrentUser currentUser, HabilitationMessages messages,
                              Problems problems) {
        this.service = service;
        this.currentUser = currentUser;
        this.messages = messages;
        this.problems = problems;
    }

    record ReasonRequest(String reason) {
    }

    record MessageRequest(String message) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> submit(@RequestBody(required = false) HabilitationForm form) {
        HabilitationService.Submitted submitted = service.submit(currentUser.require(), form, false);
        return ResponseEntity.created(URI.create("/api/v1/habilitations/" + submitted.reference()))
                .body(Map.of("reference", submitted.reference(), "status", submitted.status().name()));
    }

    @PutMapping(path = "/{reference}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> resubmit(@PathVariable String reference, @RequestBody(required = false) HabilitationForm form) {
        HabilitationService.Submitted submitted = service.resubmit(currentUser.require(), reference, form, false);
        return Map.of("reference", submitted.reference(), "status", submitted.status().name());
    }

    @GetMapping("/{reference}")
    Map<String, Object> get(@PathVariable String reference, HttpServletRequest request) {
        OpenIgcUser user = currentUser.require();
        return json(service.view(user, reference), Problems.localeOf(request));
    }

    @GetMapping
    Map<String, Object> list(@RequestParam(required = false) String status, @RequestParam(required = false) String region,
                             @RequestParam(required = false) String q, @RequestParam(defaultValue = "false") boolean late,
                             @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                             HttpServletRequest request) {
        OpenIgcUser user = currentUser.require();
        Locale locale = Problems.localeOf(request);
        Map<String, Object> body = new LinkedHashMap<>();
        if (user.isOperator()) {
            HabilitationService.QueuePage queue = service.queue(user,
                    new HabilitationService.QueueQuery(status, region, q, late, page, size));
            body.put("items", queue.items().stream().map(v -> summary(v, locale)).toList());
            body.put("total", queue.total());
            body.put("page", queue.page());
            body.put("size", queue.size());
        } else {
            List<HabilitationService.DossierView> mine = service.involving(user, page, size);
            body.put("items", mine.stream().map(v -> summary(v, locale)).toList());
            body.put("page", Math.max(page, 0));
        }
        return body;
    }

    @PostMapping("/{reference}/approval")
    Map<String, Object> approve(@PathVariable String reference, HttpServletRequest request) {
        OpenIgcUser user = currentUser.require();
        service.approve(user, reference);
        return json(service.view(user, reference), Problems.localeOf(request));
    }

    @PostMapping("/{reference}/rejection")
    Map<String, Object> reject(@PathVariable String reference, @RequestBody(required = false) ReasonRequest body,
                               HttpServletRequest request) {
        OpenIgcUser user = currentUser.require();
        service.reject(user, reference, body == null ? null : body.reason());
        return json(service.view(user, reference), Problems.localeOf(request));
    }

    @PostMapping("/{reference}/information-request")
    Map<String, Object> requestInformation(@PathVariable String reference, @RequestBody(required = false) MessageRequest body,
                                           HttpServletRequest request) {
        OpenIgcUser user = currentUser.require();
        service.requestInformation(user, reference, body == null ? null : body.message());
        return json(service.view(user, reference), Problems.localeOf(request));
    }

    // ---- errors: the platform's problem+json, with the form's own field labels -------------------------

    @ExceptionHandler(ValidationException.class)
    ResponseEntity<Object> invalid(ValidationException e, HttpServletRequest request) {
        Locale locale = Problems.localeOf(request);
        Map<String, Object> body = problems.body(e.status(), e.code(), e.getMessage(), e.args(), List.of(), request);
        List<Map<String, String>> errors = new ArrayList<>();
        for (FieldError error : e.errors()) {
            errors.add(Map.of("field", error.field(), "code", error.code(), "message", messages.message(error, locale)));
        }
        body.put("errors", errors);
        return ResponseEntity.status(e.status()).contentType(Problems.PROBLEM_JSON).body(body);
    }

    /** {@code ?page=abc}, {@code ?late=maybe}: the parameter is named, never a 500. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> badParameter(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return invalid(new ValidationException(FieldError.of(e.getName(), "validation.invalid", "invalid value")), request);
    }

    @ExceptionHandler(PrerequisitesNotMetException.class)
    ResponseEntity<Object> prerequisites(PrerequisitesNotMetException e, HttpServletRequest request) {
        Locale locale = Problems.localeOf(request);
        Map<String, Object> body = problems.body(HttpStatus.CONFLICT, "habilitation.prerequisitesFailed",
                e.getMessage(), List.of(e.reference()), List.of(), request);
        body.put("prerequisites", e.failed().stream().map(p -> prerequisite(p, locale)).toList());
        body.put("errors", e.failed().stream().map(p -> Map.of("field", "prerequisites." + p.name(), "code", p.code(),
                "message", messages.prerequisite(p, locale))).toList());
        return ResponseEntity.status(HttpStatus.CONFLICT).contentType(Problems.PROBLEM_JSON).body(body);
    }

    // ---- JSON views -------------------------------------------------------------------------------

    private Map<String, Object> summary(HabilitationService.DossierView view, Locale locale) {
        HabilitationDossier d = view.dossier();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", d.reference());
        m.put("status", d.status().name());
        m.put("structure", structure(view.structure(), d.content()));
        m.put("offers", d.content().offers().stream().map(Offer::name).toList());
        m.put("submittedAt", d.submittedAt().toString());
        m.put("age", age(view.age()));
        m.put("prerequisitesPassed", view.prerequisitesPassed());
        return m;
    }

    Map<String, Object> json(HabilitationService.DossierView view, Locale locale) {
        HabilitationDossier d = view.dossier();
        DossierContent c = d.content();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", d.reference());
        m.put("status", d.status().name());
        m.put("structure", structure(view.structure(), c));
        Map<String, Object> signatory = new LinkedHashMap<>();
        signatory.put("role", c.signatoryRole().name());
        signatory.put("lastName", c.signatoryLastName());
        signatory.put("firstNames", c.signatoryFirstNames());
        signatory.put("phone", c.signatoryPhone());
        signatory.put("email", c.signatoryEmail());
        signatory.put("cardNumber", c.signatoryCardNumber());
        m.put("signatory", signatory);
        m.put("administrators", c.administrators().stream().map(a -> {
            Map<String, Object> admin = new LinkedHashMap<>();
            admin.put("cardNumber", a.cardNumber());
            admin.put("lastName", a.lastName());
            admin.put("firstName", a.firstName());
            admin.put("phone", a.phone());
            admin.put("email", a.email());
            return admin;
        }).toList());
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("description", c.usageDescription());
        usage.put("editor", c.usageEditor());
        usage.put("solution", c.usageSolution());
        usage.put("version", c.usageVersion());
        m.put("usage", usage);
        m.put("offers", c.offers().stream().map(Offer::name).toList());
        m.put("sslDomains", c.sslDomains());
        m.put("sslServerName", c.sslServerName());
        m.put("smimeDomains", c.smimeDomains());
        m.put("proMailDomains", c.proMailDomains());
        m.put("prerequisites", view.prerequisites().stream().map(p -> prerequisite(p, locale)).toList());
        m.put("prerequisitesPassed", view.prerequisitesPassed());
        m.put("age", age(view.age()));
        m.put("submittedBy", person(view.submitter()));
        m.put("submittedAt", d.submittedAt().toString());
        m.put("acknowledgedAt", instant(d.acknowledgedAt()));
        m.put("resubmissions", d.resubmissions());
        m.put("decidedAt", instant(d.decidedAt()));
        m.put("decidedBy", person(view.decidedBy()));
        m.put("rejectionReason", d.rejectionReason());
        m.put("informationRequest", d.informationRequest());
        m.put("history", view.history().stream().map(h -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("at", h.occurredAt().toString());
            entry.put("from", h.from() == null ? null : h.from().name());
            entry.put("to", h.to().name());
            entry.put("actor", h.actorName());
            entry.put("note", h.note());
            return entry;
        }).toList());
        return m;
    }

    private Map<String, Object> prerequisite(Prerequisite p, Locale locale) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("passed", p.passed());
        m.put("code", p.code());
        m.put("message", messages.prerequisite(p, locale));
        return m;
    }

    private static Map<String, Object> structure(Structure s, DossierContent c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("idNatStruct", s.idNatStruct());
        m.put("name", s.name());
        m.put("declaredName", c.structureName());
        m.put("kind", s.kind().name());
        m.put("finess", c.finess());
        m.put("siret", c.siret());
        m.put("rppsRang", c.rppsRang());
        if (!c.additionalRppsRangs().isEmpty()) {
            m.put("additionalRppsRangs", c.additionalRppsRangs());
        }
        m.put("region", s.region());
        return m;
    }

    private static Map<String, Object> age(HabilitationService.DossierAge age) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("receivedOn", age.receivedOn().toString());
        m.put("workingDays", age.workingDays());
        m.put("targetWorkingDays", age.target());
        m.put("dueOn", age.dueOn().toString());
        m.put("late", age.late());
        return m;
    }

    private static Map<String, Object> person(Person p) {
        if (p == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.displayName());
        m.put("cardNumber", p.cardNumber());
        return m;
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
