package org.openigc.certdc;

import java.nio.file.Path;
import java.util.List;

import org.springframework.core.env.Environment;

/**
 * What CertDC reads of the host platform's configuration — only public settings, like an outside service would
 * be configured: the data directory, the plain HTTP base URL (CA certificates, OCSP), the HTTPS base URL, whether
 * demo mode is on.
 */
public record CertDcSettings(Path dataDir, String httpBaseUrl, String publicBaseUrl, String sandboxBaseUrl,
                             String productionBaseUrl, boolean demo, String serverSslBundle) {

    public static CertDcSettings from(Environment environment, CertDcProperties properties) {
        Path dataDir = Path.of(environment.getProperty("openigc.data-dir", "./data"));
        String httpBaseUrl = trimSlash(environment.getProperty("openigc.http-base-url", "http://localhost:8080"));
        String publicBaseUrl = properties.publicBaseUrl();
        if (publicBaseUrl == null || publicBaseUrl.isBlank()) {
            List<String> hosts = List.of(environment.getProperty("openigc.tls-hosts", "localhost").split(","));
            String host = hosts.getFirst().strip();
            if (host.contains(":")) {
                host = "[" + host + "]";
            }
            publicBaseUrl = "https://" + host + ":" + environment.getProperty("server.port", "8443");
        }
        publicBaseUrl = trimSlash(publicBaseUrl);
        String sandbox = blank(properties.sandboxBaseUrl()) ? publicBaseUrl : trimSlash(properties.sandboxBaseUrl());
        String production = blank(properties.productionBaseUrl()) ? publicBaseUrl : trimSlash(properties.productionBaseUrl());
        return new CertDcSettings(dataDir, httpBaseUrl, publicBaseUrl, sandbox, production, demo(environment),
                environment.getProperty("server.ssl.bundle"));
    }

    /**
     * The platform's rule (SPEC §6): {@code openigc.demo} when set, otherwise on exactly when the embedded database
     * runs, i.e. when no {@code spring.datasource.url} is configured.
     */
    static boolean demo(Environment environment) {
        String demo = environment.getProperty("openigc.demo");
        if (demo != null && !demo.isBlank()) {
            return Boolean.parseBoolean(demo.strip());
        }
        String url = environment.getProperty("spring.datasource.url");
        return url == null || url.isBlank();
    }

    public Path demoDir() {
        return dataDir.resolve("demo");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
