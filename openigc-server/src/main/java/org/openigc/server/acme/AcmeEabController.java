package org.openigc.server.acme;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.openigc.server.certificates.CurrentRequester;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
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

    @GetMapping(path = "/api/v1/acme/eab-credentials", produces = MediaType.APPLICATION_JSON_VALUE)
    List<AcmeEab.CredentialView> credentials(@RequestParam(required = false) String structure) {
        return eab.credentials(currentRequester.get().orElse(null), structure);
    }

    @PostMapping(path = "/api/v1/acme/eab-credentials/{kid}/revocation", produces = MediaType.APPLICATION_JSON_VALUE)
    AcmeEab.CredentialView revoke(@PathVariable String kid) {
        return eab.revoke(currentRequester.get().orElse(null), kid);
    }

    @GetMapping(path = "/api/v1/acme/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
    List<AcmeEab.AccountView> accounts(@RequestParam(required = false) String structure) {
        return eab.accounts(currentRequester.get().orElse(null), structure);
    }

    @PostMapping(path = "/api/v1/acme/accounts/{id}/deactivation", produces = MediaType.APPLICATION_JSON_VALUE)
    AcmeEab.AccountView deactivate(@PathVariable String id) {
        UUID account;
        try {
            account = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new AcmeProblem("malformed", 404, "account not found");
        }
        return eab.deactivate(currentRequester.get().orElse(null), account);
    }

    @ExceptionHandler(AcmeProblem.class)
    ResponseEntity<Object> refused(AcmeProblem e) {
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Map.of("type", "urn:ietf:params:acme:error:" + e.type(), "detail", e.getMessage(), "status", e.status()));
    }
}
