package org.openigc.server.est;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.openigc.ca.CertificateFormats;
import org.openigc.server.authority.CertificateAuthorities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * RFC 7030 at {@code /.well-known/est/{label}/}: {@code cacerts}, {@code simpleenroll} (one-time token as HTTP Basic
 * password or bearer) and {@code simplereenroll} (the active certificate presented over mutual TLS). Answers are
 * base64 PKCS#7 certs-only; refusals plain text with the RFC's status codes.
 */
@RestController
class EstController {
    private static final Logger log = LoggerFactory.getLogger(EstController.class);
    private static final String CLIENT_CERTIFICATE = "jakarta.servlet.request.X509Certificate";
    private static final MediaType PKCS7_CERTS = MediaType.parseMediaType("application/pkcs7-mime; smime-type=certs-only");
    private static final int MAX_CSR = 64 * 1024;

    private final EstService service;
    private final CertificateAuthorities authorities;

    EstController(EstService service, CertificateAuthorities authorities) {
        this.service = service;
        this.authorities = authorities;
    }

    @GetMapping("/.well-known/est/{label}/cacerts")
    ResponseEntity<String> cacerts(@PathVariable String label) {
        EstService.Label parsed = label(label);
        List<X509Certificate> chain = new ArrayList<>(authorities.issuerOf(parsed.environment(), parsed.profile()).chain());
        return pkcs7(chain);
    }

    /**
     * RFC 7030 §4.5: no attributes are requested. The subject and product come from the enrollment token or the
     * certificate being renewed, the CSR only carries the key (any key type the profile accepts), so the answer is
     * 204 No Content, which the RFC allows when the server has no CSR attributes to ask for.
     */
    @GetMapping("/.well-known/est/{label}/csrattrs")
    ResponseEntity<Void> csrattrs(@PathVariable String label) {
        label(label);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/.well-known/est/{label}/simpleenroll")
    ResponseEntity<String> simpleenroll(@PathVariable String label, @RequestBody(required = false) byte[] body,
                                        @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                        @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType) {
        EstService.Label parsed = label(label);
        String token = token(authorization);
        if (token == null) {
            throw new EstException(401, "an enrollment token is required (HTTP Basic password or Bearer)");
        }
        String csr = csr(body, contentType);
        return pkcs7(List.of(service.enroll(parsed, token, csr).getFirst()));
    }

    @PostMapping("/.well-known/est/{label}/simplereenroll")
    ResponseEntity<String> simplereenroll(@PathVariable String label, @RequestBody(required = false) byte[] body,
                                          @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
                                          HttpServletRequest request) {
        EstService.Label parsed = label(label);
        X509Certificate[] presented = (X509Certificate[]) request.getAttribute(CLIENT_CERTIFICATE);
        if (presented == null || presented.length == 0) {
            throw new EstException(401, "re-enrollment requires the current certificate over mutual TLS");
        }
        String csr = csr(body, contentType);
        return pkcs7(List.of(service.reenroll(parsed, presented[0], csr).getFirst()));
    }

    @ExceptionHandler(EstException.class)
    ResponseEntity<String> refused(EstException e) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(e.status()).contentType(MediaType.TEXT_PLAIN);
        if (e.status() == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"est\"");
        }
        return builder.body(e.getMessage() + "\n");
    }

    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<String> failed(RuntimeException e) {
        log.error("EST request failed", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.TEXT_PLAIN)
                .body("internal error\n");
    }

    private static EstService.Label label(String label) {
        return EstService.Label.parse(label).orElseThrow(() -> new EstException(404, "unknown EST label " + label));
    }

    static String token(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).strip();
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? null : pair.substring(colon + 1);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /** The base64 DER PKCS#10 body as PEM text for the CSR checker. */
    private static String csr(byte[] body, String contentType) {
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/pkcs10")) {
            throw new EstException(415, "Content-Type must be application/pkcs10");
        }
        if (body == null || body.length == 0 || body.length > MAX_CSR) {
            throw new EstException(400, "the body must be a base64 PKCS#10 request");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new EstException(400, "the body is not base64");
        }
        if (der.length == 0) {
            throw new EstException(400, "the body must be a base64 PKCS#10 request");
        }
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    private static ResponseEntity<String> pkcs7(List<X509Certificate> certificates) {
        String body = Base64.getMimeEncoder(64, new byte[]{'\r', '\n'})
                .encodeToString(CertificateFormats.pkcs7(certificates)) + "\r\n";
        return ResponseEntity.ok().contentType(PKCS7_CERTS).header("Content-Transfer-Encoding", "base64").body(body);
    }
}
