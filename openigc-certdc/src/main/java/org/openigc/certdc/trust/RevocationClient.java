package org.openigc.certdc.trust;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.openigc.ca.verification.CertificateLocations;
import org.openigc.ca.verification.CrlCheck;
import org.openigc.ca.verification.OcspExchange;
import org.openigc.ca.verification.RevocationStatus;
import org.openigc.ca.verification.VerificationException;
import org.openigc.ca.verification.VerificationFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the revocation status of a certificate the way any relying service does: OCSP (RFC 6960, POST
 * {@code application/ocsp-request}) at the responder named in the certificate's AIA; if the responder cannot give a
 * trustworthy answer, the CRL of its distribution point. Answers are reused for at most the configured TTL (1 s),
 * so a certificate revoked at the platform is refused here within a second. A revoked answer is final and kept.
 * No answer at all means refusal (fail closed).
 */
public final class RevocationClient {
    private static final Logger log = LoggerFactory.getLogger(RevocationClient.class);
    private static final int MAX_CACHE_ENTRIES = 10_000;

    private final HttpClient http;
    private final Clock clock;
    private final long ttlNanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(RevocationStatus status, long atNanos) {
    }

    public RevocationClient(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttlNanos = ttl.toNanos();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * @return the status (GOOD, REVOKED or UNKNOWN) as the platform publishes it now
     * @throws VerificationException {@link VerificationFailure#STATUS_UNAVAILABLE} when neither OCSP nor the CRL
     *                               gave a trustworthy answer
     */
    public RevocationStatus status(X509Certificate certificate, X509Certificate issuer) {
        String key = PlatformTrust.fingerprint(issuer) + ":" + certificate.getSerialNumber().toString(16);
        Cached cached = cache.get(key);
        long now = System.nanoTime();
        if (cached != null && (cached.status().state() == RevocationStatus.State.REVOKED
                || now - cached.atNanos() < ttlNanos)) {
            return cached.status();
        }
        RevocationStatus status = fetch(certificate, issuer);
        if (cache.size() > MAX_CACHE_ENTRIES) {
            cache.clear();
        }
        cache.put(key, new Cached(status, System.nanoTime()));
        return status;
    }

    private RevocationStatus fetch(X509Certificate certificate, X509Certificate issuer) {
        List<String> problems = new ArrayList<>();
        Optional<String> ocspUrl = CertificateLocations.ocspUrl(certificate);
        if (ocspUrl.isPresent()) {
            try {
                return ocsp(ocspUrl.get(), certificate, issuer);
            } catch (VerificationException | IOException e) {
                problems.add("OCSP " + ocspUrl.get() + ": " + e.getMessage());
            }
        } else {
            problems.add("no OCSP URL in the certificate");
        }
        for (String crlUrl : CertificateLocations.crlUrls(certificate)) {
            try {
                return crl(crlUrl, certificate, issuer);
            } catch (VerificationException | IOException e) {
                problems.add("CRL " + crlUrl + ": " + e.getMessage());
            }
        }
        log.warn("event=certdc-revocation-unavailable serial={} problems=\"{}\"",
                certificate.getSerialNumber().toString(16), String.join("; ", problems));
        throw new VerificationException(VerificationFailure.STATUS_UNAVAILABLE,
                "revocation status unavailable: " + String.join("; ", problems));
    }

    private RevocationStatus ocsp(String url, X509Certificate certificate, X509Certificate issuer) throws IOException {
        OcspExchange.Request request = OcspExchange.request(certificate, issuer);
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", OcspExchange.REQUEST_CONTENT_TYPE)
                .header("Accept", OcspExchange.RESPONSE_CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.der())).build());
        if (response.statusCode() != 200) {
            throw new IOException("responder answered HTTP " + response.statusCode());
        }
        return OcspExchange.evaluate(response.body(), request, issuer, clock.instant());
    }

    private RevocationStatus crl(String url, X509Certificate certificate, X509Certificate issuer) throws IOException {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).GET().build());
        if (response.statusCode() != 200) {
            throw new IOException("CRL publication answered HTTP " + response.statusCode());
        }
        return CrlCheck.evaluate(response.body(), certificate, issuer, clock.instant());
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
