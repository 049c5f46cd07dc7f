package org.openigc.server.certificates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.openigc.ca.KeyAlgorithm;
import org.openigc.ca.Offer;
import org.openigc.ca.ProfileId;
import org.openigc.server.registry.RegistryService;
import org.openigc.server.registry.StructureAccess;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The certificates pages of the professional space (French, server-rendered, no script): tracking (SUIVRE), the
 * order wizard (DEMANDER), the detail page with downloads, renewal and revocation (RETIRER / RÉVOQUER), and the
 * public revocation page by serial + revocation code.
 */
@Controller
class CertificatePagesController {
    private static final int PAGE_SIZE = 25;

    private final CertificateService service;
    private final CurrentRequester currentRequester;
    private final RegistryService registry;

    CertificatePagesController(CertificateService service, CurrentRequester currentRequester, RegistryService registry) {
        this.service = service;
        this.currentRequester = currentRequester;
        this.registry = registry;
    }

    private Requester requester() {
        return currentRequester.get().orElseThrow(() -> new org.springframework.security.authentication
                .AuthenticationCredentialsNotFoundException("login required"));
    }

    /** The wizard's fields, kept as typed so a refused form comes back filled in. */
    record OrderForm(String environment, String offer, String usage, String structure, String mode, String renews,
                     String serviceApplicatif, String dnsNames, String actorEmail, String ccEmail, String keyMode,
                     String csr, String algorithm, String termsAccepted, String revocationCode)
            implements java.io.Serializable {
        static OrderForm empty() {
            return new OrderForm("PRODUCTION", null, null, null, "new", null, "", "", "", "", "csr", "", "EC_P256",
                    null, "");
        }

        public List<String> dnsNameList() {
            if (dnsNames == null || dnsNames.isBlank()) {
                return List.of();
            }
            return List.of(dnsNames.strip().split("[\\s,;]+"));
        }

        public boolean generate() {
            return "generate".equals(keyMode);
        }

        public boolean renewal() {
            return "renewal".equals(mode);
        }
    }

    // ---- tracking -------------------------------------------------------------------------------

    @GetMapping({"/app/certificates", "/app/certificates/"})
    String tracking(@RequestParam(required = false) String structure, @RequestParam(required = false) String status,
                    @RequestParam(required = false) String environment,
                    @RequestParam(required = false) String usage,
                    @RequestParam(required = false) String expiringWithinDays,
                    @RequestParam(required = false) String q, @RequestParam(required = false) String sort,
                    @RequestParam(required = false) String page, @RequestParam(required = false) String cursor,
                    Model model) {
        Requester requester = requester();
        Map<String, String> filters = new LinkedHashMap<>();
        put(filters, "structure", structure);
        put(filters, "status", status);
        put(filters, "environment", environment);
        put(filters, "usage", usage);
        put(filters, "expiringWithinDays", expiringWithinDays);
        put(filters, "q", q);
        put(filters, "sort", sort);
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Integer within = integer(filters.get("expiringWithinDays"), "expiringWithinDays", errors);
        Integer pageNumber = integer(page, "page", errors);
        CertificateService.SearchResult result = null;
        if (errors.isEmpty()) {
            try {
                result = service.search(requester, new CertificateService.Search(filters.get("structure"),
                        filters.get("status"), filters.get("environment"), within, filters.get("q"), filters.get("sort"),
                        pageNumber, PAGE_SIZE, filters.get("usage"), cursor));
            } catch (OrderException e) {
                errors.putAll(byField(e));
            }
        }
        int current = result == null ? 0 : result.page();
        long total = result == null ? 0 : result.total();
        model.addAttribute("filters", filters);
        model.addAttribute("errors", errors);
        model.addAttribute("result", result);
        model.addAttribute("items", result == null ? List.of() : result.items());
        model.addAttribute("total", total);
        model.addAttribute("totalExact", result == null || result.totalExact());
        model.addAttribute("page", current);
        model.addAttribute("pages", Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE));
        // keyset navigation: the adjacent pages are read from the cursor of the first / last row shown, so a page
        // costs the same at any depth ("previous" reads the rows before the first one backwards)
        model.addAttribute("previousUrl", result == null || result.previousCursor() == null ? null
                : cursorUrl(filters, result.previousCursor()));
        model.addAttribute("nextUrl", result == null || result.nextCursor() == null ? null
                : cursorUrl(filters, result.nextCursor()));
        model.addAttribute("firstUrl", current > 0 ? url("/app/certificates", filters, null) : null);
        model.addAttribute("csvUrl", url("/api/v1/certificates.csv", filters, null));
        model.addAttribute("structures", accessible(requester));
        model.addAttribute("operator", requester.operator());
        return "certificates/tracking";
    }

    private static void put(Map<String, String> filters, String name, String value) {
        if (value != null && !value.isBlank()) {
            filters.put(name, value.strip());
        }
    }

    private static Integer integer(String value, String field, Map<String, List<String>> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            errors.computeIfAbsent(field, f -> new ArrayList<>()).add("nombre entier attendu");
            return null;
        }
    }

    private static String cursorUrl(Map<String, String> filters, String cursor) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromPath("/app/certificates");
        filters.forEach(builder::queryParam);
        builder.queryParam("cursor", cursor);
        return builder.encode().build().toUriString();
    }

    private static String url(String path, Map<String, String> filters, Integer page) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromPath(path);
        filters.forEach(builder::queryParam);
        if (page != null && page > 0) {
            builder.queryParam("page", page);
        }
        return builder.encode().build().toUriString();
    }

    /** The structures the user acts on (with the offers it may order), for filters and the wizard. */
    private List<StructureAccess> accessible(Requester requester) {
        return requester.personId() == null ? List.of() : registry.accessOf(requester.personId());
    }

    // ---- order wizard ---------------------------------------------------------------------------

    @GetMapping("/app/certificates/new")
    String wizard(@RequestParam(required = false) String q, @RequestParam(required = false) String renews,
                  @RequestParam(required = false) String draft, HttpSession session, Model model) {
        OrderForm form = OrderForm.empty();
        OrderDrafts.Draft pending = draft == null ? null : OrderDrafts.get(session, draft, requester().personId());
        if (pending != null) {
            // "Modifier" on the confirmation page: the wizard comes back filled in
            return wizardPage(pending.form(), Map.of(), null, q, model);
        }
        if (renews != null && !renews.isBlank()) {
            form = new OrderForm(form.environment(), null, null, null, "renewal", renews, "", "", "", "", "csr", "",
                    "EC_P256", null, "");
        }
        return wizardPage(form, Map.of(), null, q, model);
    }

    @PostMapping("/app/certificates/new")
    String order(OrderForm form, @RequestParam(required = false) MultipartFile csrFile,
                 @RequestParam(required = false) String action, HttpSession session, Model model) throws IOException {
        Requester requester = requester();
        String csr = csrText(form.csr(), csrFile);
        // the terms, the revocation code and the PKCS#12 password belong to the confirmation step: never kept here
        OrderForm kept = new OrderForm(form.environment(), form.offer(), form.usage(), form.structure(), form.mode(),
                form.renews(), form.serviceApplicatif(), form.dnsNames(), form.actorEmail(), form.ccEmail(),
                form.keyMode(), csr, form.algorithm(), null, null);
        if ("check".equals(action)) {
            CertificateService.CsrCheck check = service.checkCsr(csr);
            Map<String, List<String>> errors = byField(check.violations());
            return wizardPage(kept, errors, check.violations().isEmpty() ? check.keyDescription() : null, null, model);
        }
        OrderRequest.GenerateKey generateKey = kept.generate() ? new OrderRequest.GenerateKey(kept.algorithm(), null) : null;
        String csrGiven = kept.generate() ? null : csr;
        CertificateService.Preview preview;
        try {
            if (kept.renewal()) {
                UUID old = uuid(kept.renews());
                if (old == null) {
                    return wizardPage(kept, Map.of("renews", List.of("choisissez le certificat à renouveler")), null,
                            null, model);
                }
                preview = service.previewRenewal(requester, old, new RenewalRequest(csrGiven, generateKey, null, null));
            } else {
                preview = service.preview(requester, new OrderRequest(kept.environment(), kept.offer(), kept.usage(),
                        kept.structure(), kept.serviceApplicatif(), kept.dnsNameList(), kept.actorEmail(),
                        kept.ccEmail(), csrGiven, generateKey, null, null));
            }
        } catch (OrderException e) {
            return wizardPage(kept, wizardErrors(e), null, null, model);
        }
        String draftId = OrderDrafts.put(session, new OrderDrafts.Draft(kept, preview, requester.personId()));
        return "redirect:/app/certificates/new/review/" + draftId;
    }

    /** Errors of a refused order shown on the wizard itself. */
    private static Map<String, List<String>> wizardErrors(OrderException e) {
        if (e.kind() == OrderException.Kind.NOT_FOUND) {
            return Map.of("renews", List.of("certificat introuvable"));
        }
        if (e.kind() == OrderException.Kind.CONFLICT) {
            return Map.of("renews", List.of(e.getMessage()));
        }
        return byField(e);
    }

    /** The confirmation step: a recap of the checked order; nothing is issued until "Confirmer et émettre". */
    @GetMapping("/app/certificates/new/review/{draftId}")
    String review(@PathVariable String draftId, HttpSession session, Model model, RedirectAttributes redirect) {
        Requester requester = requester();
        OrderDrafts.Draft draft = OrderDrafts.get(session, draftId, requester.personId());
        if (draft == null) {
            redirect.addFlashAttribute("draftGone", true);
            return "redirect:/app/certificates/new";
        }
        return confirmPage(draftId, draft, Map.of(), model);
    }

    @PostMapping("/app/certificates/new/review/{draftId}")
    String confirm(@PathVariable String draftId, @RequestParam(required = false) String termsAccepted,
                   @RequestParam(required = false) String revocationCode,
                   @RequestParam(required = false) String password, HttpSession session, Model model,
                   RedirectAttributes redirect) {
        Requester requester = requester();
        // taken out of the session before issuing: a second click or a replayed POST cannot issue twice
        OrderDrafts.Draft draft = OrderDrafts.take(session, draftId, requester.personId());
        if (draft == null) {
            redirect.addFlashAttribute("draftGone", true);
            return "redirect:/app/certificates/new";
        }
        OrderForm kept = draft.form();
        OrderRequest.GenerateKey generateKey = kept.generate()
                ? new OrderRequest.GenerateKey(kept.algorithm(), password == null ? "" : password) : null;
        String csrGiven = kept.generate() ? null : kept.csr();
        Boolean terms = "true".equals(termsAccepted);
        try {
            CertificateView view;
            if (kept.renewal()) {
                view = service.renew(requester, UUID.fromString(kept.renews()),
                        new RenewalRequest(csrGiven, generateKey, terms, revocationCode));
            } else {
                view = service.order(requester, new OrderRequest(kept.environment(), kept.offer(), kept.usage(),
                        kept.structure(), kept.serviceApplicatif(), kept.dnsNameList(), kept.actorEmail(),
                        kept.ccEmail(), csrGiven, generateKey, terms, revocationCode));
            }
            redirect.addFlashAttribute("issued", true);
            if (view.pkcs12() != null) {
                redirect.addFlashAttribute("pkcs12", view.pkcs12());
            }
            return "redirect:/app/certificates/" + view.id();
        } catch (OrderException e) {
            Map<String, List<String>> errors = wizardErrors(e);
            if (e.kind() == OrderException.Kind.INVALID && errors.keySet().stream()
                    .allMatch(f -> Set.of("termsAccepted", "revocationCode", "password").contains(f))) {
                // only the confirmation's own fields are wrong: the same draft is confirmed again
                OrderDrafts.restore(session, draftId, draft);
                return confirmPage(draftId, draft, errors, model);
            }
            // the order no longer holds (e.g. the key got used, the mandate ended): back to the wizard
            return wizardPage(kept, errors, null, null, model);
        }
    }

    private String confirmPage(String draftId, OrderDrafts.Draft draft, Map<String, List<String>> errors, Model model) {
        model.addAttribute("draftId", draftId);
        model.addAttribute("form", draft.form());
        model.addAttribute("p", draft.preview());
        model.addAttribute("errors", errors);
        return "certificates/confirm";
    }

    /** A pasted PEM wins; else the uploaded file, PEM as is or DER turned into PEM. */
    private static String csrText(String pasted, MultipartFile file) throws IOException {
        if (pasted != null && !pasted.isBlank()) {
            return pasted.strip();
        }
        if (file == null || file.isEmpty()) {
            return pasted == null ? "" : pasted;
        }
        byte[] bytes = file.getBytes();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN")) {
            return text.strip();
        }
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(bytes) + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    private static UUID uuid(String value) {
        try {
            return value == null || value.isBlank() ? null : UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String wizardPage(OrderForm form, Map<String, List<String>> errors, String csrOk, String q, Model model) {
        Requester requester = requester();
        List<StructureAccess> access = accessible(requester).stream().filter(a -> !a.offers().isEmpty())
                .filter(a -> q == null || q.isBlank() || matches(a, q)).toList();
        Map<String, List<StructureAccess>> byOffer = new LinkedHashMap<>();
        for (Offer offer : List.of(Offer.ORG, Offer.SERV, Offer.PRO)) {
            List<StructureAccess> list = access.stream().filter(a -> a.offers().contains(offer)).toList();
            if (!list.isEmpty()) {
                byOffer.put(offer.name(), list);
            }
        }
        Map<String, List<String>> usages = new LinkedHashMap<>();
        for (ProfileId profile : ProfileId.values()) {
            if (byOffer.containsKey(profile.offer().name())) {
                usages.computeIfAbsent(profile.offer().name(), k -> new ArrayList<>()).add(profile.usage().name());
            }
        }
        List<CertificateView> renewable = List.of();
        try {
            renewable = service.search(requester, new CertificateService.Search(null, "ACTIVE", null, null, null,
                    "notAfter", 0, 200)).items().stream().filter(v -> v.renewedBy() == null).toList();
        } catch (OrderException ignored) {
            // nothing renewable to list
        }
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        model.addAttribute("csrOk", csrOk);
        model.addAttribute("q", q);
        model.addAttribute("byOffer", byOffer);
        model.addAttribute("usages", usages);
        model.addAttribute("renewable", renewable);
        model.addAttribute("cardLogin", requester.cardLogin());
        model.addAttribute("algorithms", KeyAlgorithm.values());
        return "certificates/new";
    }

    private static boolean matches(StructureAccess access, String q) {
        String needle = q.strip().toLowerCase(java.util.Locale.ROOT);
        return access.structure().name().toLowerCase(java.util.Locale.ROOT).contains(needle)
                || access.structure().idNatStruct().contains(needle);
    }

    private static Map<String, List<String>> byField(OrderException e) {
        return byField(e.violations());
    }

    /** Violations grouped by form field: {@code dnsNames[1]} and {@code generateKey.password} land on their input. */
    private static Map<String, List<String>> byField(List<FieldViolation> violations) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (FieldViolation v : violations) {
            String field = v.field();
            if (field.startsWith("dnsNames")) {
                field = "dnsNames";
            } else if (field.equals("generateKey.password")) {
                field = "password";
            } else if (field.equals("generateKey.algorithm")) {
                field = "algorithm";
            }
            errors.computeIfAbsent(field, f -> new ArrayList<>()).add(v.message());
        }
        return errors;
    }

    // ---- detail, renewal, revocation ------------------------------------------------------------

    @GetMapping("/app/certificates/{id}")
    String detail(@PathVariable String id, Model model) {
        UUID uuid = uuid(id);
        if (uuid == null) {
            throw new org.openigc.server.web.NotFoundException("certificate", id);
        }
        CertificateView view;
        try {
            view = service.get(requester(), uuid);
        } catch (OrderException e) {
            throw new org.openigc.server.web.NotFoundException("certificate", id);
        }
        model.addAttribute("c", view);
        model.addAttribute("reasons", CertificateService.REASONS);
        model.addAttribute("algorithms", KeyAlgorithm.values());
        if (!model.containsAttribute("errors")) {
            model.addAttribute("errors", Map.of());
        }
        return "certificates/detail";
    }

    @PostMapping("/app/certificates/{id}/revocation")
    String revoke(@PathVariable String id, @RequestParam(required = false) String reason, RedirectAttributes redirect) {
        UUID uuid = uuid(id);
        if (uuid == null) {
            throw new org.openigc.server.web.NotFoundException("certificate", id);
        }
        try {
            service.revoke(requester(), uuid, reason);
            redirect.addFlashAttribute("revoked", true);
        } catch (OrderException e) {
            if (e.kind() == OrderException.Kind.NOT_FOUND) {
                throw new org.openigc.server.web.NotFoundException("certificate", id);
            }
            redirect.addFlashAttribute("errors", Map.of("reason", List.of(e.getMessage())));
        }
        return "redirect:/app/certificates/" + uuid;
    }

    // ---- public revocation by code ----------------------------------------------------------------

    @GetMapping("/revocation")
    String revocationForm(Model model) {
        return revocationPage(model, "", "unspecified", Map.of(), null);
    }

    @PostMapping("/revocation")
    String revokeWithCode(@RequestParam(required = false) String serialNumber,
                          @RequestParam(required = false) String revocationCode,
                          @RequestParam(required = false) String reason, HttpServletRequest http, Model model) {
        try {
            CertificateView view = service.revokeWithCode(serialNumber, revocationCode, reason, http.getRemoteAddr());
            return revocationPage(model, "", "unspecified", Map.of(), view.serialNumber());
        } catch (OrderException e) {
            Map<String, List<String>> errors = byField(e);
            if (e.kind() == OrderException.Kind.CONFLICT || e.kind() == OrderException.Kind.TOO_MANY_REQUESTS) {
                errors = Map.of("serialNumber", List.of(e.getMessage()));
            }
            return revocationPage(model, serialNumber, reason, errors, null);
        }
    }

    private String revocationPage(Model model, String serial, String reason, Map<String, List<String>> errors,
                                  String revokedSerial) {
        model.addAttribute("serialNumber", serial == null ? "" : serial);
        model.addAttribute("reason", reason);
        model.addAttribute("reasons", CertificateService.REASONS);
        model.addAttribute("errors", errors);
        model.addAttribute("revokedSerial", revokedSerial);
        return "certificates/revocation";
    }
}
