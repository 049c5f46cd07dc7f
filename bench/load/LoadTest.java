import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Mixed load on one OpenIGC process over loopback (issue 11 §5), run by bench/load.sh — never part of the tests.
 * Each worker loops over a weighted mix: certificate orders (API, admin-chu card), tracking (list and detail), OCSP
 * (POST, random issued serial) and CertDC deposits (mutual TLS with an ORG AUTH_CLI certificate of the TEST CA, the
 * sandbox SI of the demo). Any answer other than the expected status, or any I/O error, counts as an error.
 *
 * <p>Arguments: baseHttps baseHttp dataDir seconds threads. Prints one line every 30 s and a summary.
 */
public class LoadTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CHU = "1750712184";

    record Kind(String name, int weight) {
    }

    static final List<Kind> MIX = List.of(new Kind("order", 10), new Kind("tracking-list", 15),
            new Kind("tracking-detail", 15), new Kind("ocsp", 45), new Kind("certdc-deposit", 15));

    static final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    static final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    static final Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
    static final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
    static final List<String[]> issued = new CopyOnWriteArrayList<>();
    static final AtomicLong errorSampleCount = new AtomicLong();

    static String https;
    static String http;
    static HttpClient card;
    static HttpClient si;
    static HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static X509Certificate prodIssuer;

    public static void main(String[] args) throws Exception {
        https = args[0];
        http = args[1];
        Path dataDir = Path.of(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        X509Certificate prodRoot = certificate(get(http + "/ca/prod-root.crt"));
        prodIssuer = certificate(get(http + "/ca/prod-organisations.crt"));
        KeyStore cardStore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dataDir.resolve("demo/admin-chu.p12"))) {
            cardStore.load(in, "demo".toCharArray());
        }
        card = client(cardStore, "demo".toCharArray(), prodRoot);
        si = siClient(prodRoot);
        for (int i = 0; i < 5; i++) {
            order(); // a few serials for OCSP and tracking before the clock starts
        }
        for (Kind kind : MIX) {
            counts.put(kind.name(), new LongAdder());
            errors.put(kind.name(), new LongAdder());
            latencies.put(kind.name(), new ConcurrentLinkedQueue<>());
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("load-" + t).start(() -> {
                int total = MIX.stream().mapToInt(Kind::weight).sum();
                while (System.nanoTime() < end) {
                    int pick = ThreadLocalRandom.current().nextInt(total);
                    Kind kind = null;
                    for (Kind candidate : MIX) {
                        pick -= candidate.weight();
                        if (pick < 0) {
                            kind = candidate;
                            break;
                        }
                    }
                    long start = System.nanoTime();
                    try {
                        switch (kind.name()) {
                            case "order" -> order();
                            case "tracking-list" -> trackingList();
                            case "tracking-detail" -> trackingDetail();
                            case "ocsp" -> ocsp();
                            case "certdc-deposit" -> deposit();
                            default -> throw new IllegalStateException(kind.name());
                        }
                        counts.get(kind.name()).increment();
                        latencies.get(kind.name()).add((System.nanoTime() - start) / 1000);
                    } catch (Exception e) {
                        errors.get(kind.name()).increment();
                        if (errorSampleCount.incrementAndGet() <= 20) {
                            errorSamples.add(kind.name() + ": " + e);
                        }
                    }
                }
            }));
        }
        long started = System.nanoTime();
        long nextReport = started + 30_000_000_000L;
        while (workers.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(500);
            if (System.nanoTime() >= nextReport) {
                nextReport += 30_000_000_000L;
                System.out.printf("t=%4ds requests=%d errors=%d%n", (System.nanoTime() - started) / 1_000_000_000L,
                        counts.values().stream().mapToLong(LongAdder::sum).sum(),
                        errors.values().stream().mapToLong(LongAdder::sum).sum());
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        System.out.printf("%n%-16s %9s %7s %9s %9s %9s %9s%n", "kind", "requests", "errors", "per s", "p50 ms",
                "p99 ms", "max ms");
        long all = 0;
        long allErrors = 0;
        for (Kind kind : MIX) {
            List<Long> sorted = new ArrayList<>(latencies.get(kind.name()));
            Collections.sort(sorted);
            long n = counts.get(kind.name()).sum();
            long e = errors.get(kind.name()).sum();
            all += n;
            allErrors += e;
            System.out.printf("%-16s %9d %7d %9.1f %9.1f %9.1f %9.1f%n", kind.name(), n, e, n / elapsed,
                    percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0));
        }
        System.out.printf("%-16s %9d %7d %9.1f%n", "total", all, allErrors, all / elapsed);
        System.out.printf("duration %.0f s, %d threads, %d certificates issued%n", elapsed, threads, issued.size());
        errorSamples.forEach(sample -> System.out.println("error: " + sample));
        System.exit(allErrors == 0 ? 0 : 1);
    }

    static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1000.0;
    }

    static void order() throws Exception {
        String body = JSON.writeValueAsString(orderBody("PRODUCTION", csr(newKey())));
        HttpResponse<String> response = card.send(jsonPost(https + "/api/v1/certificates", body),
                HttpResponse.BodyHandlers.ofString());
        expect(response, 201);
        JsonNode json = JSON.readTree(response.body());
        issued.add(new String[] {json.get("id").asString(), json.get("serialNumber").asString()});
    }

    static void trackingList() throws Exception {
        int page = ThreadLocalRandom.current().nextInt(3);
        HttpResponse<String> response = card.send(HttpRequest.newBuilder(URI.create(https
                        + "/api/v1/certificates?structure=" + CHU + "&size=20&page=" + page))
                .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        expect(response, 200);
    }

    static void trackingDetail() throws Exception {
        String[] one = issued.get(ThreadLocalRandom.current().nextInt(issued.size()));
        HttpResponse<String> response = card.send(HttpRequest.newBuilder(URI.create(https + "/api/v1/certificates/"
                        + one[0])).header("Accept", "application/json").timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        expect(response, 200);
    }

    static void ocsp() throws Exception {
        String[] one = issued.get(ThreadLocalRandom.current().nextInt(issued.size()));
        CertificateID id = new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new X509CertificateHolder(prodIssuer.getEncoded()), new BigInteger(one[1], 16));
        OCSPReqBuilder builder = new OCSPReqBuilder().addRequest(id);
        HttpResponse<byte[]> response = plain.send(HttpRequest.newBuilder(URI.create(http + "/ocsp"))
                .header("Content-Type", "application/ocsp-request").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(builder.build().getEncoded())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("OCSP HTTP " + response.statusCode());
        }
        OCSPResp ocsp = new OCSPResp(response.body());
        if (ocsp.getStatus() != OCSPResp.SUCCESSFUL
                || ((BasicOCSPResp) ocsp.getResponseObject()).getResponses()[0].getCertStatus() != null) {
            throw new IllegalStateException("OCSP status " + ocsp.getStatus() + ", not good");
        }
    }

    static void deposit() throws Exception {
        String ipp = String.valueOf(100000 + ThreadLocalRandom.current().nextInt(900000));
        String body = """
                {"establishment": "750100018", "ipp": "%s",
                 "patient": {"birthName": "DUPONT", "usedName": "MARTIN", "firstNames": "Jeanne Marie",
                             "sex": "F", "birthDate": "1938-04-12", "birthPlace": "75056", "ins": "238047505600122"},
                 "death": {"date": "2026-05-30T06:40", "place": "CHU DEMO"}}
                """.formatted(ipp);
        HttpResponse<String> response = si.send(HttpRequest.newBuilder(URI.create(https + "/certdc/ws/v1/deposits"))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString()).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        expect(response, 201);
    }

    static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            String body = response.body();
            throw new IllegalStateException("HTTP " + response.statusCode() + " "
                    + body.substring(0, Math.min(300, body.length())));
        }
    }

    static Map<String, Object> orderBody(String environment, String csr) {
        return Map.of("environment", environment, "offer", "ORG", "usage", "AUTH_CLI", "structure", CHU,
                "serviceApplicatif", "DMP AUTHENTIFICATION",
                "actorEmail", "load-" + UUID.randomUUID().toString().substring(0, 8) + "@chu-demo.fr",
                "termsAccepted", true, "revocationCode", "code-secret-42", "csr", csr);
    }

    /** The SI's certificate: ordered once on the TEST CA (sandbox SI), its key kept in memory here. */
    static HttpClient siClient(X509Certificate prodRoot) throws Exception {
        KeyPair key = newKey();
        HttpResponse<String> response = card.send(jsonPost(https + "/api/v1/certificates",
                JSON.writeValueAsString(orderBody("TEST", csr(key)))), HttpResponse.BodyHandlers.ofString());
        expect(response, 201);
        JsonNode json = JSON.readTree(response.body());
        X509Certificate leaf = certificate(json.get("certificate").asString().getBytes());
        X509Certificate testIssuer = certificate(get(http + "/ca/test-organisations.crt"));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("si", key.getPrivate(), "load".toCharArray(), new Certificate[] {leaf, testIssuer});
        return client(store, "load".toCharArray(), prodRoot);
    }

    static HttpRequest jsonPost(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Accept", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static KeyPair newKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static String csr(KeyPair pair) throws Exception {
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"), pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(request);
        }
        return pem.toString();
    }

    static byte[] get(String url) throws Exception {
        HttpResponse<byte[]> response = plain.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + ": " + response.statusCode());
        }
        return response.body();
    }

    static X509Certificate certificate(byte[] encoded) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(encoded));
    }

    static HttpClient client(KeyStore keys, char[] password, X509Certificate root) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", root);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }
}
