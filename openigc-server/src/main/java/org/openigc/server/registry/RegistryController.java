package org.openigc.server.registry;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.openigc.server.web.FieldError;
import org.openigc.server.web.FormErrors;
import org.openigc.server.web.NotFoundException;
import org.openigc.server.web.Problems;
import org.openigc.server.web.ValidationException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Operator screens of the registry (restricted to operators by URL): structures, persons, contracts, delegations, import. */
@Controller
@RequestMapping("/app/registry")
class RegistryController {
    private static final int PAGE_SIZE = 50;

    private static final java.time.format.DateTimeFormatter DAY_TIME = java.time.format.DateTimeFormatter
            .ofPattern("dd/MM/yyyy HH:mm").withZone(java.time.ZoneId.of("Europe/Paris"));

    private final RegistryService registry;
    private final Problems problems;
    private final org.openigc.server.mail.UndeliverableAddresses undeliverable;

    RegistryController(RegistryService registry, Problems problems,
                       org.openigc.server.mail.UndeliverableAddresses undeliverable) {
        this.registry = registry;
        this.problems = problems;
        this.undeliverable = undeliverable;
    }

    @GetMapping
    String index() {
        return "redirect:/app/registry/structures";
    }

    // ---- structures ---------------------------------------------------------------------------

    @GetMapping("/structures")
    String structures(@RequestParam(required = false) String q, @RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("page", Math.max(page, 0));
        model.addAttribute("structures", registry.searchStructures(q, page, PAGE_SIZE));
        model.addAttribute("total", registry.countStructures(q));
        model.addAttribute("pageSize", PAGE_SIZE);
        return "registry/structures";
    }

    @GetMapping("/structures/new")
    String newStructure(Model model) {
        return structureForm(model, StructureInput.empty(), null, Map.of());
    }

    @PostMapping("/structures")
    String createStructure(@ModelAttribute StructureInput form, Model model, RedirectAttributes redirect) {
        try {
            Structure created = registry.createStructure(form);
            redirect.addFlashAttribute("saved", true);
            return "redirect:/app/registry/structures/" + created.id();
        } catch (ValidationException e) {
            return structureForm(model, form, null, FormErrors.byField(problems, e));
        }
    }

    @GetMapping("/structures/{id}")
    String structure(@PathVariable UUID id, Model model) {
        Structure structure = find(id);
        model.addAttribute("structure", structure);
        model.addAttribute("parent", structure.parentId() == null ? null : registry.structure(structure.parentId()).orElse(null));
        model.addAttribute("establishments", registry.establishmentsOf(id));
        model.addAttribute("contracts", registry.contractsOf(id));
        model.addAttribute("activeContract", registry.hasActiveContract(id));
        model.addAttribute("representatives", registry.representativesOf(id).stream()
                .map(r -> Map.of("role", r.role().name(), "person", registry.person(r.personId()).orElseThrow(),
                        "validFrom", r.validFrom(), "validUntil", r.validUntil() == null ? "" : r.validUntil()))
                .toList());
        model.addAttribute("delegations", registry.delegationsOf(id).stream()
                .map(d -> Map.of("delegation", d, "editor", registry.structure(d.editorStructureId()).orElseThrow(),
                        "active", d.activeOn(registry.today())))
                .toList());
        model.addAttribute("habilitations", registry.habilitationsOn(id).stream()
                .map(h -> Map.of("habilitation", h, "person", registry.person(h.personId()).orElseThrow()))
                .toList());
        model.addAttribute("cardHolders", registry.cardHoldersOf(id));
        // expiry notices and other mails that could not reach a contact of this structure (SPEC §3.5, FAQ)
        model.addAttribute("undeliverable", undeliverable.ofStructure(id).stream()
                .map(u -> Map.of("address", u.address(), "firstSeen", DAY_TIME.format(u.firstSeen()),
                        "lastSeen", DAY_TIME.format(u.lastSeen()), "error", u.lastError()))
                .toList());
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        return "registry/structure";
    }

    @GetMapping("/structures/{id}/edit")
    String editStructure(@PathVariable UUID id, Model model) {
        Structure structure = find(id);
        String parentFiness = structure.parentId() == null ? ""
                : registry.structure(structure.parentId()).map(Structure::finess).orElse("");
        return structureForm(model, StructureInput.of(structure, parentFiness), id, Map.of());
    }

    @PostMapping("/structures/{id}")
    String updateStructure(@PathVariable UUID id, @ModelAttribute StructureInput form, Model model,
                           RedirectAttributes redirect) {
        try {
            registry.updateStructure(id, form);
            redirect.addFlashAttribute("saved", true);
            return "redirect:/app/registry/structures/" + id;
        } catch (ValidationException e) {
            return structureForm(model, form, id, FormErrors.byField(problems, e));
        }
    }

    private String structureForm(Model model, StructureInput form, UUID id, Map<String, List<String>> errors) {
        model.addAttribute("form", form);
        model.addAttribute("id", id);
        model.addAttribute("errors", errors);
        model.addAttribute("kinds", StructureKind.values());
        model.addAttribute("sectors", Sector.values());
        return "registry/structure-form";
    }

    @PostMapping("/structures/{id}/contracts")
    String addContract(@PathVariable UUID id, @RequestParam(defaultValue = "") String reference,
                       @RequestParam(defaultValue = "") String signedOn, @RequestParam(defaultValue = "") String endsOn,
                       Model model, RedirectAttributes redirect) {
        return onStructure(id, model, redirect, () -> registry.addContract(id, reference, signedOn, endsOn));
    }

    @PostMapping("/structures/{id}/representatives")
    String addRepresentative(@PathVariable UUID id, @RequestParam(defaultValue = "") String cardNumber,
                             @RequestParam(defaultValue = "LEGAL_REPRESENTATIVE") RepresentativeRole role,
                             @RequestParam(defaultValue = "") String validUntil, Model model, RedirectAttributes redirect) {
        return onStructure(id, model, redirect, () -> {
            Person person = registry.personByCardNumber(cardNumber.strip()).orElseThrow(() -> new ValidationException(
                    FieldError.of("cardNumber", "person.unknownCard", "No person has this card number")));
            List<FieldError> errors = new java.util.ArrayList<>();
            LocalDate until = RegistryValidation.date("validUntil", validUntil, errors);
            ValidationException.throwIfAny(errors);
            registry.addRepresentative(id, person.id(), role, null, until);
        });
    }

    @PostMapping("/structures/{id}/delegations")
    String addDelegation(@PathVariable UUID id, @RequestParam(defaultValue = "") String editor,
                         @RequestParam(defaultValue = "") String endsOn, Model model, RedirectAttributes redirect) {
        return onStructure(id, model, redirect, () -> registry.createDelegation(id, editor, null, endsOn));
    }

    @PostMapping("/structures/{id}/delegations/{delegation}/revocation")
    String revokeDelegation(@PathVariable UUID id, @PathVariable UUID delegation, Model model, RedirectAttributes redirect) {
        return onStructure(id, model, redirect, () -> registry.revokeDelegation(delegation, null));
    }

    private String onStructure(UUID id, Model model, RedirectAttributes redirect, Runnable action) {
        find(id);
        try {
            action.run();
            redirect.addFlashAttribute("saved", true);
            return "redirect:/app/registry/structures/" + id;
        } catch (ValidationException e) {
            model.addAttribute("errors", FormErrors.byField(problems, e));
            return structure(id, model);
        }
    }

    // ---- persons ------------------------------------------------------------------------------

    @GetMapping("/persons")
    String persons(@RequestParam(required = false) String q, @RequestParam(defaultValue = "0") int page, Model model) {
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("page", Math.max(page, 0));
        model.addAttribute("persons", registry.searchPersons(q, page, PAGE_SIZE));
        model.addAttribute("pageSize", PAGE_SIZE);
        return "registry/persons";
    }

    @GetMapping("/persons/new")
    String newPerson(Model model) {
        return personForm(model, PersonInput.empty(), null, Map.of());
    }

    @PostMapping("/persons")
    String createPerson(@ModelAttribute PersonInput form, Model model, RedirectAttributes redirect) {
        try {
            registry.createPerson(form);
            redirect.addFlashAttribute("saved", true);
            return "redirect:/app/registry/persons?q=" + java.net.URLEncoder.encode(form.cardNumber(), StandardCharsets.UTF_8);
        } catch (ValidationException e) {
            return personForm(model, form, null, FormErrors.byField(problems, e));
        }
    }

    @GetMapping("/persons/{id}/edit")
    String editPerson(@PathVariable UUID id, Model model) {
        Person person = registry.person(id).orElseThrow(() -> new NotFoundException("object.person", id.toString()));
        String cardStructure = person.cardStructureId() == null ? ""
                : registry.structure(person.cardStructureId()).map(Structure::idNatStruct).orElse("");
        return personForm(model, new PersonInput(person.cardNumber(), person.cardType().name(), person.idNatPs(),
                person.lastName(), person.firstName(), nz(person.email()), nz(person.phone()), nz(person.profession()),
                person.cardStatus().name(), person.cardExpiresOn() == null ? "" : person.cardExpiresOn().toString(),
                cardStructure), id, Map.of());
    }

    @PostMapping("/persons/{id}")
    String updatePerson(@PathVariable UUID id, @ModelAttribute PersonInput form, Model model, RedirectAttributes redirect) {
        try {
            registry.updatePerson(id, form);
            redirect.addFlashAttribute("saved", true);
            return "redirect:/app/registry/persons?q=" + java.net.URLEncoder.encode(form.cardNumber(), StandardCharsets.UTF_8);
        } catch (ValidationException e) {
            return personForm(model, form, id, FormErrors.byField(problems, e));
        }
    }

    private String personForm(Model model, PersonInput form, UUID id, Map<String, List<String>> errors) {
        model.addAttribute("form", form);
        model.addAttribute("id", id);
        model.addAttribute("errors", errors);
        model.addAttribute("cardTypes", CardType.values());
        model.addAttribute("cardStatuses", CardStatus.values());
        return "registry/person-form";
    }

    // ---- CSV import ---------------------------------------------------------------------------

    @GetMapping("/import")
    String importForm(Model model) {
        model.addAttribute("columns", StructureCsv.COLUMNS);
        return "registry/import";
    }

    @PostMapping("/import")
    String importCsv(@RequestParam("file") MultipartFile file, Model model) throws IOException {
        model.addAttribute("columns", StructureCsv.COLUMNS);
        ImportReport report = registry.importStructures(new InputStreamReader(file.getInputStream(), StandardCharsets.UTF_8));
        model.addAttribute("report", report);
        model.addAttribute("messages", report.errors().stream()
                .map(e -> Map.of("line", e.line(), "field", e.error().field(), "code", e.error().code(),
                        "message", problems.message(e.error(), org.springframework.context.i18n.LocaleContextHolder.getLocale())))
                .toList());
        return "registry/import";
    }

    private Structure find(UUID id) {
        return registry.structure(id).orElseThrow(() -> new NotFoundException("object.structure", id.toString()));
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
