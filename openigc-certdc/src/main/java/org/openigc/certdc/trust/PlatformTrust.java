package org.openigc.certdc.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openigc.ca.CaRole;
import org.openigc.ca.Environment;
import org.openigc.ca.verification.VerificationException;
import org.openigc.ca.verification.VerificationFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenIGC's CA certificates as CertDC knows them: fetched like any relying service would, from configured URLs
 * (default the platform's publication point {@code <http-base-url>/ca/<name>.crt}), on first use and again every
 * {@link #REFRESH} — never read from the platform's tables. Each intermediate must be signed by its root, each root
 * self-signed and, when pins are configured, match one of them.
 */
public final class PlatformTrust {
    static final Duration REFRESH = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(PlatformTrust.class);

    /** An environment's three CAs. */
    public record Hierarchy(Environment environment, X509Certificate root, X509Certificate organisations,
                            X509Certificate personnes) {
        public X509Certificate intermediate(CaRole role) {
            return switch (role) {
                case ROOT -> root;
                case ORGANISATIONS -> organisations;
                case PERSONNES -> personnes;
            };
        }
    }

    private final Map<String, String> urls;
    private final List<String> rootPins;
    private final HttpClient http;
    private volatile Map<Environment, Hierarchy> hierarchies;
    private volatile long loadedAtNanos;

    public PlatformTrust(String httpBaseUrl, Map<String, String> configuredUrls, List<String> rootPins) {
        this.urls = new java.util.HashMap<>();
        for (Environment environment : Environment.values()) {
            for (CaRole role : CaRole.values()) {
                String name = name(environment, role);
                urls.put(name, configuredUrls.getOrDefault(name, httpBaseUrl + "/ca/" + name + ".crt"));
            }
        }
        this.rootPins = rootPins.stream().map(p -> p.replace(":", "").toLowerCase(Locale.ROOT)).toList();
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The short name the platform publishes a CA under: {@code prod-organisations}, {@code test-root}… */
    public static String name(Environment environment, CaRole role) {
        return (environment == Environment.TEST ? "test-" : "prod-") + role.name().toLowerCase(Locale.ROOT);
    }

    public Hierarchy hierarchy(Environment environment) {
        return hierarchies().get(environment);
    }

    /** Every CA certificate, roots first: what an SI must trust (the connection kit's chain). */
    public List<X509Certificate> all() {
        Map<Environment, Hierarchy> current = hierarchies();
        return current.values().stream()
                .flatMap(h -> java.util.stream.Stream.of(h.root(), h.organisations(), h.personnes())).toList();
    }

    private Map<Environment, Hierarchy> hierarchies() {
        Map<Environment, Hierarchy> current = hierarchies;
        if (current != null && System.nanoTime() - loadedAtNanos < REFRESH.toNanos()) {
            return current;
        }
        synchronized (this) {
            if (hierarchies != null && System.nanoTime() - loadedAtNanos < REFRESH.toNanos()) {
                return hierarchies;
            }
            try {
                hierarchies = load();
                loadedAtNanos = System.nanoTime();
            } catch (RuntimeException e) {
                if (hierarchies == null) {
                    throw new VerificationException(VerificationFailure.STATUS_UNAVAILABLE,
                            "OpenIGC CA certificates unavailable: " + e.getMessage(), e);
                }
                log.warn("event=certdc-trust-refresh-failed reason=\"{}\" note=keeping-previous", e.getMessage());
                loadedAtNanos = System.nanoTime();
            }
            return hierarchies;
        }
    }

    private Map<Environment, Hierarchy> load() {
        Map<Environment, Hierarchy> loaded = new EnumMap<>(Environment.class);
        for (Environment environment : Environment.values()) {
            X509Certificate root = fetch(name(environment, CaRole.ROOT));
            X509Certificate organisations = fetch(name(environment, CaRole.ORGANISATIONS));
            X509Certificate personnes = fetch(name(environment, CaRole.PERSONNES));
            checkRoot(environment, root);
            checkIssuedBy(organisations, root);
            checkIssuedBy(personnes, root);
            loaded.put(environment, new Hierarchy(environment, root, organisations, personnes));
        }
        log.info("event=certdc-trust-loaded cas=6");
        return loaded;
    }

    private void checkRoot(Environment environment, X509Certificate root) {
        checkIssuedBy(root, root);
        if (!rootPins.isEmpty()) {
            String fingerprint = fingerprint(root);
            if (!rootPins.contains(fingerprint)) {
                throw new IllegalStateException("the " + environment + " root fetched (" + fingerprint
                        + ") matches no configured pin");
            }
        }
    }

    private static void checkIssuedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                throw new IllegalStateException(certificate.getSubjectX500Principal() + " is not issued by "
                        + issuer.getSubjectX500Principal());
            }
            certificate.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("bad CA signature on " + certificate.getSubjectX500Principal(), e);
        }
    }

    private X509Certificate fetch(String name) {
        String url = urls.get(name);
        try {
            byte[] bytes;
            if (url.startsWith("file:")) {
                bytes = Files.readAllBytes(Path.of(URI.create(url)));
            } else {
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
                }
                bytes = response.body();
            }
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(bytes));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot fetch CA certificate " + name + " from " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + url, e);
        }
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
