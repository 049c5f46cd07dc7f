package org.openigc.server.demo;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openigc.server.security.DirectoryEntry;
import org.openigc.server.security.LoginMethod;
import org.openigc.server.security.SessionLogin;
import org.openigc.server.security.UserDirectory;
import org.openigc.server.web.NotFoundException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The persona picker: in demo mode only, a browser logs in as a persona as if by its card (cardLogin=true). The
 * POST carries the CSRF token like every form.
 */
@Controller
class DemoController {
    private final DemoMode demo;
    private final UserDirectory directory;
    private final SessionLogin sessions;
    private final java.time.Clock clock;

    DemoController(DemoMode demo, UserDirectory directory, SessionLogin sessions, java.time.Clock clock) {
        this.demo = demo;
        this.directory = directory;
        this.sessions = sessions;
        this.clock = clock;
    }

    @GetMapping("/demo/personas")
    String personas(Model model) {
        requireDemo();
        List<DemoData.Persona> personas = DemoData.PERSONAS;
        model.addAttribute("personas", personas);
        return "demo/personas";
    }

    @PostMapping("/demo/personas/{name}")
    String login(@PathVariable String name, HttpServletRequest request, HttpServletResponse response, Model model) {
        requireDemo();
        DemoData.Persona persona = DemoData.PERSONAS.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFoundException("object.persona", name));
        DirectoryEntry entry = directory.byIdNatPs(persona.idNatPs())
                .orElseThrow(() -> new NotFoundException("object.persona", name));
        String refusal = entry.cardRefusal(java.time.LocalDate.now(clock));
        if (refusal != null) {
            model.addAttribute("personas", DemoData.PERSONAS);
            model.addAttribute("refusal", refusal);
            return "demo/personas";
        }
        sessions.login(request, response, entry.toUser(true), LoginMethod.DEMO);
        return "redirect:/app";
    }

    private void requireDemo() {
        if (!demo.enabled()) {
            throw new NotFoundException("object.page", "/demo");
        }
    }
}
