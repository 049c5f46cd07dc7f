package org.openigc.server.acme;

import java.util.Map;

import org.openigc.server.certificates.CurrentRequester;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/acme/eab-credentials}: a key id and HMAC key for one structure and environment. */
@RestController
class AcmeEabController {
    private final AcmeEab eab;
    private final CurrentRequester currentRequester;

    AcmeEabController(AcmeEab eab, CurrentRequester currentRequester) {
        this.eab = eab;
        this.currentRequester = currentRequester;
    }

    @PostMapping(path = "/api/v1/acme/eab-credentials", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<AcmeEab.Credential> create(@RequestBody AcmeEab.EabRequest request) {
        return ResponseEntity.status(201).body(eab.create(currentRequester.get().orElse(null), request));
    }

    @ExceptionHandler(AcmeProblem.class)
    ResponseEntity<Object> refused(AcmeProblem e) {
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Map.of("type", "urn:ietf:params:acme:error:" + e.type(), "detail", e.getMessage(), "status", e.status()));
    }
}
