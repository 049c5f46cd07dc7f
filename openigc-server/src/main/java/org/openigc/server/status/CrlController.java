package org.openigc.server.status;

import java.time.Duration;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /crl/{name}.crl}: the CA's latest CRL in DER, the URL written in every certificate's CDP. */
@RestController
class CrlController {
    static final MediaType PKIX_CRL = MediaType.parseMediaType("application/pkix-crl");

    private final CrlPublisher publisher;

    CrlController(CrlPublisher publisher) {
        this.publisher = publisher;
    }

    @GetMapping("/crl/{name}.crl")
    ResponseEntity<byte[]> crl(@PathVariable String name) {
        return publisher.latest(name)
                .map(der -> ResponseEntity.ok().contentType(PKIX_CRL)
                        .cacheControl(CacheControl.maxAge(Duration.ofMinutes(1)).mustRevalidate()).body(der))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }
}
