package org.openigc.certdc.connection;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletResponse;
import org.openigc.ca.CertificateFormats;
import org.openigc.certdc.CertDcException;
import org.openigc.certdc.Problems.FieldError;
import org.openigc.certdc.account.AccountService;
import org.openigc.certdc.account.CertDcUser;
import org.openigc.identifiers.Identifiers;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The SI manager's space: its request (update it, follow its instruction and mode, ask for production), the CertDC
 * server certificate and the connection kit, and the declaring doctors of its establishments.
 */
@Controller
public class ManagerController {
    private static final Pattern PERSON_NAME = Pattern.compile("^[\\p{L}\\p{M}][\\p{L}\\p{M} '’\\-.]{0,99}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s<>\"']+@[^@\\s<>\"']+\\.[^@\\s<>\"']{2,}$");

    private final ConnectionService connections;
    private final ServerCertificates serverCertificates;
    private final ConnectionKit kit;
    private final AccountService accounts;
    private final TransactionTemplate transactions;

    public ManagerController(ConnectionService connections, ServerCertificates serverCertificates, ConnectionKit kit,
                             AccountService accounts, TransactionTemplate transactions) {
        this.connections = connections;
        this.serverCertificates = serverCertificates;
        this.kit = kit;
        this.accounts = accounts;
        this.transactions = transactions;
    }

    @GetMapping("/certdc/si")
    String space(@AuthenticationPrincipal CertDcUser manager, Model model) {
        List<InformationSystem> systems = connections.of(manager);
        model.addAttribute("systems", systems.stream().map(s -> view(s, null, Map.of())).toList());
        serverCertificates.current().ifPresent(c -> model.addAttribute("serverFingerprint",
                org.openigc.certdc.trust.PlatformTrust.fingerprint(c)));
        return "certdc/si";
    }

    @PostMapping("/certdc/si/{id}")
    String update(@AuthenticationPrincipal CertDcUser manager, @PathVariable UUID id,
                  @RequestParam MultiValueMap<String, String> form, HttpServletResponse response, Model model,
                  RedirectAttributes redirect) {
        InformationSystem system = connections.ownedBy(manager, id);
        ConnectionRequest request = ConnectionForm.read(form);
        String action = form.getFirst("action") == null ? "submit" : form.getFirst("action");
        if (action.equals("add") || action.startsWith("remove-")) {
            ConnectionRequest edited = action.equals("add") ? ConnectionForm.withRowAdded(request)
                    : ConnectionForm.withRowRemoved(request, PublicController.index(action));
            return editing(manager, model, system, edited, Map.of());
        }
        List<FieldError> errors = ConnectionForm.validate(request);
        if (!errors.isEmpty()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return editing(manager, model, system, request, PublicController.byField(errors));
        }
        InformationSystem updated = connections.update(manager, id, request);
        redirect.addFlashAttribute("message", updated.status() == SiStatus.PENDING && system.status() != SiStatus.PENDING
                ? "certdc.si.updatedReinstruction" : "certdc.si.updated");
        return "redirect:/certdc/si";
    }

    private String editing(CertDcUser manager, Model model, InformationSystem system, ConnectionRequest request,
                           Map<String, List<String>> errors) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (InformationSystem s : connections.of(manager)) {
            views.add(s.id().equals(system.id()) ? view(s, request, errors) : view(s, null, Map.of()));
        }
        model.addAttribute("systems", views);
        return "certdc/si";
    }

    @PostMapping("/certdc/si/{id}/production")
    String production(@AuthenticationPrincipal CertDcUser manager, @PathVariable UUID id, RedirectAttributes redirect) {
        connections.requestProduction(manager, id);
        redirect.addFlashAttribute("message", "certdc.si.productionRequested");
        return "redirect:/certdc/si";
    }

    /** A declaring doctor for some of the SI's establishments: a CertDC account (login = RPPS) or a new link. */
    @PostMapping("/certdc/si/{id}/doctors")
    String addDoctor(@AuthenticationPrincipal CertDcUser manager, @PathVariable UUID id,
                     @RequestParam(defaultValue = "") String rpps, @RequestParam(defaultValue = "") String lastName,
                     @RequestParam(defaultValue = "") String firstName, @RequestParam(defaultValue = "") String email,
                     @RequestParam(required = false) List<String> establishments, RedirectAttributes redirect) {
        InformationSystem system = connections.ownedBy(manager, id);
        if (system.status() != SiStatus.VALIDATED) {
            throw CertDcException.state("certdc.doctor.siNotValidated", "doctors are added once the SI is validated");
        }
        List<String> chosen = establishments == null ? List.of()
                : establishments.stream().filter(system.establishmentNumbers()::contains).distinct().toList();
        List<String> errors = new ArrayList<>();
        if (!Identifiers.rpps("rpps", rpps.strip()).isEmpty()) {
            errors.add("certdc.doctor.rpps");
        }
        if (!PERSON_NAME.matcher(lastName.strip()).matches() || !PERSON_NAME.matcher(firstName.strip()).matches()) {
            errors.add("certdc.field.name");
        }
        if (!EMAIL.matcher(email.strip()).matches() || email.length() > 254) {
            errors.add("certdc.field.email");
        }
        if (chosen.isEmpty()) {
            errors.add("certdc.doctor.establishments");
        }
        if (!errors.isEmpty()) {
            redirect.addFlashAttribute("doctorErrors", errors);
            return "redirect:/certdc/si";
        }
        boolean created = Boolean.TRUE.equals(transactions.execute(status -> accounts.createOrLinkDoctor(rpps.strip(),
                firstName.strip() + " " + lastName.strip(), email.strip(), chosen).isPresent()));
        redirect.addFlashAttribute("message", created ? "certdc.doctor.created" : "certdc.doctor.linked");
        return "redirect:/certdc/si";
    }

    @GetMapping("/certdc/si/server-certificate.pem")
    ResponseEntity<byte[]> serverCertificate() {
        X509Certificate certificate = serverCertificates.current()
                .orElseThrow(() -> CertDcException.notFound("server certificate"));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/x-pem-file"))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("certdc-server.pem").build().toString())
                .body(CertificateFormats.pem(certificate).getBytes(StandardCharsets.US_ASCII));
    }

    @GetMapping("/certdc/si/kit.zip")
    ResponseEntity<byte[]> kit(@AuthenticationPrincipal CertDcUser manager) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("certdc-kit.zip").build().toString())
                .body(kit.zip(connections.of(manager)));
    }

    private Map<String, Object> view(InformationSystem system, ConnectionRequest editing,
                                     Map<String, List<String>> errors) {
        Map<String, Object> view = new java.util.HashMap<>();
        view.put("system", system);
        view.put("request", editing != null ? editing : system.request());
        view.put("errors", errors);
        view.put("doctors", accounts.repository().doctorsOf(system.establishmentNumbers()));
        view.put("canAskProduction", system.status() == SiStatus.VALIDATED && system.mode() == TransferMode.SANDBOX
                && !system.productionRequested());
        return view;
    }
}
