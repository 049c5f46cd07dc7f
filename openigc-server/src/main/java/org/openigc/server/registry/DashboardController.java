package org.openigc.server.registry;

import org.openigc.server.security.CurrentUser;
import org.openigc.server.security.OpenIgcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The professional space's landing page: who is logged in, with which roles, on which structures. */
@Controller
class DashboardController {
    private final RegistryService registry;
    private final CurrentUser currentUser;

    DashboardController(RegistryService registry, CurrentUser currentUser) {
        this.registry = registry;
        this.currentUser = currentUser;
    }

    @GetMapping({"/app", "/app/"})
    String dashboard(Model model) {
        OpenIgcUser user = currentUser.require();
        model.addAttribute("user", user);
        model.addAttribute("method", currentUser.loginMethod().map(Enum::name).orElse(""));
        model.addAttribute("access", registry.accessOf(user.personId()));
        model.addAttribute("regionLabel", user.region() == null ? null
                : org.openigc.identifiers.Region.byInseeCode(user.region()).map(r -> r.label()).orElse(user.region()));
        return "app/dashboard";
    }
}
