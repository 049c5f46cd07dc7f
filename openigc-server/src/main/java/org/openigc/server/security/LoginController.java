package org.openigc.server.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.openigc.server.authority.CertificateAuthorities;
import org.openigc.server.demo.DemoMode;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The public space: home page and the login choices (card, Pro Santé Connect, demo personas). */
@Controller
class LoginController {
    private final OidcProperties oidc;
    private final DemoMode demo;
    private final CurrentUser currentUser;
    private final CertificateAuthorities authorities;

    LoginController(OidcProperties oidc, DemoMode demo, CurrentUser currentUser, CertificateAuthorities authorities) {
        this.oidc = oidc;
        this.demo = demo;
        this.currentUser = currentUser;
        this.authorities = authorities;
    }

    @GetMapping("/")
    String home(Model model) {
        model.addAttribute("cas", authorities.all().stream().map(ca -> ca.name()).toList());
        addLoginChoices(model);
        return "home";
    }

    @GetMapping("/login")
    String login(HttpServletRequest request, Model model) {
        if (currentUser.get().isPresent()) {
            return "redirect:/app";
        }
        addLoginChoices(model);
        model.addAttribute("refusal", takeRefusal(request));
        return "login";
    }

    /**
     * The card login link: the browser presents the card during the TLS handshake; the card filter has already
     * logged the person in, or recorded why not.
     */
    @GetMapping("/login/card")
    String card(HttpServletRequest request, Model model) {
        if (currentUser.get().isPresent()) {
            return "redirect:/app";
        }
        addLoginChoices(model);
        String refusal = takeRefusal(request);
        model.addAttribute("refusal", refusal != null ? refusal : "login.refused.noCard");
        return "login";
    }

    private void addLoginChoices(Model model) {
        model.addAttribute("pscEnabled", oidc.enabled());
        model.addAttribute("pscName", oidc.displayName());
        model.addAttribute("demo", demo.enabled());
    }

    private static String takeRefusal(HttpServletRequest request) {
        Object attribute = request.getAttribute(CardAuthenticationFilter.REFUSAL);
        HttpSession session = request.getSession(false);
        if (attribute == null && session != null) {
            attribute = session.getAttribute(CardAuthenticationFilter.SESSION_REFUSAL);
        }
        if (session != null) {
            session.removeAttribute(CardAuthenticationFilter.SESSION_REFUSAL);
        }
        return attribute == null ? null : attribute.toString();
    }
}
