package org.openigc.server.status;

import java.security.cert.CertificateEncodingException;

import org.openigc.server.authority.CertificateAuthorities;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Publishes each CA certificate in DER at {@code /ca/{name}.crt}, the caIssuers URL written into certificates. */
@RestController
class CaPublicationController {
    static final MediaType PKIX_CERT = MediaType.parseMediaType("application/pkix-cert");

    private final CertificateAuthorities authorities;

    CaPublicationController(CertificateAuthorities authorities) {
        this.authorities = authorities;
    }

    @GetMapping("/ca/{name}.crt")
    ResponseEntity<byte[]> certificate(@PathVariable String name) throws CertificateEncodingException {
        var ca = authorities.byName(name);
        if (ca.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok().contentType(PKIX_CERT).cacheControl(CacheControl.maxAge(java.time.Duration.ofHours(1)))
                .body(ca.get().certificate().getEncoded());
    }
}
