package org.openigc.server.authority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openigc.ca.CaRole;
import org.openigc.ca.Environment;
import org.openigc.server.OpenIgcApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole platform with its CA keys in a real SoftHSM2 token: created at first start, signing inside the token,
 * and found again in the token at the next start (nothing under the data directory's ca/).
 */
class Pkcs11ServerIT {
    private static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");

    @Test
    void caKeysAreCreatedInTheTokenAndFoundThereAfterARestart() throws Exception {
        if (!Files.isRegularFile(LIBRARY)) {
            fail("SoftHSM2 is not installed: run scripts/ensure-test-tools.sh (./openigc test does)");
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        assertThat(conf).as("surefire sets SOFTHSM2_CONF (openigc-server/pom.xml)").isNotNull();
        Path tokens = Path.of(conf).getParent().resolve("tokens");
        Files.createDirectories(tokens);
        Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n");
        String output = run(conf, "softhsm2-util", "--init-token", "--free", "--label", "openigc-server-test",
                "--so-pin", "87654321", "--pin", "12345678");
        Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(output);
        assertThat(slot.find()).as(output).isTrue();
        Path dataDir = Files.createTempDirectory("openigc-pkcs11-");
        Path pin = Files.writeString(dataDir.resolve("pin"), "12345678");
        List<String> arguments = List.of("--openigc.ca.keystore=pkcs11", "--openigc.ca.pkcs11.slot=" + slot.group(1),
                "--openigc.ca.pkcs11.pin-file=" + pin, "--openigc.ca.root-algorithm=EC_P256",
                "--openigc.data-dir=" + dataDir, "--openigc.demo=false", "--openigc.certdc.enabled=false",
                "--server.port=" + freePort(), "--openigc.http-port=" + freePort(), "--spring.main.banner-mode=off");

        X509Certificate firstRoot;
        try (ConfigurableApplicationContext first = new SpringApplication(OpenIgcApplication.class)
                .run(arguments.toArray(String[]::new))) {
            CertificateAuthorities authorities = first.getBean(CertificateAuthorities.class);
            firstRoot = authorities.ca(Environment.PRODUCTION, CaRole.ROOT).certificate();
            // the intermediate was signed inside the token by the root's key
            authorities.ca(Environment.PRODUCTION, CaRole.ORGANISATIONS).certificate().verify(firstRoot.getPublicKey());
            assertThat(authorities.ca(Environment.TEST, CaRole.ROOT).privateKey().getClass().getName())
                    .doesNotContain("sun.security.ec").doesNotContain("BCEC");
        }
        assertThat(dataDir.resolve("ca")).doesNotExist();
        try (ConfigurableApplicationContext second = new SpringApplication(OpenIgcApplication.class)
                .run(arguments.toArray(String[]::new))) {
            CertificateAuthorities authorities = second.getBean(CertificateAuthorities.class);
            assertThat(authorities.ca(Environment.PRODUCTION, CaRole.ROOT).certificate()).isEqualTo(firstRoot);
            assertThat(authorities.ready()).isTrue();
        }
    }

    private static String run(String conf, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SOFTHSM2_CONF", conf);
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
