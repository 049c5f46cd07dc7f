package org.openigc.server.automation;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.openigc.ca.Offer;
import org.openigc.ca.ProfileId;
import org.openigc.server.acme.AcmeEab;
import org.openigc.server.acme.AcmeProblem;
import org.openigc.server.certificates.CurrentRequester;
import org.openigc.server.certificates.Requester;
import org.openigc.server.est.EstException;
import org.openigc.server.est.EstTokens;
import org.openigc.server.registry.RegistryService;
import org.openigc.server.registry.StructureAccess;
import org.openigc.server.web.NotFoundException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The administrator's automation page (French): for one structure they manage, create and revoke EST enrollment
 * tokens, create and revoke ACME external account binding credentials, list and deactivate ACME accounts. Secrets
 * (token, HMAC key) are shown once, on the page answering their creation, never stored in clear.
 */
@Controller
class AutomationPagesController {
    private final EstTokens tokens;
    private final AcmeEab eab;
    private final CurrentRequester currentRequester;
    private final RegistryService registry;

    AutomationPagesController(EstTokens tokens, AcmeEab eab, CurrentRequester currentRequester, RegistryService registry) {
        this.tokens = tokens;
        this.eab = eab;
        this.currentRequester = currentRequester;
        this.registry = registry;
    }

    private Requester requester() {
        return currentRequester.get().orElseThrow(() -> new org.springframework.security.authentication
                .AuthenticationCredentialsNotFoundException("login required"));
    }

    private List<StructureAccess> managed(Requester requester) {
        return requester.personId() == null ? List.of() : registry.accessOf(requester.personId()).stream()
                .filter(a -> a.offers().contains(Offer.ORG) || a.offers().contains(Offer.SERV)
                        || a.offers().contains(Offer.PRO))
                .toList();
    }

    @GetMapping({"/app/automation", "/app/automation/"})
    String page(@RequestParam(required = false) String structure, Model model) {
        return render(requester(), structure, model);
    }

    private String render(Requester requester, String structure, Model model) {
        List<StructureAccess> managed = managed(requester);
        model.addAttribute("structures", managed);
        if (managed.isEmpty()) {
            return "automation/automation";
        }
        String selected = structure == null || structure.isBlank() ? managed.getFirst().structure().idNatStruct() : structure.strip();
        StructureAccess access = managed.stream().filter(a -> a.structure().idNatStruct().equals(selected)).findFirst()
                .orElseThrow(() -> new NotFoundException("object.structure", selected));
        Set<Offer> offers = access.offers();
        model.addAttribute("selected", access);
        model.addAttribute("profiles", Arrays.stream(ProfileId.values())
                .filter(p -> p.offer() != Offer.CPX && offers.contains(p.offer())).toList());
        model.addAttribute("tokens", tokens.list(requester, selected));
        boolean serv = offers.contains(Offer.SERV);
        model.addAttribute("serv", serv);
        model.addAttribute("credentials", serv ? eab.credentials(requester, selected) : List.of());
        model.addAttribute("accounts", serv ? eab.accounts(requester, selected) : List.of());
        return "automation/automation";
    }

    @PostMapping("/app/automation/est-tokens")
    String createToken(@RequestParam String structure, @RequestParam(required = false) String environment,
                       @RequestParam(required = false) String profile, @RequestParam(required = false) String serviceApplicatif,
                       @RequestParam(required = false) String actorEmail, Model model) {
        Requester requester = requester();
        ProfileId product = Arrays.stream(ProfileId.values()).filter(p -> p.name().equals(profile)).findFirst().orElse(null);
        try {
            EstTokens.CreatedToken created = tokens.create(requester, new EstTokens.TokenRequest(structure, environment,
                    product == null ? "" : product.offer().name(), product == null ? "" : product.usage().name(),
                    serviceApplicatif, actorEmail));
            model.addAttribute("createdToken", created);
        } catch (EstException e) {
            model.addAttribute("tokenError", e.getMessage());
        }
        return render(requester, structure, model);
    }

    @PostMapping("/app/automation/est-tokens/{id}/revocation")
    String revokeToken(@PathVariable String id, @RequestParam String structure, RedirectAttributes redirect) {
        try {
            tokens.revoke(requester(), UUID.fromString(id));
            redirect.addFlashAttribute("done", "tokenRevoked");
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("object.token", id);
        } catch (EstException e) {
            if (e.status() == 404) {
                throw new NotFoundException("object.token", id);
            }
            redirect.addFlashAttribute("tokenError", e.getMessage());
        }
        redirect.addAttribute("structure", structure);
        return "redirect:/app/automation";
    }

    @PostMapping("/app/automation/eab-credentials")
    String createCredential(@RequestParam String structure, @RequestParam(required = false) String environment,
                            @RequestParam(required = false) String actorEmail, Model model) {
        Requester requester = requester();
        try {
            model.addAttribute("createdCredential", eab.create(requester, new AcmeEab.EabRequest(structure, environment,
                    actorEmail == null || actorEmail.isBlank() ? null : actorEmail.strip())));
        } catch (AcmeProblem e) {
            model.addAttribute("credentialError", e.getMessage());
        }
        return render(requester, structure, model);
    }

    @PostMapping("/app/automation/eab-credentials/{kid}/revocation")
    String revokeCredential(@PathVariable String kid, @RequestParam String structure, RedirectAttributes redirect) {
        try {
            eab.revoke(requester(), kid);
        } catch (AcmeProblem e) {
            throw new NotFoundException("object.credential", kid);
        }
        redirect.addFlashAttribute("done", "credentialRevoked");
        redirect.addAttribute("structure", structure);
        return "redirect:/app/automation";
    }

    @PostMapping("/app/automation/acme-accounts/{id}/deactivation")
    String deactivate(@PathVariable String id, @RequestParam String structure, RedirectAttributes redirect) {
        try {
            eab.deactivate(requester(), UUID.fromString(id));
        } catch (IllegalArgumentException | AcmeProblem e) {
            throw new NotFoundException("object.account", id);
        }
        redirect.addFlashAttribute("done", "accountDeactivated");
        redirect.addAttribute("structure", structure);
        return "redirect:/app/automation";
    }
}
