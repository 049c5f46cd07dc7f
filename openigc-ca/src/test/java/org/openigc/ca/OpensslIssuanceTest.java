package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every profile, issued under an EC and under an RSA hierarchy, read back by openssl: chain and purpose verified
 * with {@code -x509_strict}, and each extension and the subject compared with DOMAIN §2-3 as written down here, not
 * as {@link CertProfile} says.
 */
class OpensslIssuanceTest {
    private static final String CLIENT = "TLS Web Client Authentication";
    private static final String SERVER = "TLS Web Server Authentication";
    private static final String EMAIL = "E-mail Protection";
    private static final String AUTH = "Digital Signature";
    private static final String SIGN = "Digital Signature, Non Repudiation";
    private static final String CONF = "Key Encipherment, Data Encipherment";

    /** What DOMAIN §2 says each profile looks like. */
    record Expected(ProfileId id, String keyUsage, String extendedKeyUsage, String purpose, String altNames,
                    boolean privateKeyUsagePeriod, String subject) {
    }

    private static final String ORG = "C=FR, ST=Rhône (69), O=CHU DEMO, OU=1750712184, CN=INSI-AUTO";
    private static final String PERSON = "C=FR, ST=Rhône (69), O=CHU DEMO, OU=1750712184, CN=810005173140 + SN=DUPONT + GN=Jean";
    private static final String CARD = "C=FR, title=Médecin, CN=810005173140 + SN=MARTIN + GN=Élise";
    private static final String MAIL = "email:secretariat@chu-demo.mssante.fr";

    private static final Stream<Expected> TABLE = Stream.of(
            new Expected(ProfileId.ORG_AUTH_CLI, AUTH, CLIENT, "sslclient", null, false, ORG),
            new Expected(ProfileId.ORG_SIGN, SIGN, EMAIL, "smimesign", null, true, ORG),
            new Expected(ProfileId.ORG_CONF, CONF, EMAIL, "smimeencrypt", null, false, ORG),
            new Expected(ProfileId.SERV_SSL_SERVEUR, "Digital Signature, Key Encipherment", SERVER + ", " + CLIENT,
                    "sslserver", "DNS:dmp.chu-demo.fr, DNS:www.chu-demo.fr", false,
                    "C=FR, ST=Rhône (69), O=CHU DEMO, OU=1750712184, CN=dmp.chu-demo.fr"),
            new Expected(ProfileId.SERV_SMIME, SIGN, EMAIL, "smimesign", MAIL, false, ORG),
            new Expected(ProfileId.SERV_SIGN, SIGN, EMAIL, "smimesign", MAIL, true, ORG),
            new Expected(ProfileId.SERV_CONF, CONF, EMAIL, "smimeencrypt", MAIL, false, ORG),
            new Expected(ProfileId.PRO_AUTH, AUTH, CLIENT, "sslclient", null, false, PERSON),
            new Expected(ProfileId.PRO_SIGN, SIGN, EMAIL, "smimesign", MAIL, true, PERSON),
            new Expected(ProfileId.PRO_CONF, CONF, EMAIL, "smimeencrypt", MAIL, false, PERSON),
            new Expected(ProfileId.CPX_AUTH, AUTH, CLIENT, "sslclient", null, false, CARD),
            new Expected(ProfileId.CPX_SIGN, "Non Repudiation", EMAIL, "smimesign", null, false, CARD));

    static Stream<Arguments> cases() {
        return TABLE.flatMap(e -> Stream.of(Arguments.of("EC", e), Arguments.of("RSA", e)));
    }

    @ParameterizedTest(name = "{1} under the {0} hierarchy")
    @MethodSource("cases")
    void opensslVerifiesAndReadsTheProfile(String hierarchyKind, Expected expected, @TempDir Path dir)
            throws Exception {
        Map<CaRole, CaKey> hierarchy = hierarchyKind.equals("EC") ? TestPki.ecHierarchy() : TestPki.rsaHierarchy();
        // RFC 5480 keeps encryption usages for RSA keys; the EC hierarchy issues EC end entities otherwise
        boolean rsaHolder = hierarchyKind.equals("RSA") || expected.keyUsage().contains("Encipherment")
                && expected.id() != ProfileId.SERV_SSL_SERVEUR;
        KeyPair holder = rsaHolder ? TestPki.rsaHolder() : KeyAlgorithm.EC_P256.generate();
        X509Certificate leaf = TestPki.issue(hierarchy, expected.id(), holder.getPublic());
        CaKey intermediate = hierarchy.get(expected.id().issuer());
        TestPki.writePem(dir.resolve("root.pem"), hierarchy.get(CaRole.ROOT).certificate());
        TestPki.writePem(dir.resolve("intermediate.pem"), intermediate.certificate());
        TestPki.writePem(dir.resolve("leaf.pem"), leaf);

        TestPki.Result verify = TestPki.openssl(dir, "verify", "-x509_strict", "-purpose", expected.purpose(),
                "-CAfile", "root.pem", "-untrusted", "intermediate.pem", "leaf.pem");
        assertThat(verify.output()).isEqualTo("leaf.pem: OK\n");
        assertThat(verify.exitCode()).isZero();

        String text = TestPki.openssl(dir, "x509", "-in", "leaf.pem", "-noout", "-text",
                "-nameopt", "sep_comma_plus_space,space_eq,sname,utf8,-esc_msb").output().replace(" = ", "=");
        String keyUsage = expected.id() == ProfileId.SERV_SSL_SERVEUR && !rsaHolder
                ? AUTH : expected.keyUsage(); // RFC 5480: no keyEncipherment for an EC key
        assertThat(extension(text, "X509v3 Key Usage: critical")).isEqualTo(keyUsage);
        assertThat(text).doesNotContain("X509v3 Extended Key Usage: critical");
        assertThat(extension(text, "X509v3 Extended Key Usage:")).isEqualTo(expected.extendedKeyUsage());
        assertThat(extension(text, "X509v3 Basic Constraints:")).isEqualTo("CA:FALSE");
        assertThat(text).contains("X509v3 Certificate Policies: \n"
                + "                Policy: " + TestPki.POLICY_ARC + "." + (expected.id().ordinal() + 1) + "\n"
                + "                  CPS: " + TestPki.CPS + "\n");
        assertThat(text).contains("X509v3 CRL Distribution Points: \n                Full Name:\n"
                + "                  URI:" + TestPki.BASE_URL + "/crl/" + intermediate.name() + ".crl\n");
        assertThat(text).contains("Authority Information Access: \n"
                + "                OCSP - URI:" + TestPki.BASE_URL + "/ocsp\n"
                + "                CA Issuers - URI:" + TestPki.BASE_URL + "/ca/" + intermediate.name() + ".crt\n");
        assertThat(extension(text, "X509v3 Authority Key Identifier:"))
                .isEqualTo(extension(TestPki.openssl(dir, "x509", "-in", "intermediate.pem", "-noout", "-text").output(),
                        "X509v3 Subject Key Identifier:"));
        if (expected.altNames() == null) {
            assertThat(text).doesNotContain("Subject Alternative Name");
        } else {
            assertThat(extension(text, "X509v3 Subject Alternative Name:")).isEqualTo(expected.altNames());
        }
        assertThat(text.contains("X509v3 Private Key Usage Period:")).isEqualTo(expected.privateKeyUsagePeriod());
        assertThat(rdns(line(text, "Subject:"))).isEqualTo(rdns(expected.subject()));
        assertThat(line(text, "Issuer:")).endsWith("CN=" + (hierarchyKind.equals("EC") ? "TEST " : "")
                + expected.id().issuer().defaultCommonName());
        assertThat(text).contains("Signature Algorithm: "
                + (hierarchyKind.equals("EC") ? "ecdsa-with-SHA256" : "sha256WithRSAEncryption"));

        Matcher serial = Pattern.compile("Serial Number:\\s*\\n\\s*((?:[0-9a-f]{2}:)*[0-9a-f]{2})").matcher(text);
        assertThat(serial.find()).as("serial in\n" + text).isTrue();
        String[] serialBytes = serial.group(1).split(":");
        assertThat(serialBytes).hasSize(16);
        assertThat(Integer.parseInt(serialBytes[0], 16)).isBetween(0x01, 0x7F); // positive, no leading zero byte
    }

    /** The line after {@code header} in openssl's text output, trimmed. */
    static String extension(String text, String header) {
        java.util.List<String> lines = text.lines().map(String::trim).toList();
        int at = lines.indexOf(header);
        assertThat(at).as(header + " in\n" + text).isNotNegative();
        return lines.get(at + 1);
    }

    /**
     * RDNs in order, each a set: DER sorts the values of a multi-valued RDN by their encoding, so CN+SN+GN comes out
     * in an order that depends on the lengths of the names.
     */
    static java.util.List<java.util.Set<String>> rdns(String name) {
        return Stream.of(name.split(", ")).map(rdn -> java.util.Set.of(rdn.split(" \\+ "))).toList();
    }

    static String line(String text, String prefix) {
        return text.lines().map(String::trim).filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> l.substring(prefix.length()).trim()).orElseThrow();
    }

}
