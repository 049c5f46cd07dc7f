package org.openigc.server.acme;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "ACME credentials and accounts", description = "External account binding for RFC 8555 at /acme/{label}/directory")
class AcmeEabController {
    private final AcmeEab eab;
    private final CurrentRequester currentRequester;

    AcmeEabController(AcmeEab eab, CurrentRequester currentRequester) {
        this.eab = eab;
        this.currentRequester = currentRequester;
    }

    @Operation(summary = "Create an external account binding credential {kid, hmacKey} for one structure and environment "
            + "(the HMAC key is returned once)")
    @PostMapping(path = "/api/v1/acme/eab-credentials", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<AcmeEab.Credential> create(@RequestBody AcmeEab.EabRequest request) {
        return ResponseEntity.status(201).body(eab.create(currentRequester.get().orElse(null), request));
    }

    @Operation(summary = "List a structure's credentials (never the HMAC key): UNUSED, BOUND or REVOKED; 404 unless the caller "
            + "manages the structure's SERV certificates")
    @GetMapping(path = "/api/v1/acme/eab-credentials", produces = MediaType.APPLICATION_JSON_VALUE)
    List<AcmeEab.CredentialView> credentials(@RequestParam(required = false) String structure) {
        return eab.credentials(currentRequester.get().orElse(null), structure);
    }

    @Operation(summary = "Revoke a credential: the account bound to it can no longer order or finalize")
    @PostMapping(path = "/api/v1/acme/eab-credentials/{kid}/revocation", produces = MediaType.APPLICATION_JSON_VALUE)
    AcmeEab.CredentialView revoke(@PathVariable String kid) {
        return eab.revoke(currentRequester.get().orElse(null), kid);
    }

    @Operation(summary = "List the ACME accounts bound to a structure's credentials")
    @GetMapping(path = "/api/v1/acme/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
    List<AcmeEab.AccountView> accounts(@RequestParam(required = false) String structure) {
        return eab.accounts(currentRequester.get().orElse(null), structure);
    }

    @Operation(summary = "Deactivate an ACME account (RFC 8555 §7.3.6): it can no longer be used")
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
