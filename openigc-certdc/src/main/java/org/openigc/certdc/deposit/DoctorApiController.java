package org.openigc.certdc.deposit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openigc.certdc.CertDcException;
import org.openigc.certdc.Problems;
import org.openigc.certdc.account.CertDcUser;
import org.openigc.certdc.connection.TransferMode;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /certdc/api/v1/deposits?ipp=} (SPEC §7): the pending data sets of that IPP in the calling doctor's
 * establishments (card on the request, or a CertDC session), within their 96 hours. Each item says its {@code mode};
 * sandbox items are test data and flagged {@code sandbox: true}; {@code pending} is false once a certificate was
 * completed from it. {@code mode=} filters; a TEST card sees sandbox items only.
 */
@RestController
public class DoctorApiController {
    private final DoctorService doctors;

    public DoctorApiController(DoctorService doctors) {
        this.doctors = doctors;
    }

    @GetMapping("/certdc/api/v1/deposits")
    ResponseEntity<Map<String, Object>> deposits(@AuthenticationPrincipal CertDcUser doctor,
                                                 @RequestParam(required = false) String ipp,
                                                 @RequestParam(required = false) String mode) {
        TransferMode filter = null;
        if (mode != null && !mode.isBlank()) {
            try {
                filter = TransferMode.valueOf(mode);
            } catch (IllegalArgumentException e) {
                return Problems.response(400, "mode.invalid", "Invalid mode", null,
                        List.of(new Problems.FieldError("mode", "mode.invalid", "SANDBOX or PRODUCTION")));
            }
        }
        List<DoctorService.DepositView> found;
        try {
            found = doctors.search(doctor, ipp, filter);
        } catch (CertDcException e) {
            return Problems.response(400, "ipp.invalid", "Invalid IPP", null,
                    List.of(new Problems.FieldError("ipp", "ipp.invalid", "a non-empty IPP of at most 64 printable characters")));
        }
        List<Map<String, Object>> items = found.stream().map(DoctorApiController::item).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("total", items.size());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore()).body(body);
    }

    private static Map<String, Object> item(DoctorService.DepositView view) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", view.id().toString());
        item.put("mode", view.mode().name());
        item.put("sandbox", view.sandbox());
        item.put("pending", view.pending());
        item.put("establishment", view.establishment());
        item.put("ipp", view.data().ipp());
        item.put("receivedAt", view.receivedAt().toString());
        item.put("expiresAt", view.expiresAt().toString());
        Map<String, Object> patient = new LinkedHashMap<>();
        DepositData.Patient p = view.data().patient();
        patient.put("birthName", p.birthName());
        patient.put("usedName", p.usedName());
        patient.put("firstNames", p.firstNames());
        patient.put("sex", p.sex());
        patient.put("birthDate", p.birthDate());
        patient.put("birthPlace", p.birthPlace());
        patient.put("ins", p.ins());
        item.put("patient", patient);
        if (view.data().death() != null) {
            Map<String, Object> death = new LinkedHashMap<>();
            death.put("date", view.data().death().date());
            death.put("place", view.data().death().place());
            item.put("death", death);
        }
        return item;
    }
}
