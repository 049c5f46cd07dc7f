package org.openigc.certdc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.openigc.ca.CaRole;
import org.openigc.ca.CertificateFormats;
import org.openigc.ca.Environment;
import org.openigc.ca.IssuanceRequest;
import org.openigc.ca.KeyAlgorithm;
import org.openigc.ca.ProfileId;
import org.openigc.ca.SubjectData;
import org.openigc.certdc.account.AccountKind;
import org.openigc.certdc.account.AccountService;
import org.openigc.certdc.connection.ConnectionRequest;
import org.openigc.certdc.connection.ConnectionService;
import org.openigc.certdc.connection.InformationSystem;
import org.openigc.server.OpenIgcApplication;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.authority.Channel;
import org.openigc.server.authority.IssuanceService;
import org.openigc.server.authority.IssuedCertificate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What CertDC's end-to-end tests share: certificates issued by the platform itself (ORG AUTH_CLI for SIs, CPX
 * cards for doctors) as in-memory PKCS#12, mutual-TLS clients, a cookie-keeping "browser" that follows CertDC's
 * forms with their CSRF token, the recorded mails. Same application context as every platform test (the
 * application class is named only because this package is outside {@code org.openigc.server}).
 */
@SpringBootTest(classes = OpenIgcApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
public abstract class CertDcTestSupport extends ServerTestSupport {
    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static final char[] PASSWORD = "test".toCharArray();
    private static final AtomicInteger SEQUENCE = new AtomicInteger(100);

    @Autowired
    protected IssuanceService issuance;
    @Autowired
    protected TransactionTemplate transactions;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected CertDcMailer mailer;
    @Autowired
    protected AccountService accounts;
    @Autowired
    protected ConnectionService connections;

    protected RecordingMailer mails() {
        return (RecordingMailer) mailer;
    }

    /** A certificate and its key, as an SI or a card holder would keep them. */
    protected record Credential(X509Certificate certificate, KeyStore keyStore) {
    }

    protected Credential orgAuthCli(Environment environment, String idNatStruct) {
        return issue(environment, ProfileId.ORG_AUTH_CLI, SubjectData.organisation("CERTDC", idNatStruct,
                "CHU DEMO", "Paris (75)"), Instant.now().minusSeconds(60), null);
    }

    protected Credential card(Environment environment, String idNatPs, String lastName, String firstName) {
        return issue(environment, ProfileId.CPX_AUTH, SubjectData.cardHolder(idNatPs, lastName, firstName, "Médecin"),
                Instant.now().minusSeconds(60), null);
    }

    protected Credential issue(Environment environment, ProfileId profile, SubjectData subject, Instant notBefore,
                               Instant notAfter, String... dnsNames) {
        KeyPair keys = KeyAlgorithm.EC_P256.generate();
        IssuanceRequest request = IssuanceRequest.of(keys.getPublic(), subject, notBefore).withDnsNames(List.of(dnsNames));
        if (notAfter != null) {
            request = request.withNotAfter(notAfter);
        }
        IssuanceRequest finalRequest = request;
        IssuedCertificate issued = Objects.requireNonNull(transactions.execute(status ->
                issuance.issue(environment, profile, finalRequest, Channel.PORTAL)));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(issued.certificate());
        chain.add(authorities.ca(environment, profile.issuer()).certificate());
        return new Credential(issued.certificate(), keyStore(CertificateFormats.pkcs12(keys.getPrivate(), chain,
                PASSWORD, "client")));
    }

    protected static KeyStore keyStore(byte[] pkcs12) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(pkcs12), PASSWORD);
            return store;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Revokes at the platform. Until the revocation API of the certificates feature lands, the platform's record
     * is updated directly — CertDC itself only learns it through OCSP.
     */
    protected void revokeAtThePlatform(X509Certificate certificate) {
        int updated = jdbc.sql("""
                update certificate set status = 'REVOKED', revoked_at = now(), revocation_reason = 'keyCompromise'
                where serial_number = :serial
                """).param("serial", certificate.getSerialNumber().toString(16)).update();
        if (updated != 1) {
            throw new IllegalStateException("certificate not found at the platform");
        }
    }

    // --- HTTP ---

    protected HttpClient mtls(Credential credential) {
        return client(credential.keyStore(), PASSWORD);
    }

    protected static HttpResponse<String> deposit(HttpClient client, String json, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(https("/certdc/ws/v1/deposits")))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(client, request.build());
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

    protected static HttpResponse<String> getJson(HttpClient client, String path) {
        return send(client, HttpRequest.newBuilder(URI.create(https(path))).header("Accept", "application/json")
                .GET().build());
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    protected static String depositJson(String establishment, String ipp, String birthName, String firstNames) {
        Map<String, Object> patient = new LinkedHashMap<>();
        patient.put("birthName", birthName);
        patient.put("usedName", "MARTIN");
        patient.put("firstNames", firstNames);
        patient.put("sex", "F");
        patient.put("birthDate", "1938-04-12");
        patient.put("birthPlace", "75056");
        patient.put("ins", "238047505600122");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("establishment", establishment);
        body.put("ipp", ipp);
        body.put("patient", patient);
        body.put("death", Map.of("date", "2026-01-02T06:40", "place", "CHU DEMO"));
        return JSON.writeValueAsString(body);
    }

    /** A fresh IPP per call, so tests sharing the demo SI never see each other's deposits. */
    protected static String newIpp() {
        return "IPP-" + System.nanoTime() + "-" + SEQUENCE.incrementAndGet();
    }

    /** A FINESS number with a valid Luhn key, different for each call: département 69 + 6 digits + key. */
    protected static String newFiness() {
        String body = "69" + String.format("%06d", (System.nanoTime() / 1000 + SEQUENCE.incrementAndGet()) % 1_000_000);
        for (int key = 0; key <= 9; key++) {
            if (luhn(body + key)) {
                return body + key;
            }
        }
        throw new IllegalStateException();
    }

    /** An RPPS (11 digits) with a valid Luhn key. */
    protected static String newRpps() {
        String body = "1" + String.format("%09d", (System.nanoTime() / 1000 + SEQUENCE.incrementAndGet()) % 1_000_000_000L);
        for (int key = 0; key <= 9; key++) {
            if (luhn(body + key)) {
                return body + key;
            }
        }
        throw new IllegalStateException();
    }

    static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    protected int depositCount() {
        return jdbc.sql("select count(*) from certdc.deposit").query(Integer.class).single();
    }

    // --- SIs and accounts made through CertDC's own services ---

    protected static ConnectionRequest request(String email, String... establishments) {
        List<ConnectionRequest.Establishment> rows = new ArrayList<>();
        for (int i = 0; i < establishments.length; i++) {
            rows.add(new ConnectionRequest.Establishment(establishments[i], i == 0 ? "EJ" : "EG", "Site " + i));
        }
        return new ConnectionRequest(new ConnectionRequest.Requester("DURAND", "Alice", "DSI", email,
                "01 23 45 67 89", "3 rue de la Paix", "69003", "Lyon"), "DPI TEST", "1.0", "", rows);
    }

    /** A validated SI (in sandbox) for new establishments; returns it. */
    protected InformationSystem validatedSi(String email, String... establishments) {
        ConnectionService.Submitted submitted = connections.submit(request(email, establishments), "10.0.0." + SEQUENCE.incrementAndGet() % 250);
        var admin = AccountService.user(accounts.repository().byLogin(CertDcDemo.ADMIN).orElseThrow(), "password");
        connections.validate(admin, submitted.id());
        return connections.repository().byId(submitted.id()).orElseThrow();
    }

    /** A declaring doctor account (login = RPPS) linked to establishments; returns its one-time password. */
    protected String doctor(String rpps, String email, String... establishments) {
        return Objects.requireNonNull(transactions.execute(status -> accounts.createOrLinkDoctor(rpps, "Claire MEDECIN",
                email, List.of(establishments)).orElseThrow().initialPassword()));
    }

    protected boolean accountExists(String login, AccountKind kind) {
        return accounts.repository().byLogin(login).filter(a -> a.kind() == kind).isPresent();
    }

    // --- a cookie-keeping browser over HTTPS, filling CertDC's forms ---

    protected Browser browser() {
        return new Browser(null);
    }

    protected Browser browser(Credential card) {
        return new Browser(card);
    }

    protected final class Browser {
        private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");
        final HttpClient http;
        HttpResponse<String> last;

        Browser(Credential card) {
            try {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("root", authorities.ca(Environment.PRODUCTION, CaRole.ROOT).certificate());
                TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trustManagers.init(trust);
                KeyManagerFactory keyManagers = null;
                if (card != null) {
                    keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    keyManagers.init(card.keyStore(), PASSWORD);
                }
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
                http = HttpClient.newBuilder().sslContext(context).cookieHandler(new CookieManager())
                        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        public HttpResponse<String> get(String path) {
            last = send(http, HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : https(path)))
                    .GET().build());
            return last;
        }

        public HttpResponse<byte[]> getBytes(String path) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(https(path))).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Posts a form with the CSRF token of the last page shown (or of {@code from}, fetched first). */
        public HttpResponse<String> post(String path, Map<String, List<String>> fields) {
            String token = csrf();
            StringBuilder body = new StringBuilder("_csrf=").append(encode(token));
            fields.forEach((name, values) -> values.forEach(v ->
                    body.append('&').append(encode(name)).append('=').append(encode(v))));
            last = send(http, HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : https(path)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
            return last;
        }

        public HttpResponse<String> post(String path, String... nameValues) {
            Map<String, List<String>> fields = new LinkedHashMap<>();
            for (int i = 0; i < nameValues.length; i += 2) {
                fields.computeIfAbsent(nameValues[i], k -> new ArrayList<>()).add(nameValues[i + 1]);
            }
            return post(path, fields);
        }

        /** Follows one redirect (relative Location). */
        public HttpResponse<String> follow() {
            String location = last.headers().firstValue("Location").orElseThrow(() ->
                    new AssertionError("no redirect, status " + last.statusCode()));
            return get(location);
        }

        public HttpResponse<String> login(String login, String password) {
            get("/certdc/login");
            return post("/certdc/login", "login", login, "password", password);
        }

        String csrf() {
            if (last == null) {
                get("/certdc/login");
            }
            Matcher matcher = CSRF.matcher(last.body());
            if (!matcher.find()) {
                get("/certdc/login");
                matcher = CSRF.matcher(last.body());
                if (!matcher.find()) {
                    throw new AssertionError("no CSRF token on the page");
                }
            }
            return matcher.group(1);
        }

        private String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    /** The accessible captcha question ("Combien font sept plus douze ?") answered as a person would. */
    protected static String solve(String page) {
        Matcher matcher = Pattern.compile("Combien font ([a-zé\\-]+) (plus|moins) ([a-zé\\-]+) \\?").matcher(page);
        if (!matcher.find()) {
            throw new AssertionError("no accessible captcha question on the page");
        }
        List<String> words = List.of("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
                "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
                "vingt");
        int a = words.indexOf(matcher.group(1));
        int b = words.indexOf(matcher.group(3));
        return String.valueOf(matcher.group(2).equals("plus") ? a + b : a - b);
    }
}
