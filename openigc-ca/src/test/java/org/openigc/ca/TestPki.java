package org.openigc.ca;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * Shared fixtures: two hierarchies made once per test JVM (key generation is the slow part), issuance with
 * realistic subjects, PEM files and openssl as a peer.
 */
final class TestPki {
    /** Whole seconds: what certificates can carry. Real time, so that openssl accepts the validity periods. */
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final String BASE_URL = "http://pki.openigc.test";
    static final String POLICY_ARC = "1.2.250.1.999.1";
    static final String CPS = "https://pki.openigc.test/pc";
    static final CaNaming NAMING = new CaNaming("OpenIGC Demo", "187512751");
    static final Map<ProfileId, CertProfile> PROFILES = CertProfile.defaults(POLICY_ARC, CPS);

    private static Map<CaRole, CaKey> ecHierarchy;
    private static Map<CaRole, CaKey> rsaHierarchy;
    private static KeyPair rsaHolder;

    private TestPki() {
    }

    /** TEST environment: root EC P-384, intermediates EC P-256. */
    static synchronized Map<CaRole, CaKey> ecHierarchy() {
        if (ecHierarchy == null) {
            ecHierarchy = hierarchy(Environment.TEST, KeyAlgorithm.EC_P384, KeyAlgorithm.EC_P256);
        }
        return ecHierarchy;
    }

    /** PRODUCTION environment: root and intermediates RSA 3072. */
    static synchronized Map<CaRole, CaKey> rsaHierarchy() {
        if (rsaHierarchy == null) {
            rsaHierarchy = hierarchy(Environment.PRODUCTION, KeyAlgorithm.RSA_3072, KeyAlgorithm.RSA_3072);
        }
        return rsaHierarchy;
    }

    /** One RSA 2048 holder key reused by tests that need an RSA end entity. */
    static synchronized KeyPair rsaHolder() {
        if (rsaHolder == null) {
            rsaHolder = KeyAlgorithm.RSA_2048.generate();
        }
        return rsaHolder;
    }

    static Map<CaRole, CaKey> hierarchy(Environment environment, KeyAlgorithm root, KeyAlgorithm intermediates) {
        return CaHierarchy.create(environment, NAMING, root, intermediates, NOW, TestPki::urls,
                (name, algorithm) -> algorithm.generate(), null);
    }

    static CaUrls urls(String caName) {
        return CaUrls.under(BASE_URL, caName);
    }

    /** A subject in the profile's layout, with the SANs it asks for. */
    static IssuanceRequest request(ProfileId id, PublicKey key) {
        SubjectData subject = switch (PROFILES.get(id).layout()) {
            case ORGANISATION -> SubjectData.organisation(id == ProfileId.SERV_SSL_SERVEUR ? "dmp.chu-demo.fr" : "INSI-AUTO",
                    "1750712184", "CHU DEMO", "Rhône (69)");
            case STRUCTURE_PERSON -> SubjectData.structurePerson("810005173140", "DUPONT", "Jean", "1750712184",
                    "CHU DEMO", "Rhône (69)");
            case CARD_HOLDER -> SubjectData.cardHolder("810005173140", "MARTIN", "Élise", "Médecin");
        };
        IssuanceRequest request = IssuanceRequest.of(key, subject, NOW);
        return switch (PROFILES.get(id).altNames()) {
            case NONE -> request;
            case DNS -> request.withDnsNames(List.of("dmp.chu-demo.fr", "www.chu-demo.fr"));
            case EMAIL -> request.withEmailAddresses(List.of("secretariat@chu-demo.mssante.fr"));
        };
    }

    /** Issues {@code id} from the right intermediate of {@code hierarchy}. */
    static X509Certificate issue(Map<CaRole, CaKey> hierarchy, ProfileId id, PublicKey key) {
        CaKey ca = hierarchy.get(id.issuer());
        return new CertificateIssuer(ca, urls(ca.name())).issue(PROFILES.get(id), request(id, key),
                CertificateIssuer.randomSerial());
    }

    static String pem(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    static Path writePem(Path file, Object... objects) throws IOException {
        return Files.writeString(file, pem(objects), StandardCharsets.US_ASCII);
    }

    record Result(int exitCode, String output) {
    }

    /** Runs openssl in {@code directory}; the output is stdout and stderr together. */
    static Result openssl(Path directory, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        return run(directory, command);
    }

    static Result run(Path directory, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return fail("cannot run " + command + " (is it installed?): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }

    static BigInteger serial(int n) {
        return BigInteger.valueOf(n).shiftLeft(64).add(BigInteger.valueOf(n));
    }
}
