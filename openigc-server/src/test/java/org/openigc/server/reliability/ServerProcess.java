package org.openigc.server.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.openigc.server.OpenIgcApplication;

/**
 * The platform as a separate operating-system process, the way {@code ./openigc server} runs it: the module's
 * classes and its runtime dependencies (the test class path without the test classes, so no test-only
 * auto-configuration leaks in), an external PostgreSQL, a data directory, its own ports. {@link #kill()} is SIGKILL.
 */
final class ServerProcess implements AutoCloseable {
    static final String CA_PASSWORD = "reliability-test-ca-password";

    private final String name;
    private final Path dataDir;
    private final String jdbcUrl;
    private final int smtpPort;
    private final Map<String, String> extra;
    final int httpsPort;
    final int httpPort;
    private Process process;
    private int starts;

    ServerProcess(String name, Path dataDir, String jdbcUrl, int smtpPort, Map<String, String> extra) {
        this.name = name;
        this.dataDir = dataDir;
        this.jdbcUrl = jdbcUrl;
        this.smtpPort = smtpPort;
        this.extra = extra;
        this.httpsPort = freePort();
        this.httpPort = freePort();
    }

    Path dataDir() {
        return dataDir;
    }

    String http(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    String https(String path) {
        return "https://localhost:" + httpsPort + path;
    }

    /** Starts the process and waits until its health endpoint answers UP. */
    ServerProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", String.valueOf(httpsPort));
        settings.put("openigc.http-port", String.valueOf(httpPort));
        settings.put("openigc.http-base-url", "http://127.0.0.1:" + httpPort);
        settings.put("openigc.data-dir", dataDir.toString());
        settings.put("openigc.ca.root-algorithm", "EC_P256");
        settings.put("spring.datasource.url", jdbcUrl);
        settings.put("spring.datasource.username", "postgres");
        settings.put("openigc.demo", "true");
        settings.put("openigc.demo-force", "true");
        settings.put("spring.mail.host", "127.0.0.1");
        settings.put("spring.mail.port", String.valueOf(smtpPort));
        settings.put("spring.jmx.enabled", "false");
        settings.putAll(extra);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xlog:aot=off", "-Xlog:cds=off"));
        command.addAll(Aot.options(this));
        command.addAll(List.of("-cp", Aot.classPath(), OpenIgcApplication.class.getName()));
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        starts++;
        Path log = dataDir.resolve(name + "-" + starts + ".log");
        try {
            Files.createDirectories(dataDir);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("OPENIGC_CA_PASSWORD", CA_PASSWORD);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long begin = System.nanoTime();
        awaitHealthy(log);
        System.out.printf("ServerProcess %s: start #%d healthy in %d ms%n", name, starts,
                (System.nanoTime() - begin) / 1_000_000);
        return this;
    }

    private void awaitHealthy(Path log) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " during start-up:\n" + tail(log));
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(http("/actuator/health")))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("UP")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(150);
        }
        process.destroyForcibly();
        throw new AssertionError(name + " not healthy after 300 s:\n" + tail(log));
    }

    /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux): no shutdown hook, no graceful stop. */
    int kill() {
        Aot.stopped(this);
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** SIGTERM: Spring's graceful shutdown. */
    void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Aot.stopped(this);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * JDK 25's ahead-of-time class cache (JEP 514) cuts the start-up of every process after the first by about 40 %:
     * the first process started in a test JVM records it and writes it when it stops gracefully; the others load it.
     * The cache needs jars only, so the module's classes are packed into one jar first.
     */
    static final class Aot {
        private static String classPath;
        private static Path cache;
        private static ServerProcess training;

        static synchronized String classPath() {
            if (classPath == null) {
                try {
                    Path classes = Path.of(OpenIgcApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                    Path directory = Files.createDirectories(classes.resolveSibling("reliability"));
                    Path jar = directory.resolve("openigc-classes.jar");
                    cache = directory.resolve("openigc.aot");
                    Files.deleteIfExists(cache);
                    pack(classes, jar);
                    List<String> entries = new ArrayList<>();
                    entries.add(jar.toString());
                    for (String entry : runtimeClassPath().split(java.io.File.pathSeparator)) {
                        if (!Path.of(entry).equals(classes)) {
                            entries.add(entry);
                        }
                    }
                    classPath = String.join(java.io.File.pathSeparator, entries);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot prepare the server's class path", e);
                }
            }
            return classPath;
        }

        static synchronized List<String> options(ServerProcess process) {
            classPath();
            if (Files.exists(cache)) {
                return List.of("-XX:AOTCache=" + cache);
            }
            if (training == null) {
                training = process;
                return List.of("-XX:AOTCacheOutput=" + cache);
            }
            return List.of();
        }

        static synchronized void stopped(ServerProcess process) {
            if (training == process) {
                training = null;
            }
        }

        private static void pack(Path classes, Path jar) throws IOException {
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
                 var files = Files.walk(classes)) {
                // directory entries too: Spring's component scan looks the package folders up
                for (Path file : (Iterable<Path>) files.filter(path -> !path.equals(classes)).sorted()::iterator) {
                    String name = classes.relativize(file).toString().replace('\\', '/');
                    if (Files.isDirectory(file)) {
                        out.putNextEntry(new java.util.jar.JarEntry(name + "/"));
                    } else {
                        out.putNextEntry(new java.util.jar.JarEntry(name));
                        Files.copy(file, out);
                    }
                    out.closeEntry();
                }
            }
        }
    }

    static String runtimeClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("test-classes/"))
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
