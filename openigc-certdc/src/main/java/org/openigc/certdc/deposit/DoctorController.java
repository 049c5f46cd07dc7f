package org.openigc.certdc.deposit;

import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import org.openigc.certdc.CertDcException;
import org.openigc.certdc.account.CertDcUser;
import org.openigc.certdc.connection.TransferMode;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The declaring doctor's pages (seed 000's screenshot): pending data sets, search by IPP/NIPP (posted, so the IPP
 * stays out of URLs and logs), creation of the prefilled death certificate with the profile "médecin déclarant",
 * drafts saved and completed later.
 */
@Controller
public class DoctorController {
    private final DoctorService doctors;

    public DoctorController(DoctorService doctors) {
        this.doctors = doctors;
    }

    @GetMapping("/certdc/doctor")
    String home(@AuthenticationPrincipal CertDcUser doctor, Model model) {
        fill(doctor, model);
        return "certdc/doctor";
    }

    @PostMapping("/certdc/doctor/search")
    String search(@AuthenticationPrincipal CertDcUser doctor, @RequestParam(defaultValue = "") String ipp, Model model,
                  HttpServletResponse response) {
        fill(doctor, model);
        model.addAttribute("ipp", ipp);
        try {
            model.addAttribute("results", doctors.search(doctor, ipp, null));
        } catch (CertDcException e) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            model.addAttribute("searchError", e.code());
        }
        model.addAttribute("searched", true);
        return "certdc/doctor";
    }

    @PostMapping("/certdc/doctor/drafts")
    String open(@AuthenticationPrincipal CertDcUser doctor, @RequestParam(required = false) UUID deposit,
                @RequestParam(defaultValue = "") String profile, RedirectAttributes redirect) {
        if (deposit == null) {
            throw new CertDcException(CertDcException.Kind.INVALID, "certdc.draft.deposit", "choose a data set");
        }
        UUID id = doctors.openDraft(doctor, deposit, profile);
        return "redirect:/certdc/doctor/drafts/" + id;
    }

    @GetMapping("/certdc/doctor/drafts/{id}")
    String draft(@AuthenticationPrincipal CertDcUser doctor, @PathVariable UUID id, Model model) {
        model.addAttribute("draft", doctors.draft(doctor, id));
        model.addAttribute("placeTypes", List.copyOf(new java.util.TreeSet<>(DoctorService.PLACE_TYPES)));
        return "certdc/draft";
    }

    @PostMapping("/certdc/doctor/drafts/{id}")
    String save(@AuthenticationPrincipal CertDcUser doctor, @PathVariable UUID id,
                @RequestParam(defaultValue = "") String deathDate, @RequestParam(defaultValue = "") String deathTime,
                @RequestParam(defaultValue = "") String deathCommune,
                @RequestParam(defaultValue = "") String deathPlaceType,
                @RequestParam(defaultValue = "") String immediateCause,
                @RequestParam(defaultValue = "") String underlyingCauses,
                @RequestParam(defaultValue = "") String medicoLegalObstacle,
                @RequestParam(defaultValue = "save") String action, Model model, HttpServletResponse response,
                RedirectAttributes redirect) {
        DoctorService.Medical medical = new DoctorService.Medical(deathDate.strip(), deathTime.strip(),
                deathCommune.strip(), deathPlaceType.strip(), immediateCause.strip(), underlyingCauses.strip(),
                medicoLegalObstacle.strip());
        boolean complete = action.equals("complete");
        List<String> errors = doctors.save(doctor, id, medical, complete);
        if (!errors.isEmpty()) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
            DoctorService.DraftView current = doctors.draft(doctor, id);
            model.addAttribute("draft", new DoctorService.DraftView(current.id(), current.depositId(),
                    current.establishment(), current.mode(), current.profile(), current.status(),
                    new DoctorService.DraftContent(current.content().identity(), medical), current.expiresAt(),
                    current.updatedAt()));
            model.addAttribute("placeTypes", List.copyOf(new java.util.TreeSet<>(DoctorService.PLACE_TYPES)));
            model.addAttribute("errors", errors);
            return "certdc/draft";
        }
        redirect.addFlashAttribute("message", complete ? "certdc.draft.completedMessage" : "certdc.draft.savedMessage");
        return "redirect:/certdc/doctor/drafts/" + id;
    }

    private void fill(CertDcUser doctor, Model model) {
        var pending = doctors.pending(doctor);
        model.addAttribute("pendingProduction", pending.get(TransferMode.PRODUCTION));
        model.addAttribute("pendingSandbox", pending.get(TransferMode.SANDBOX));
        model.addAttribute("establishments", doctors.establishments(doctor));
        model.addAttribute("drafts", doctors.drafts(doctor));
    }
}
