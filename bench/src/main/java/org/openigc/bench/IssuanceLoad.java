package org.openigc.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.openigc.ca.CryptoProviders;
import org.openigc.ca.KeyAlgorithm;

/**
 * End-to-end load generator (issue 10 point 4), run as its own process:
 *
 * <pre>
 * java -cp benchmarks.jar org.openigc.bench.IssuanceLoad csrs  OUT.pem COUNT [EC_P256|RSA_2048]
 * java -cp benchmarks.jar org.openigc.bench.IssuanceLoad issue key=value…   (url card password root csrs clients
 *      warmup duration skip serverPid label)
 * java -cp benchmarks.jar org.openigc.bench.IssuanceLoad get   key=value…   (url card password root path clients
 *      warmup duration serverPid label)
 * java -cp benchmarks.jar org.openigc.bench.IssuanceLoad list  key=value…   (url card password root n query label)
 * </pre>
 *
 * {@code csrs} writes COUNT fresh CSRs (one key each, PEM, concatenated) once, before any measurement. {@code issue}
 * sends {@code POST /api/v1/certificates} over HTTPS with the card as TLS client certificate from {@code clients}
 * threads, each on its own kept-alive connection (HTTP/1.1), one CSR per order: warm-up for {@code warmup}
 * seconds, then {@code duration} seconds measured. It prints one {@code E2ECSV,…} line: label, certificates/s,
 * p50, p99, p99.9 (ms), errors, server RSS and peak RSS (MB, from /proc/&lt;serverPid&gt;/status), load average.
 * {@code get} repeats one GET of {@code path} the same way and prints a {@code FLOORCSV,…} line: the floor of the
 * stack an order goes through.
 */
public final class IssuanceLoad {
    private IssuanceLoad() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "csrs" -> writeCsrs(Path.of(args[1]), Integer.parseInt(args[2]),
                    KeyAlgorithm.valueOf(args.length > 3 ? args[3] : "EC_P256"));
            case "issue" -> issue(options(args));
            case "get" -> get(options(args));
            case "list" -> list(options(args));
            default -> throw new IllegalArgumentException("csrs | issue | get | list");
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        return options;
    }

    // ---------------------------------------------------------------------------------------------------------- CSRs

    static void writeCsrs(Path out, int count, KeyAlgorithm algorithm) throws Exception {
        CryptoProviders.install(true);
        String signature = algorithm.name().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        String[] pems = new String[count];
        AtomicInteger next = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < Runtime.getRuntime().availableProcessors(); t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    var signer = new JcaContentSignerBuilder(signature);
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        KeyPair pair = algorithm.generate();
                        PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                                new X500Name("CN=bench " + i), pair.getPublic()).build(signer.build(pair.getPrivate()));
                        var text = new java.io.StringWriter();
                        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
                            pem.writeObject(csr);
                        }
                        pems[i] = text.toString();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        try (BufferedWriter writer = Files.newBufferedWriter(out)) {
            for (String pem : pems) {
                writer.write(pem);
            }
        }
        System.out.println(count + " " + algorithm + " CSRs written to " + out);
    }

    static List<String> readCsrs(Path file) throws IOException {
        List<String> csrs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            current.append(line).append('\n');
            if (line.startsWith("-----END")) {
                csrs.add(current.toString());
                current.setLength(0);
            }
        }
        return csrs;
    }

    // ---------------------------------------------------------------------------------------------------------- HTTP

    static HttpClient client(Map<String, String> o, int connections) throws Exception {
        char[] password = o.getOrDefault("password", "demo").toCharArray();
        KeyStore card = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(o.get("card")))) {
            card.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(card, password);
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(o.get("root")))) {
            roots.setCertificateEntry("root", (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(roots);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(10)).executor(java.util.concurrent.Executors.newFixedThreadPool(
                        Math.max(2, Math.min(connections, 4)))).build();
    }

    static String order(String csr, int i) {
        String escaped = csr.replace("\n", "\\n");
        return "{\"environment\":\"PRODUCTION\",\"offer\":\"ORG\",\"usage\":\"AUTH_CLI\",\"structure\":\"1750712184\","
                + "\"serviceApplicatif\":\"DMP AUTHENTIFICATION\",\"actorEmail\":\"dsi@chu-demo.fr\","
                + "\"csr\":\"" + escaped + "\",\"termsAccepted\":true,\"revocationCode\":\"bench-code-" + (i % 1000)
                + "\"}";
    }

    /** The first lines of this process's memory record for {@code pid}: VmRSS and VmHWM in MB. */
    static String rss(String pid) {
        if (pid == null) {
            return ",";
        }
        try {
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return rss / 1024 + "," + hwm / 1024;
        } catch (IOException e) {
            return ",";
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "";
        }
    }

    static void issue(Map<String, String> o) throws Exception {
        List<String> csrs = readCsrs(Path.of(o.get("csrs")));
        URI uri = URI.create(o.get("url") + "/api/v1/certificates");
        load(o, "E2ECSV", 201, csrs.size(), i -> HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("Accept", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(order(csrs.get(i), i))).build());
    }

    /**
     * The floor of the stack an order goes through: the same clients, connections and card repeating one GET
     * ({@code path}, e.g. {@code /api/v1/me}: TLS, HTTP, the security filters with the card login, JSON; or a CA
     * certificate: TLS and HTTP only). No order can be faster than this.
     */
    static void get(Map<String, String> o) throws Exception {
        URI uri = URI.create(o.get("url") + o.get("path"));
        load(o, "FLOORCSV", 200, Integer.MAX_VALUE, i -> HttpRequest.newBuilder(uri).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(60)).GET().build());
    }

    /**
     * {@code clients} threads, each on its own kept-alive connection, send request {@code i} (0 ≤ i < {@code count},
     * from {@code skip}) until the time is up: warm-up, then {@code duration} seconds measured. Prints one
     * {@code <prefix>,…} line: label, requests/s with status {@code expected}, p50, p99, p99.9 (ms), other statuses,
     * server RSS and peak RSS (MB), load average, the next unused {@code i}, then the CPU per request of the
     * measured window in ms: server ({@code serverPid}), PostgreSQL ({@code pgPids}, comma-separated: the postmaster
     * and its processes) and this load generator (empty when not given).
     */
    static void load(Map<String, String> o, String prefix, int expected, int count, IntFunction<HttpRequest> request)
            throws Exception {
        int skip = Integer.parseInt(o.getOrDefault("skip", "0"));
        int clients = Integer.parseInt(o.getOrDefault("clients", "32"));
        long warmupNanos = Duration.ofSeconds(Long.parseLong(o.getOrDefault("warmup", "10"))).toNanos();
        long measureNanos = Duration.ofSeconds(Long.parseLong(o.getOrDefault("duration", "30"))).toNanos();
        String label = o.getOrDefault("label", "openigc");
        HttpClient http = client(o, clients);
        AtomicInteger next = new AtomicInteger(skip);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicLong ok = new AtomicLong();
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        String[] firstError = new String[1];
        long start = System.nanoTime();
        long measureFrom = start + warmupNanos;
        long end = measureFrom + measureNanos;
        String loadBefore = loadAverage();
        CpuWindow cpu = CpuWindow.start(measureFrom, end, o.get("serverPid"), o.get("pgPids"));
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            latencies[c] = new long[1 << 16];
            threads.add(Thread.ofPlatform().start(() -> {
                while (true) {
                    long now = System.nanoTime();
                    if (now >= end) {
                        return;
                    }
                    int i = next.getAndIncrement();
                    if (i >= count) {
                        return;
                    }
                    int status;
                    try {
                        HttpResponse<byte[]> response = http.send(request.apply(i),
                                HttpResponse.BodyHandlers.ofByteArray());
                        status = response.statusCode();
                        if (status != expected && firstError[0] == null) {
                            firstError[0] = status + " " + new String(response.body(), StandardCharsets.UTF_8);
                        }
                    } catch (IOException e) {
                        status = -1;
                        if (firstError[0] == null) {
                            firstError[0] = e.toString();
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    long done = System.nanoTime();
                    if (now >= measureFrom && done <= end) {
                        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                        if (status == expected) {
                            ok.incrementAndGet();
                            if (counts[client] == latencies[client].length) {
                                latencies[client] = Arrays.copyOf(latencies[client], counts[client] * 2);
                            }
                            latencies[client][counts[client]++] = done - now;
                        }
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long stop = Math.min(System.nanoTime(), end);
        double seconds = (stop - measureFrom) / 1e9;
        long[] all = merge(latencies, counts);
        long errors = statuses.entrySet().stream().filter(e -> e.getKey() != expected)
                .mapToLong(e -> e.getValue().get()).sum();
        if (next.get() >= count) {
            System.out.println("WARNING: ran out of requests (" + count + "): give more");
        }
        System.out.println("statuses " + statuses + (firstError[0] == null ? "" : "; first error: "
                + firstError[0].substring(0, Math.min(300, firstError[0].length()))));
        System.out.printf("%s,%s,%d,%.1f,%.2f,%.2f,%.2f,%d,%s,%s-%s,%d,%s%n", prefix, label, clients, ok.get() / seconds,
                percentile(all, 50), percentile(all, 99), percentile(all, 99.9), errors, rss(o.get("serverPid")),
                loadBefore, loadAverage(), next.get(), cpu.perRequest(ok.get()));
        System.exit(0);
    }

    static void list(Map<String, String> o) throws Exception {
        HttpClient http = client(o, 1);
        int n = Integer.parseInt(o.getOrDefault("n", "50"));
        String label = o.getOrDefault("label", "list");
        URI uri = URI.create(o.get("url") + "/api/v1/certificates" + o.getOrDefault("query", ""));
        long[] times = new long[n];
        String sample = null;
        for (int i = -5; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            long t = System.nanoTime() - t0;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(response.statusCode() + " " + response.body());
            }
            sample = response.body();
            if (i >= 0) {
                times[i] = t;
            }
        }
        Arrays.sort(times);
        String total = sample.replaceAll("(?s).*\"total\"\\s*:\\s*(\\d+).*", "$1");
        System.out.printf("LISTCSV,%s,%d,%.1f,%.1f,%.1f,%s%n", label, n, percentile(times, 50), percentile(times, 99),
                times[n - 1] / 1e6, total.length() > 12 ? "?" : total);
        System.exit(0);
    }

    /**
     * CPU time used over the measured window by the server JVM, PostgreSQL's processes and this process: read from
     * {@code /proc/<pid>/stat} (utime + stime, in USER_HZ = 100 ticks a second on Linux) when the window opens and
     * when it closes. A process that is gone at either end is left out.
     */
    static final class CpuWindow {
        private final List<String> server;
        private final List<String> postgres;
        private final long[] serverTicks = new long[2];
        private final long[] postgresTicks = new long[2];
        private final long[] ownNanos = new long[2];
        /** The ticks of each process read when the window opened. */
        private final Map<String, Long> atStart = new ConcurrentHashMap<>();
        private final Thread sampler;

        private CpuWindow(List<String> server, List<String> postgres, long from, long to) {
            this.server = server;
            this.postgres = postgres;
            this.sampler = Thread.ofPlatform().daemon().start(() -> {
                try {
                    for (int i = 0; i < 2; i++) {
                        long wait = (i == 0 ? from : to) - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        serverTicks[i] = ticks(this.server, i);
                        postgresTicks[i] = ticks(this.postgres, i);
                        ownNanos[i] = ((com.sun.management.OperatingSystemMXBean)
                                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        static CpuWindow start(long from, long to, String serverPid, String pgPids) {
            return new CpuWindow(serverPid == null ? List.of() : List.of(serverPid),
                    pgPids == null || pgPids.isBlank() ? List.of() : List.of(pgPids.split(",")), from, to);
        }

        /** Summed ticks of {@code pids}; at the window's end ({@code end} 1), only of those read at its start. */
        private long ticks(List<String> pids, int end) {
            long sum = 0;
            for (String pid : pids) {
                Long start = atStart.get(pid);
                if (end == 1 && start == null) {
                    continue;
                }
                try {
                    String stat = Files.readString(Path.of("/proc", pid, "stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long t = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    if (end == 0) {
                        atStart.put(pid, t);
                    }
                    sum += t;
                } catch (IOException | RuntimeException e) {
                    sum += end == 1 ? start : 0; // gone since the start: no CPU of its counted in the window
                }
            }
            return sum;
        }

        /** "server,postgres,client" ms of CPU per request over the window. */
        String perRequest(long requests) throws InterruptedException {
            sampler.join();
            if (requests == 0) {
                return ",,";
            }
            return (server.isEmpty() ? "" : ms((serverTicks[1] - serverTicks[0]) * 10.0 / requests)) + ","
                    + (postgres.isEmpty() ? "" : ms((postgresTicks[1] - postgresTicks[0]) * 10.0 / requests)) + ","
                    + ms((ownNanos[1] - ownNanos[0]) / 1e6 / requests);
        }

        private static String ms(double value) {
            return String.format(java.util.Locale.ROOT, "%.3f", value);
        }
    }

    static long[] merge(long[][] parts, int[] counts) {
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return all;
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
