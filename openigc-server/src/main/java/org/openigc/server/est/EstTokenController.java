package org.openigc.server.est;

import java.net.URI;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;

import org.openigc.server.certificates.CurrentRequester;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/est/tokens}: a habilitated administrator creates a one-time enrollment token. */
@RestController
@Tag(name = "EST enrollment tokens", description = "One-time tokens for RFC 7030 simpleenroll at /.well-known/est/{label}/")
class EstTokenController {
    private final EstTokens tokens;
    private final CurrentRequester currentRequester;

    EstTokenController(EstTokens tokens, CurrentRequester currentRequester) {
        this.tokens = tokens;
        this.currentRequester = currentRequester;
    }

    @Operation(summary = "Create a one-time enrollment token for one product (the token is returned once)")
    @PostMapping(path = "/api/v1/est/tokens", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<EstTokens.CreatedToken> create(@RequestBody EstTokens.TokenRequest request) {
        EstTokens.CreatedToken created = tokens.create(currentRequester.get().orElse(null), request);
        return ResponseEntity.created(URI.create("/.well-known/est/" + created.label() + "/simpleenroll")).body(created);
    }

    @Operation(summary = "List a structure's tokens (never the secret): status ACTIVE, USED, EXPIRED or REVOKED; 404 unless "
            + "the caller manages the structure")
    @GetMapping(path = "/api/v1/est/tokens", produces = MediaType.APPLICATION_JSON_VALUE)
    java.util.List<EstTokens.TokenView> list(@RequestParam(required = false) String structure) {
        return tokens.list(currentRequester.get().orElse(null), structure);
    }

    @Operation(summary = "Revoke an unused token (409 when already used, 404 unless the caller manages its structure)")
    @PostMapping(path = "/api/v1/est/tokens/{id}/revocation", produces = MediaType.APPLICATION_JSON_VALUE)
    EstTokens.TokenView revoke(@PathVariable String id) {
        return tokens.revoke(currentRequester.get().orElse(null), uuid(id));
    }

    static java.util.UUID uuid(String id) {
        try {
            return java.util.UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new EstException(404, "token not found");
        }
    }

    @ExceptionHandler(EstException.class)
    ResponseEntity<ProblemDetail> refused(EstException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(org.springframework.http.HttpStatus.valueOf(e.status()),
                e.getMessage());
        problem.setProperties(Map.of());
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
