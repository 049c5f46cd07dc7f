package org.openigc.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;

/**
 * The HTTPS connector seen by a real peer, openssl s_client: TLS 1.2 and 1.3 only, and for TLS 1.2 only forward-secret
 * AEAD suites. The client is opened up ({@code @SECLEVEL=0}) so that a refusal is the server's, not openssl's.
 */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class TlsHardeningIT extends ServerTestSupport {
    record Handshake(boolean established, String output) {
    }

    private static final List<String> WEAK = List.of("AES128-SHA:AES256-GCM-SHA384:AES128-GCM-SHA256@SECLEVEL=0",
            "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384@SECLEVEL=0",
            "DHE-RSA-AES128-GCM-SHA256:DES-CBC3-SHA@SECLEVEL=0");
    private final java.util.Map<String, java.util.concurrent.CompletableFuture<Handshake>> handshakes =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** openssl waits for the server to close an idle connection: the handshakes run side by side. */
    @org.junit.jupiter.api.BeforeAll
    void handshakes() {
        List<List<String>> all = new ArrayList<>(List.of(List.of("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"),
                List.of("-tls1", "-cipher", "DEFAULT@SECLEVEL=0"), List.of("-tls1_2"), List.of("-tls1_3")));
        WEAK.forEach(cipher -> all.add(List.of("-tls1_2", "-cipher", cipher)));
        for (List<String> options : all) {
            handshakes.put(String.join(" ", options), java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return run(options.toArray(String[]::new));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
    }

    private Handshake sClient(String... options) {
        return handshakes.get(String.join(" ", options)).join();
    }

    private Handshake run(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "localhost:" + HTTPS_PORT,
                "-servername", "localhost"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("openssl s_client finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean established = output.contains("-----BEGIN CERTIFICATE-----") && !output.contains("Cipher is (NONE)")
                && !output.contains("Cipher    : 0000");
        return new Handshake(established, output);
    }

    @Test
    void tls11AndOlderAreRefusedByTheServer() throws Exception {
        Handshake tls11 = sClient("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertThat(tls11.established()).as(tls11.output()).isFalse();
        assertThat(tls11.output()).as("refused by the server, not by the client").containsAnyOf(
                "alert protocol version", "unsupported protocol", "wrong version number", "no protocols available",
                "handshake failure");
        Handshake tls10 = sClient("-tls1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertThat(tls10.established()).as(tls10.output()).isFalse();
    }

    @Test
    void tls12WithAForwardSecretAeadSuiteAndTls13AreAccepted() throws Exception {
        Handshake tls12 = sClient("-tls1_2");
        assertThat(tls12.established()).as(tls12.output()).isTrue();
        assertThat(tls12.output()).contains("TLSv1.2").containsPattern("Cipher is ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM|CHACHA20)");
        Handshake tls13 = sClient("-tls1_3");
        assertThat(tls13.established()).as(tls13.output()).isTrue();
        assertThat(tls13.output()).contains("TLSv1.3");
    }

    @Test
    void tls12WeakSuitesAreRefused() throws Exception {
        for (String cipher : WEAK) {
            Handshake weak = sClient("-tls1_2", "-cipher", cipher);
            assertThat(weak.established()).as(cipher + "\n" + weak.output()).isFalse();
        }
    }
}
