package org.openigc.server.habilitation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.openigc.identifiers.Region;
import org.openigc.server.registry.Person;
import org.openigc.server.registry.RegistryService;
import org.openigc.server.registry.Structure;
import org.openigc.server.registry.StructureAccess;
import org.openigc.server.security.CurrentUser;
import org.openigc.server.security.OpenIgcUser;
import org.openigc.server.web.ConflictException;
import org.openigc.server.web.ForbiddenException;
import org.openigc.server.web.Problems;
import org.openigc.server.web.ValidationException;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The pages of form 413, in French by default and usable without JavaScript: the form ({@code /app/habilitations/new},
 * its administrator rows added and removed by submit buttons), the dossier page with its prerequisites and the
 * operator's buttons, the correction after an information request, and {@code /app/habilitations}: the operator
 * queue (age against the 3-working-day target, late dossiers highlighted, filters) or, for everyone else, their
 * own dossiers. Every POST carries the CSRF token (Thymeleaf adds it to each form).
 */
@Controller
@RequestMapping("/app/habilitations")
class HabilitationController {
    private final HabilitationService service;
    private final RegistryService registry;
    private final CurrentUser currentUser;
    private final HabilitationMessages messages;
    private final Problems problems;
    private final PageDates dates = new PageDates();

    HabilitationController(HabilitationService service, RegistryService registry, CurrentUser currentUser,
                           HabilitationMessages messages, Problems problems) {
        this.service = service;
        this.registry = registry;
        this.currentUser = currentUser;
        this.messages = messages;
        this.problems = problems;
    }

    // ---- lists ----------------------------------------------------------------------------------

    @GetMapping
    String list(@RequestParam(required = false) String status, @RequestParam(required = false) String region,
                @RequestParam(required = false) String q, @RequestParam(defaultValue = "false") boolean late,
                @RequestParam(defaultValue = "0") int page, Model model) {
        OpenIgcUser user = currentUser.require();
        model.addAttribute("operator", user.isOperator());
        model.addAttribute("canSubmit", canSubmit(user));
        if (user.isOperator()) {
            String statusValue = status == null || status.isBlank() ? "PENDING" : status.strip().toUpperCase(Locale.ROOT);
            List<String> statuses = List.of("PENDING", "ALL", "ACKNOWLEDGED", "INFORMATION_REQUESTED", "APPROVED", "REJECTED");
            if (!statuses.contains(statusValue)) {
                statusValue = "PENDING";
            }
            HabilitationService.QueuePage queue = service.queue(user,
                    new HabilitationService.QueueQuery(statusValue, region, q, late, page, 50));
            model.addAttribute("queue", queue);
            model.addAttribute("items", queue.items());
            model.addAttribute("status", statusValue);
            model.addAttribute("statuses", statuses);
            model.addAttribute("region", region == null ? "" : region);
            model.addAttribute("regions", Arrays.stream(Region.values()).toList());
            model.addAttribute("q", q == null ? "" : q);
            model.addAttribute("late", late);
            model.addAttribute("page", queue.page());
            model.addAttribute("lateCount", lateCount(user, statusValue, region, q, late, queue));
        } else {
            model.addAttribute("items", service.involving(user, page, 50));
            model.addAttribute("page", Math.max(page, 0));
        }
        model.addAttribute("fmt", dates);
        return "habilitation/list";
    }

    private long lateCount(OpenIgcUser user, String status, String region, String q, boolean late,
                           HabilitationService.QueuePage queue) {
        if (late) {
            return queue.total();
        }
        if (!status.equals("PENDING")) {
            return 0;
        }
        return service.queue(user, new HabilitationService.QueueQuery("PENDING", region, q, true, 0, 1)).total();
    }

    // ---- the form -------------------------------------------------------------------------------

    @GetMapping("/new")
    String newForm(Model model) {
        OpenIgcUser user = currentUser.require();
        HabilitationForm form = HabilitationForm.empty();
        Person person = registry.person(user.personId()).orElse(null);
        if (person != null) {
            form = new HabilitationForm(form.structure(), new HabilitationForm.Signatory(defaultRole(user),
                    person.lastName(), person.firstName(), nz(person.phone()), nz(person.email()), person.cardNumber()),
                    form.administrators(), form.usage(), form.offers(), form.sslDomains(), form.sslServerName(),
                    form.smimeDomains(), form.proMailDomains());
        }
        return form(model, form, Map.of(), null);
    }

    @PostMapping
    String submit(@RequestParam(required = false) String action, HttpServletRequest request, Model model) {
        OpenIgcUser user = currentUser.require();
        HabilitationForm form = FormParameters.read(request.getParameterMap());
        return switch (FormParameters.action(action)) {
            case FormParameters.AddRow add -> form(model, FormParameters.withRowAdded(form), Map.of(), null);
            case FormParameters.RemoveRow remove ->
                    form(model, FormParameters.withOneRowAtLeast(FormParameters.withRowRemoved(form, remove.index())), Map.of(), null);
            case FormParameters.Submit submit -> {
                try {
                    HabilitationService.Submitted submitted = service.submit(user, form, true);
                    yield "redirect:/app/habilitations/" + submitted.reference() + "?submitted";
                } catch (ValidationException e) {
                    yield form(model, FormParameters.withOneRowAtLeast(form),
                            messages.byField(e.errors(), LocaleContextHolder.getLocale()), null);
                }
            }
        };
    }

    @GetMapping("/{reference}/edit")
    String editForm(@PathVariable String reference, Model model) {
        OpenIgcUser user = currentUser.require();
        HabilitationService.DossierView view = service.view(user, reference);
        if (!view.dossier().submittedBy().equals(user.personId())) {
            throw new ForbiddenException("habilitation.resubmit.submitterOnly", "Only the submitter resubmits a dossier");
        }
        if (!view.canResubmit()) {
            throw new ConflictException("habilitation.resubmit.notRequested",
                    "This dossier is not waiting for a correction", reference);
        }
        return form(model, view.dossier().content().toForm(), Map.of(), view);
    }

    @PostMapping("/{reference}")
    String resubmit(@PathVariable String reference, @RequestParam(required = false) String action,
                    HttpServletRequest request, Model model, RedirectAttributes redirect) {
        OpenIgcUser user = currentUser.require();
        HabilitationService.DossierView view = service.view(user, reference);
        HabilitationForm form = FormParameters.read(request.getParameterMap());
        return switch (FormParameters.action(action)) {
            case FormParameters.AddRow add -> form(model, FormParameters.withRowAdded(form), Map.of(), view);
            case FormParameters.RemoveRow remove ->
                    form(model, FormParameters.withOneRowAtLeast(FormParameters.withRowRemoved(form, remove.index())), Map.of(), view);
            case FormParameters.Submit submit -> {
                try {
                    service.resubmit(user, reference, form, true);
                    redirect.addFlashAttribute("notice", "habilitation.page.resubmitted");
                    yield "redirect:/app/habilitations/" + reference;
                } catch (ValidationException e) {
                    yield form(model, FormParameters.withOneRowAtLeast(form),
                            messages.byField(e.errors(), LocaleContextHolder.getLocale()), view);
                }
            }
        };
    }

    private String form(Model model, HabilitationForm form, Map<String, List<String>> errors,
                        HabilitationService.DossierView correcting) {
        OpenIgcUser user = currentUser.require();
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("correcting", correcting);
        model.addAttribute("formAction", correcting == null ? "/app/habilitations"
                : "/app/habilitations/" + correcting.dossier().reference());
        model.addAttribute("offersChosen", form.offers() == null ? List.of() : form.offers());
        model.addAttribute("sslDomainsText", String.join("\n", nonNull(form.sslDomains())));
        model.addAttribute("smimeDomainsText", String.join("\n", nonNull(form.smimeDomains())));
        model.addAttribute("proMailDomainsText", String.join("\n", nonNull(form.proMailDomains())));
        List<String> rangs = new ArrayList<>(form.structure() == null || form.structure().additionalRppsRangs() == null
                ? List.of() : form.structure().additionalRppsRangs());
        while (rangs.size() < FormValidation.MAX_ADDITIONAL_RANGS) {
            rangs.add("");
        }
        model.addAttribute("additionalRangs", rangs.subList(0, FormValidation.MAX_ADDITIONAL_RANGS));
        model.addAttribute("moreRangsOpen", rangs.stream().anyMatch(r -> r != null && !r.isBlank())
                || errors.keySet().stream().anyMatch(k -> k.startsWith("structure.additionalRppsRangs")));
        model.addAttribute("maxAdministrators", FormValidation.MAX_ADMINISTRATORS);
        model.addAttribute("roles", SignatoryRole.values());
        model.addAttribute("represented", represented(user));
        return "habilitation/form";
    }

    /** The structures the caller may sign for (and their EG), to help find the identifier to type. */
    private List<Map<String, String>> represented(OpenIgcUser user) {
        List<Map<String, String>> result = new ArrayList<>();
        for (StructureAccess access : registry.accessOf(user.personId())) {
            if (access.relations() == null || access.relations().stream()
                    .noneMatch(r -> r.equals("LEGAL_REPRESENTATIVE") || r.equals("MANDATAIRE"))) {
                continue;
            }
            add(result, access.structure());
            registry.establishmentsOf(access.structure().id()).forEach(eg -> add(result, eg));
        }
        return result;
    }

    private static void add(List<Map<String, String>> result, Structure s) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("kind", s.kind().name());
        m.put("identifier", s.finess() != null ? "FINESS " + s.finess() : s.rppsRang() != null ? "RPPS rang " + s.rppsRang()
                : s.siret() != null ? "SIRET " + s.siret() : s.idNatStruct());
        result.add(m);
    }

    private boolean canSubmit(OpenIgcUser user) {
        return registry.accessOf(user.personId()).stream().anyMatch(a -> a.relations() != null && a.relations().stream()
                .anyMatch(r -> r.equals("LEGAL_REPRESENTATIVE") || r.equals("MANDATAIRE")));
    }

    private String defaultRole(OpenIgcUser user) {
        boolean mandataireOnly = registry.accessOf(user.personId()).stream()
                .allMatch(a -> a.relations() == null || !a.relations().contains("LEGAL_REPRESENTATIVE"))
                && registry.accessOf(user.personId()).stream()
                .anyMatch(a -> a.relations() != null && a.relations().contains("MANDATAIRE"));
        return mandataireOnly ? SignatoryRole.MANDATAIRE.name() : SignatoryRole.LEGAL_REPRESENTATIVE.name();
    }

    // ---- the dossier ----------------------------------------------------------------------------

    @GetMapping("/{reference}")
    String dossier(@PathVariable String reference, @RequestParam(required = false) String submitted, Model model) {
        HabilitationService.DossierView view = service.view(currentUser.require(), reference);
        Locale locale = LocaleContextHolder.getLocale();
        model.addAttribute("view", view);
        model.addAttribute("d", view.dossier());
        model.addAttribute("c", view.dossier().content());
        model.addAttribute("justSubmitted", submitted != null);
        model.addAttribute("prerequisites", view.prerequisites().stream().map(p -> Map.of(
                "name", messages.prerequisiteName(p, locale), "passed", p.passed(),
                "message", messages.prerequisite(p, locale))).toList());
        model.addAttribute("fmt", dates);
        return "habilitation/dossier";
    }

    @PostMapping("/{reference}/approval")
    String approve(@PathVariable String reference, HttpServletRequest request, RedirectAttributes redirect) {
        return act(reference, request, redirect, "habilitation.page.approved",
                () -> service.approve(currentUser.require(), reference));
    }

    @PostMapping("/{reference}/rejection")
    String reject(@PathVariable String reference, @RequestParam(required = false) String reason,
                  HttpServletRequest request, RedirectAttributes redirect) {
        return act(reference, request, redirect, "habilitation.page.rejected",
                () -> service.reject(currentUser.require(), reference, reason));
    }

    @PostMapping("/{reference}/information-request")
    String requestInformation(@PathVariable String reference, @RequestParam(required = false) String message,
                              HttpServletRequest request, RedirectAttributes redirect) {
        return act(reference, request, redirect, "habilitation.page.informationRequested",
                () -> service.requestInformation(currentUser.require(), reference, message));
    }

    /**
     * Runs an operator action and comes back to the dossier with what happened. A refusal (wrong state, failed
     * prerequisites, empty reason) is shown on the page; a dossier the caller may not see is still a 404 page.
     */
    private String act(String reference, HttpServletRequest request, RedirectAttributes redirect, String done,
                       Runnable action) {
        Locale locale = LocaleContextHolder.getLocale();
        try {
            action.run();
            redirect.addFlashAttribute("notice", done);
        } catch (ValidationException e) {
            redirect.addFlashAttribute("actionErrors", e.errors().stream().map(f -> messages.message(f, locale)).toList());
        } catch (ForbiddenException e) {
            // not the caller's to do (only operators instruct): a refusal, not a message on the dossier page
            throw e;
        } catch (ConflictException e) {
            redirect.addFlashAttribute("actionErrors", List.of(String.valueOf(problems.body(e.status(), e.code(),
                    e.getMessage(), e.args(), List.of(), request).get("detail"))));
        } catch (PrerequisitesNotMetException e) {
            List<String> errors = new ArrayList<>();
            errors.add(messages.text("habilitation.prerequisitesFailed", locale, reference));
            e.failed().forEach(p -> errors.add(messages.prerequisiteName(p, locale) + " : " + messages.prerequisite(p, locale)));
            redirect.addFlashAttribute("actionErrors", errors);
        }
        return "redirect:/app/habilitations/" + reference;
    }

    private static List<String> nonNull(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
