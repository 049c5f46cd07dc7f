package org.openigc.certdc.connection;

import java.util.UUID;

import org.openigc.certdc.CertDcException;
import org.openigc.certdc.account.CertDcUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The CertDC administrator: lists the connection requests, validates or rejects them, decides production. */
@Controller
public class AdminController {
    static final int PAGE_SIZE = 25;
    private final ConnectionService connections;

    public AdminController(ConnectionService connections) {
        this.connections = connections;
    }

    @GetMapping("/certdc/admin")
    String list(@RequestParam(required = false) String status, @RequestParam(defaultValue = "0") int page, Model model) {
        SiStatus filter = parse(status);
        int safePage = Math.max(0, Math.min(page, 10_000));
        model.addAttribute("systems", connections.repository().page(filter, PAGE_SIZE, safePage * PAGE_SIZE));
        int total = connections.repository().count(filter);
        model.addAttribute("total", total);
        model.addAttribute("page", safePage);
        model.addAttribute("pages", Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE));
        model.addAttribute("status", filter == null ? "" : filter.name());
        return "certdc/admin-list";
    }

    @GetMapping("/certdc/admin/si/{id}")
    String detail(@PathVariable UUID id, Model model) {
        model.addAttribute("system", connections.repository().byId(id).orElseThrow(() -> CertDcException.notFound("SI")));
        return "certdc/admin-detail";
    }

    @PostMapping("/certdc/admin/si/{id}/validation")
    String validate(@AuthenticationPrincipal CertDcUser admin, @PathVariable UUID id, RedirectAttributes redirect) {
        connections.validate(admin, id);
        redirect.addFlashAttribute("message", "certdc.admin.validated");
        return "redirect:/certdc/admin/si/" + id;
    }

    @PostMapping("/certdc/admin/si/{id}/rejection")
    String reject(@AuthenticationPrincipal CertDcUser admin, @PathVariable UUID id,
                  @RequestParam(defaultValue = "") String reason, RedirectAttributes redirect) {
        connections.reject(admin, id, reason);
        redirect.addFlashAttribute("message", "certdc.admin.rejected");
        return "redirect:/certdc/admin/si/" + id;
    }

    @PostMapping("/certdc/admin/si/{id}/production")
    String production(@AuthenticationPrincipal CertDcUser admin, @PathVariable UUID id,
                      @RequestParam(defaultValue = "") String decision, @RequestParam(defaultValue = "") String reason,
                      RedirectAttributes redirect) {
        if (!decision.equals("grant") && !decision.equals("refuse")) {
            throw new CertDcException(CertDcException.Kind.INVALID, "certdc.admin.decision", "grant or refuse");
        }
        connections.decideProduction(admin, id, decision.equals("grant"), reason);
        redirect.addFlashAttribute("message", decision.equals("grant") ? "certdc.admin.productionGranted"
                : "certdc.admin.productionRefused");
        return "redirect:/certdc/admin/si/" + id;
    }

    private static SiStatus parse(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return SiStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
