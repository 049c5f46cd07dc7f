package org.openigc.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.openigc.ca.CaRole;
import org.openigc.ca.Environment;
import org.openigc.server.authority.CertificateAuthorities;
import org.openigc.server.mail.demo.DemoMailServer;
import org.openigc.server.mail.demo.ReceivedMail;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Boots the whole platform once per JVM on the embedded PostgreSQL, real HTTPS and plain HTTP ports (Spring caches
 * the context across test classes that extend this one without changing its configuration).
 *
 * <p>Mail: with the embedded database the platform runs in demo mode, whose embedded SMTP server (a real GreenMail
 * on a loopback port) is the platform's mail server; {@link #receivedMails()} and {@link #awaitMailsTo} read it.
 * Mails are sent after commit on a background thread: await them, don't read them right after the call. The server
 * keeps every mail of the JVM, so select yours by a recipient address unique to the test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
public abstract class ServerTestSupport {
    protected static final int HTTPS_PORT = freePort();
    protected static final int HTTP_PORT = freePort();
    protected static final Path DATA_DIR = temporaryDataDir();
    /** Where an OIDC test serves the Pro Santé Connect-style discovery document (reserved now, bound later). */
    protected static final int OIDC_PORT = freePort();
    protected static final String OIDC_CLIENT_ID = "openigc-test";
    /** Where ACME http-01 challenges are fetched (every name resolved to 127.0.0.1), for certbot/lego to listen. */
    protected static final int ACME_HTTP01_PORT = freePort();
    protected static final char[] DEMO_PASSWORD = "demo".toCharArray();
    /** Everything the platform logs in this JVM, also written here for LogSecretsIT (runs last) to search. */
    protected static final Path LOG_FILE = logFile();

    @Autowired
    protected CertificateAuthorities authorities;

    @Autowired
    private ObjectProvider<DemoMailServer> demoMailServer;

    @Autowired
    private org.openigc.server.audit.AuditChainer auditChainer;

    /** Chains every audit event committed so far, before a test reads {@code audit_event} directly. */
    protected void chainAudit() {
        auditChainer.chainPending();
    }

    @DynamicPropertySource
    static void serverProperties(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> HTTPS_PORT);
        registry.add("openigc.http-port", () -> HTTP_PORT);
        registry.add("openigc.http-base-url", () -> "http://127.0.0.1:" + HTTP_PORT);
        registry.add("openigc.data-dir", DATA_DIR::toString);
        // RSA 4096 roots take seconds to generate; tests use P-256 everywhere.
        registry.add("openigc.ca.root-algorithm", () -> "EC_P256");
        // Demo mode: seeded structures and personas, each with its card in DATA_DIR/demo/<persona>.p12.
        registry.add("openigc.demo", () -> "true");
        // Pro Santé Connect configured like the real one: non-standard discovery path.
        registry.add("openigc.oidc.discovery-url",
                () -> "http://localhost:" + OIDC_PORT + "/psc/.well-known/wallet-openid-configuration");
        registry.add("openigc.oidc.client-id", () -> OIDC_CLIENT_ID);
        registry.add("openigc.oidc.client-secret", () -> "test-secret");
        registry.add("openigc.acme.http01-port", () -> ACME_HTTP01_PORT);
        registry.add("openigc.acme.resolve-all", () -> "127.0.0.1");
    }

    /** A P-256 key and CSR made by openssl in {@code dir} ({@code <name>.key}, {@code <name>.csr}); the CSR's PEM. */
    protected static String opensslCsr(Path dir, String name) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=x")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("openssl req failed for " + name);
        }
        return Files.readString(dir.resolve(name + ".csr"), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The card of a demo persona, as written by demo mode (password "demo"). */
    protected static KeyStore persona(String name) {
        try (var in = Files.newInputStream(DATA_DIR.resolve("demo").resolve(name + ".p12"))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, DEMO_PASSWORD);
            return store;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the card of persona " + name, e);
        }
    }

    /** A client presenting a demo persona's card. */
    protected HttpClient personaClient(String name) {
        return client(persona(name), DEMO_PASSWORD);
    }

    protected static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The CSRF token of the first form of a page (Thymeleaf writes it as a hidden _csrf input). */
    protected static String csrfToken(String html) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(html);
        if (!matcher.find()) {
            throw new AssertionError("no CSRF token in the page");
        }
        return matcher.group(1);
    }

    protected static HttpResponse<String> getString(HttpClient client, String url) {
        return send(client, HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    protected static String https(String path) {
        return "https://localhost:" + HTTPS_PORT + path;
    }

    protected static String http(String path) {
        return "http://127.0.0.1:" + HTTP_PORT + path;
    }

    /** A client that trusts only the platform's PRODUCTION root, optionally presenting a client key store. */
    protected HttpClient client(KeyStore clientKeys, char[] password) {
        return client(clientKeys, password, null);
    }

    /** As {@link #client(KeyStore, char[])}, keeping cookies (a browser session) when a cookie handler is given. */
    protected HttpClient client(KeyStore clientKeys, char[] password, java.net.CookieHandler cookies) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            X509Certificate root = authorities.ca(Environment.PRODUCTION, CaRole.ROOT).certificate();
            trust.setCertificateEntry("root", root);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory keyManagers = null;
            if (clientKeys != null) {
                keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(clientKeys, password);
            }
            context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            HttpClient.Builder builder = HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (cookies != null) {
                builder.cookieHandler(cookies);
            }
            return builder.build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected HttpClient client() {
        return client(null, null);
    }

    protected static HttpResponse<byte[]> get(HttpClient client, String url) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The SMTP server the platform sends to in tests (stop/start it to simulate an outage). */
    protected DemoMailServer smtpServer() {
        DemoMailServer server = demoMailServer.getIfAvailable();
        if (server == null) {
            throw new IllegalStateException("no demo SMTP server: the test context runs with openigc.demo=false");
        }
        return server;
    }

    /** Every mail received in this JVM, newest first. */
    protected List<ReceivedMail> receivedMails() {
        return smtpServer().received();
    }

    /** Mails received for this address (To, Cc or envelope), newest first. */
    protected List<ReceivedMail> receivedMailsTo(String address) {
        return receivedMails().stream().filter(mail -> mail.isFor(address)).toList();
    }

    /** Waits up to 15 s until at least {@code count} mails for {@code address} arrived; returns them, newest first. */
    protected List<ReceivedMail> awaitMailsTo(String address, int count) {
        return awaitMails(mail -> mail.isFor(address), count);
    }

    protected List<ReceivedMail> awaitMails(Predicate<ReceivedMail> which, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            List<ReceivedMail> mails = receivedMails().stream().filter(which).toList();
            if (mails.size() >= count) {
                return mails;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " mail(s), received " + mails.size() + " in 15 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path logFile() {
        String configured = System.getProperty("logging.file.name");
        if (configured != null) {
            return Path.of(configured);
        }
        Path file = DATA_DIR.resolve("logs").resolve("openigc-test.log");
        // read by Spring Boot's logging set-up when the first context starts, after this class is loaded
        System.setProperty("logging.file.name", file.toString());
        return file;
    }

    private static Path temporaryDataDir() {
        try {
            return Files.createTempDirectory("openigc-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
