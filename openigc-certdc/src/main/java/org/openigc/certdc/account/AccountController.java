package org.openigc.certdc.account;

import java.util.List;
import java.util.Optional;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openigc.ca.verification.VerificationException;
import org.openigc.certdc.CertDcException;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Login (account or card), forgotten password, unlock link, change of password. */
@Controller
public class AccountController {
    private final AccountService accounts;
    private final CardAuthentication cards;
    private final SecurityContextRepository contexts = CertDcSecurityConfiguration.contextRepository();

    public AccountController(AccountService accounts, CardAuthentication cards) {
        this.accounts = accounts;
        this.cards = cards;
    }

    @GetMapping("/certdc/login")
    String login(HttpServletRequest request, Model model, @RequestParam(required = false) String error) {
        model.addAttribute("error", error);
        model.addAttribute("rememberedLogin", rememberedLogin(request).orElse(""));
        model.addAttribute("cardPresented", ClientCertificates.of(request).isPresent());
        return "certdc/login";
    }

    /** Card login: the TLS client certificate of this connection, checked like any card, then a session. */
    @PostMapping("/certdc/login/card")
    String cardLogin(HttpServletRequest request, HttpServletResponse response, Model model) {
        Optional<java.security.cert.X509Certificate> certificate = ClientCertificates.of(request);
        if (certificate.isEmpty()) {
            return cardRefused(request, response, model, "certdc.card.none");
        }
        CertDcUser user;
        try {
            user = cards.authenticate(certificate.get(), request.getRemoteAddr());
        } catch (VerificationException e) {
            return cardRefused(request, response, model, "certdc." + e.failure().code());
        } catch (CertDcException e) {
            return cardRefused(request, response, model, e.code());
        }
        // a new session id against fixation; the session itself (and a platform login in it) is kept
        if (request.getSession(false) != null) {
            request.changeSessionId();
        } else {
            request.getSession(true);
        }
        request.getSession().removeAttribute(CertDcSecurityConfiguration.CSRF_ATTRIBUTE);
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, user.authorities()));
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        return "redirect:" + CertDcSecurityConfiguration.homeOf(user);
    }

    private String cardRefused(HttpServletRequest request, HttpServletResponse response, Model model, String code) {
        response.setStatus(HttpStatus.FORBIDDEN.value());
        model.addAttribute("cardError", code);
        model.addAttribute("rememberedLogin", rememberedLogin(request).orElse(""));
        model.addAttribute("cardPresented", ClientCertificates.of(request).isPresent());
        return "certdc/login";
    }

    @GetMapping("/certdc/password/forgot")
    String forgotForm() {
        return "certdc/password-forgot";
    }

    @PostMapping("/certdc/password/forgot")
    String forgot(@RequestParam(defaultValue = "") String login, HttpServletRequest request,
                  HttpServletResponse response, Model model) {
        if (login.isBlank() || login.length() > 100) {
            model.addAttribute("error", "certdc.field.required");
            return "certdc/password-forgot";
        }
        try {
            accounts.forgotPassword(login, request.getRemoteAddr());
        } catch (CertDcException e) {
            response.setStatus(e.kind().status());
            model.addAttribute("error", e.code());
            return "certdc/password-forgot";
        }
        model.addAttribute("sent", true);
        return "certdc/password-forgot";
    }

    @GetMapping("/certdc/password/reset")
    String resetForm(@RequestParam(defaultValue = "") String token, Model model, HttpServletResponse response) {
        if (!accounts.resetTokenUsable(token)) {
            response.setStatus(HttpStatus.GONE.value());
            model.addAttribute("invalid", true);
        }
        model.addAttribute("token", token);
        return "certdc/password-reset";
    }

    @PostMapping("/certdc/password/reset")
    String reset(@RequestParam(defaultValue = "") String token, @RequestParam(defaultValue = "") String password,
                 @RequestParam(defaultValue = "") String confirmation, Model model, HttpServletResponse response) {
        List<String> errors = accounts.resetPassword(token, password, confirmation);
        if (errors.contains("certdc.token.invalid")) {
            response.setStatus(HttpStatus.GONE.value());
            model.addAttribute("invalid", true);
            return "certdc/password-reset";
        }
        if (!errors.isEmpty()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("token", token);
            model.addAttribute("errors", errors);
            return "certdc/password-reset";
        }
        model.addAttribute("message", "certdc.password.resetDone");
        return "certdc/message";
    }

    /** The mailed link shows a button: a mail scanner following links does not use it up. */
    @GetMapping("/certdc/unlock")
    String unlockForm(@RequestParam(defaultValue = "") String token, Model model) {
        model.addAttribute("token", token);
        return "certdc/unlock";
    }

    @PostMapping("/certdc/unlock")
    String unlock(@RequestParam(defaultValue = "") String token, Model model, HttpServletResponse response) {
        if (!accounts.unlock(token)) {
            response.setStatus(HttpStatus.GONE.value());
            model.addAttribute("message", "certdc.token.invalid");
        } else {
            model.addAttribute("message", "certdc.account.unlocked");
        }
        return "certdc/message";
    }

    @GetMapping("/certdc/account/password")
    String changeForm(@AuthenticationPrincipal CertDcUser user, Model model) {
        model.addAttribute("mustChange", user.mustChangePassword());
        return "certdc/password-change";
    }

    @PostMapping("/certdc/account/password")
    String change(@AuthenticationPrincipal CertDcUser user, @RequestParam(defaultValue = "") String current,
                  @RequestParam(defaultValue = "") String password, @RequestParam(defaultValue = "") String confirmation,
                  HttpServletRequest request, HttpServletResponse response, Model model) {
        List<String> errors = accounts.changePassword(user, current, password, confirmation);
        if (!errors.isEmpty()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("errors", errors);
            model.addAttribute("mustChange", user.mustChangePassword());
            return "certdc/password-change";
        }
        CertDcUser updated = user.withPasswordChanged();
        Authentication authentication = UsernamePasswordAuthenticationToken.authenticated(updated, null,
                updated.authorities());
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        model.addAttribute("message", "certdc.password.changed");
        model.addAttribute("next", CertDcSecurityConfiguration.homeOf(updated));
        return "certdc/message";
    }

    private static Optional<String> rememberedLogin(HttpServletRequest request) {
        if (request.getCookies() == null) {
            return Optional.empty();
        }
        for (Cookie cookie : request.getCookies()) {
            if (CertDcSecurityConfiguration.REMEMBER_LOGIN_COOKIE.equals(cookie.getName()) && !cookie.getValue().isBlank()
                    && cookie.getValue().matches("[a-z0-9._-]{1,64}")) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }
}
