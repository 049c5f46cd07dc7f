package org.openigc.certdc.connection;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.openigc.certdc.CertDcException;
import org.openigc.certdc.Problems.FieldError;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * CertDC's public space: what it is, and the SI connection request form (seed 000) with its captcha and consent.
 * The form works without JavaScript: adding or removing an establishment row posts the form back.
 */
@Controller
public class PublicController {
    private final ConnectionService connections;
    private final Clock clock;

    public PublicController(ConnectionService connections, Clock clock) {
        this.connections = connections;
        this.clock = clock;
    }

    @GetMapping({"/certdc", "/certdc/"})
    String home() {
        return "certdc/home";
    }

    @GetMapping("/certdc/connexion")
    String form(@RequestParam(required = false) String captcha, HttpSession session, Model model) {
        ConnectionRequest empty = ConnectionForm.withRowAdded(ConnectionForm.read(new org.springframework.util.LinkedMultiValueMap<>()));
        Captcha.Kind kind = "question".equals(captcha) ? Captcha.Kind.QUESTION : Captcha.Kind.IMAGE;
        Captcha.issue(session, kind, clock.instant());
        return render(model, session, empty, Map.of(), false);
    }

    /** The captcha image of the session's challenge; {@code renew} draws a new code. */
    @GetMapping("/certdc/captcha.png")
    ResponseEntity<byte[]> captcha(@RequestParam(required = false) String renew, HttpSession session) {
        Captcha.Challenge challenge = Captcha.current(session);
        if (challenge == null || challenge.kind() != Captcha.Kind.IMAGE || renew != null) {
            challenge = Captcha.issue(session, Captcha.Kind.IMAGE, clock.instant());
        }
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).cacheControl(CacheControl.noStore())
                .body(Captcha.png(challenge.text()));
    }

    @PostMapping("/certdc/connexion")
    String submit(@RequestParam MultiValueMap<String, String> form, HttpSession session, HttpServletRequest request,
                  HttpServletResponse response, Model model, RedirectAttributes redirect) {
        ConnectionRequest connection = ConnectionForm.read(form);
        String action = form.getFirst("action") == null ? "submit" : form.getFirst("action");
        boolean consent = form.containsKey("consent");
        if (action.equals("add")) {
            return render(model, session, ConnectionForm.withRowAdded(connection), Map.of(), consent);
        }
        if (action.startsWith("remove-")) {
            return render(model, session, ConnectionForm.withRowRemoved(connection, index(action)), Map.of(), consent);
        }
        if (action.equals("question")) {
            Captcha.issue(session, Captcha.Kind.QUESTION, clock.instant());
            return render(model, session, connection, Map.of(), consent);
        }
        Captcha.Challenge used = Captcha.current(session);
        List<FieldError> errors = new java.util.ArrayList<>(ConnectionForm.validate(connection));
        if (!Captcha.verify(session, form.getFirst("captcha"), clock.instant())) {
            errors.add(new FieldError("captcha", "certdc.captcha.wrong", "the captcha answer is wrong or expired"));
        }
        if (!consent) {
            errors.add(new FieldError("consent", "certdc.consent.required", "consent is required"));
        }
        if (!errors.isEmpty()) {
            Captcha.issue(session, used == null ? Captcha.Kind.IMAGE : used.kind(), clock.instant());
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            return render(model, session, connection, byField(errors), consent);
        }
        ConnectionService.Submitted submitted;
        try {
            submitted = connections.submit(connection, request.getRemoteAddr());
        } catch (CertDcException e) {
            Captcha.issue(session, Captcha.Kind.IMAGE, clock.instant());
            response.setStatus(e.kind().status());
            return render(model, session, connection, Map.of("form", List.of(e.code())), consent);
        }
        redirect.addFlashAttribute("reference", submitted.reference());
        redirect.addFlashAttribute("login", submitted.login());
        redirect.addFlashAttribute("email", connection.requester().email());
        return "redirect:/certdc/connexion/envoyee";
    }

    @GetMapping("/certdc/connexion/envoyee")
    String submitted(Model model) {
        if (!model.containsAttribute("reference")) {
            return "redirect:/certdc/connexion";
        }
        return "certdc/connection-done";
    }

    private String render(Model model, HttpSession session, ConnectionRequest request, Map<String, List<String>> errors,
                          boolean consent) {
        Captcha.Challenge challenge = Captcha.current(session);
        if (challenge == null) {
            challenge = Captcha.issue(session, Captcha.Kind.IMAGE, clock.instant());
        }
        model.addAttribute("request", request);
        model.addAttribute("errors", errors);
        model.addAttribute("consent", consent);
        model.addAttribute("captchaKind", challenge.kind().name());
        model.addAttribute("captchaQuestion", challenge.kind() == Captcha.Kind.QUESTION ? challenge.text() : null);
        model.addAttribute("captchaNonce", Long.toHexString(System.nanoTime()));
        return "certdc/connection-form";
    }

    static Map<String, List<String>> byField(List<FieldError> errors) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (FieldError error : errors) {
            grouped.computeIfAbsent(error.field(), f -> new java.util.ArrayList<>()).add(error.code());
        }
        return grouped;
    }

    static int index(String action) {
        try {
            return Integer.parseInt(action.substring(action.indexOf('-') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
