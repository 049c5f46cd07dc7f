package org.openigc.server.certificates;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import org.openigc.ca.CertificateFormats;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/** The certificates API of SPEC §7: order, track, download, renew, revoke. */
@RestController
class CertificateController {
    static final MediaType PEM = MediaType.parseMediaType("application/x-pem-file");
    static final MediaType DER = MediaType.parseMediaType("application/pkix-cert");
    static final MediaType PKCS7 = MediaType.parseMediaType("application/pkcs7-mime");
    static final MediaType PKCS12 = MediaType.parseMediaType("application/x-pkcs12");

    private final CertificateService service;
    private final CurrentRequester currentRequester;

    CertificateController(CertificateService service, CurrentRequester currentRequester) {
        this.service = service;
        this.currentRequester = currentRequester;
    }

    private Requester requester() {
        return currentRequester.get().orElseThrow(() -> new OrderException(OrderException.Kind.FORBIDDEN,
                List.of(new FieldViolation("authentication", "required", "connexion requise"))));
    }

    @PostMapping(path = "/api/v1/certificates", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CertificateView> order(@RequestBody OrderRequest request) {
        CertificateView view = service.order(requester(), request, org.openigc.server.authority.Channel.API);
        return ResponseEntity.created(URI.create("/api/v1/certificates/" + view.id())).body(view);
    }

    @GetMapping("/api/v1/certificates")
    CertificateService.SearchResult search(@RequestParam(required = false) String structure,
                                           @RequestParam(required = false) String status,
                                           @RequestParam(required = false) String environment,
                                           @RequestParam(required = false) String usage,
                                           @RequestParam(required = false) Integer expiringWithinDays,
                                           @RequestParam(required = false) String q,
                                           @RequestParam(required = false) String sort,
                                           @RequestParam(required = false) Integer page,
                                           @RequestParam(required = false) Integer size,
                                           @RequestParam(required = false) String cursor) {
        CertificateService.SearchResult result = service.search(requester(), new CertificateService.Search(structure,
                status, environment, expiringWithinDays, q, sort, page, size, usage, cursor));
        // the links repeat the list's filters (a cursor is bound to them) and the page size
        return result.withLinks(next -> {
            UriComponentsBuilder link = UriComponentsBuilder.fromPath("/api/v1/certificates");
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("structure", structure);
            parameters.put("status", status);
            parameters.put("environment", environment);
            parameters.put("usage", usage);
            parameters.put("expiringWithinDays", expiringWithinDays);
            parameters.put("q", q);
            parameters.put("sort", sort);
            parameters.put("size", size);
            parameters.forEach((name, value) -> {
                if (value != null) {
                    link.queryParam(name, "{" + name + "}");
                }
            });
            link.queryParam("cursor", "{cursor}");
            parameters.put("cursor", next);
            parameters.values().removeIf(Objects::isNull);
            return link.encode().buildAndExpand(parameters).toUriString();
        });
    }

    /** The same filters as the list, every row, streamed (constant memory even for an operator's million rows). */
    @GetMapping(path = "/api/v1/certificates.csv", produces = "text/csv")
    void export(@RequestParam(required = false) String structure,
                @RequestParam(required = false) String status,
                @RequestParam(required = false) String environment,
                @RequestParam(required = false) String usage,
                @RequestParam(required = false) Integer expiringWithinDays,
                @RequestParam(required = false) String q,
                @RequestParam(required = false) String sort,
                jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
        Requester requester = requester();
        CertificateService.Search search = new CertificateService.Search(structure, status, environment,
                expiringWithinDays, q, sort, 0, 1, usage);
        // filters are checked before the first byte, so a bad filter is still a problem+json 400
        service.checkFilters(requester, search);
        response.setContentType("text/csv; charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename("suivi-certificats.csv").build().toString());
        java.io.Writer out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(response.getOutputStream(),
                StandardCharsets.UTF_8), 64 * 1024);
        TrackingCsv.write(requester, service, search, out);
        out.flush();
    }

    @GetMapping("/api/v1/certificates/{id}")
    CertificateView get(@PathVariable UUID id) {
        return service.get(requester(), id);
    }

    @GetMapping("/api/v1/certificates/{id}/certificate.pem")
    ResponseEntity<String> pem(@PathVariable UUID id) {
        return download(PEM, id + ".pem", CertificateFormats.pem(service.certificate(requester(), id)));
    }

    @GetMapping("/api/v1/certificates/{id}/certificate.der")
    ResponseEntity<byte[]> der(@PathVariable UUID id) {
        return download(DER, id + ".der", CertificateFormats.der(service.certificate(requester(), id)));
    }

    @GetMapping("/api/v1/certificates/{id}/chain.pem")
    ResponseEntity<String> chain(@PathVariable UUID id) {
        return download(PEM, id + "-chain.pem", CertificateFormats.pem(service.chain(requester(), id)));
    }

    @GetMapping("/api/v1/certificates/{id}/certificate.p7b")
    ResponseEntity<byte[]> pkcs7(@PathVariable UUID id) {
        return download(PKCS7, id + ".p7b", CertificateFormats.pkcs7(service.chain(requester(), id)));
    }

    @GetMapping("/api/v1/certificates/{id}/pkcs12/{token}")
    ResponseEntity<byte[]> pkcs12(@PathVariable UUID id, @PathVariable String token) {
        return service.takePkcs12(requester(), id, token)
                .map(file -> download(PKCS12, file.fileName(), file.content()))
                .orElseThrow(() -> new OrderException(OrderException.Kind.NOT_FOUND, List.of(new FieldViolation("token",
                        "gone", "ce fichier PKCS#12 a déjà été téléchargé ou a expiré : il n'est délivré qu'une fois"))));
    }

    @PostMapping(path = "/api/v1/certificates/{id}/renewal", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<CertificateView> renew(@PathVariable UUID id, @RequestBody RenewalRequest request) {
        CertificateView view = service.renew(requester(), id, request, org.openigc.server.authority.Channel.API);
        return ResponseEntity.created(URI.create("/api/v1/certificates/" + view.id())).body(view);
    }

    record RevocationRequest(String reason) {
    }

    @PostMapping(path = "/api/v1/certificates/{id}/revocation", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> revoke(@PathVariable UUID id, @RequestBody RevocationRequest request) {
        return revoked(service.revoke(requester(), id, request.reason()));
    }

    record CodeRevocationRequest(String serialNumber, String revocationCode, String reason) {
    }

    @PostMapping(path = "/api/v1/revocations", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> revokeWithCode(@RequestBody CodeRevocationRequest request, HttpServletRequest http) {
        return revoked(service.revokeWithCode(request.serialNumber(), request.revocationCode(), request.reason(),
                http.getRemoteAddr()));
    }

    private static Map<String, Object> revoked(CertificateView view) {
        return Map.of("id", view.id(), "serialNumber", view.serialNumber(), "status", view.status(),
                "revokedAt", view.revokedAt(), "reason", view.revocationReason());
    }

    private static <T> ResponseEntity<T> download(MediaType type, String fileName, T body) {
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(fileName).build().toString())
                .body(body);
    }

    @ExceptionHandler(OrderException.class)
    ResponseEntity<ProblemDetail> refused(OrderException e) {
        HttpStatus status = switch (e.kind()) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case FORBIDDEN -> HttpStatus.UNAUTHORIZED;
            case TOO_MANY_REQUESTS -> HttpStatus.TOO_MANY_REQUESTS;
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
        problem.setTitle(switch (e.kind()) {
            case INVALID -> "Requête refusée";
            case NOT_FOUND -> "Introuvable";
            case CONFLICT -> "Opération impossible dans l'état actuel";
            case FORBIDDEN -> "Connexion requise";
            case TOO_MANY_REQUESTS -> "Trop de tentatives";
        });
        problem.setProperty("errors", e.violations());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
