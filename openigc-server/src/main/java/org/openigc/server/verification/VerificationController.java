package org.openigc.server.verification;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/verification}: public, for relying services (SPEC §3.8, §7). */
@RestController
class VerificationController {
    private final VerificationService service;

    VerificationController(VerificationService service) {
        this.service = service;
    }

    @PostMapping(path = "/api/v1/verification", consumes = MediaType.APPLICATION_JSON_VALUE)
    VerificationService.Result verify(@RequestBody VerificationService.Request request) {
        return service.verify(request);
    }
}
