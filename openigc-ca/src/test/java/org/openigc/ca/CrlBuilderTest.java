package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrlBuilderTest {
    private static final Instant THIS_UPDATE = TestPki.NOW;
    private static final Instant NEXT_UPDATE = THIS_UPDATE.plus(Duration.ofDays(1));

    private final CaKey ca = TestPki.ecHierarchy().get(CaRole.ORGANISATIONS);

    @Test
    void carriesIssuerAkiNumberDatesAndReasons() throws Exception {
        List<RevokedEntry> entries = List.of(
                new RevokedEntry(TestPki.serial(1), THIS_UPDATE.minusSeconds(3600), RevocationReason.KEY_COMPROMISE),
                new RevokedEntry(TestPki.serial(2), THIS_UPDATE.minusSeconds(60), RevocationReason.UNSPECIFIED),
                new RevokedEntry(TestPki.serial(3), THIS_UPDATE.minusSeconds(1), RevocationReason.PRIVILEGE_WITHDRAWN));
        X509CRLHolder crl = new X509CRLHolder(CrlBuilder.build(ca, BigInteger.valueOf(42), THIS_UPDATE, NEXT_UPDATE,
                entries));

        assertThat(crl.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca.certificate()))).isTrue();
        assertThat(crl.getIssuer().getEncoded()).isEqualTo(ca.certificate().getSubjectX500Principal().getEncoded());
        assertThat(crl.toASN1Structure().getVersionNumber()).isEqualTo(2);
        assertThat(crl.getThisUpdate().toInstant()).isEqualTo(THIS_UPDATE);
        assertThat(crl.getNextUpdate().toInstant()).isEqualTo(NEXT_UPDATE);
        assertThat(CRLNumber.getInstance(crl.getExtension(Extension.cRLNumber).getParsedValue()).getCRLNumber())
                .isEqualTo(42);
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.fromExtensions(crl.getExtensions());
        assertThat(aki.getKeyIdentifier()).isEqualTo(SubjectKeyIdentifier.fromExtensions(
                new JcaX509CertificateHolder(ca.certificate()).getExtensions()).getKeyIdentifier());
        assertThat(aki.getAuthorityCertIssuer()).isNull();

        X509CRLEntryHolder first = crl.getRevokedCertificate(TestPki.serial(1));
        assertThat(first.getRevocationDate().toInstant()).isEqualTo(THIS_UPDATE.minusSeconds(3600));
        assertThat(CRLReason.getInstance(first.getExtensions().getExtension(Extension.reasonCode).getParsedValue())
                .getValue().intValue()).isEqualTo(CRLReason.keyCompromise);
        // RFC 5280 §5.3.1: the reason code is absent rather than unspecified
        assertThat(crl.getRevokedCertificate(TestPki.serial(2)).getExtensions()).isNull();
        assertThat(CRLReason.getInstance(crl.getRevokedCertificate(TestPki.serial(3)).getExtensions()
                .getExtension(Extension.reasonCode).getParsedValue()).getValue().intValue())
                .isEqualTo(CRLReason.privilegeWithdrawn);
        assertThat(crl.getRevokedCertificates()).hasSize(3);
    }

    @Test
    void usesUtcTimeUntil2049AndGeneralizedTimeFrom2050() throws Exception {
        Instant in2051 = Instant.parse("2051-03-04T05:06:07.890Z");
        byte[] der = CrlBuilder.build(ca, BigInteger.ONE, THIS_UPDATE, in2051,
                List.of(new RevokedEntry(TestPki.serial(1), THIS_UPDATE.minusSeconds(1), RevocationReason.SUPERSEDED)));
        TBSCertList tbs = new X509CRLHolder(der).toASN1Structure().getTBSCertList();
        assertThat(tbs.getThisUpdate().toASN1Primitive()).isInstanceOf(ASN1UTCTime.class);
        assertThat(tbs.getNextUpdate().toASN1Primitive()).isInstanceOf(ASN1GeneralizedTime.class);
        assertThat(((ASN1GeneralizedTime) tbs.getNextUpdate().toASN1Primitive()).getTimeString())
                .isEqualTo("20510304050607Z"); // whole seconds, no fraction
        assertThat(tbs.getRevokedCertificates()[0].getRevocationDate().toASN1Primitive())
                .isInstanceOf(ASN1UTCTime.class);
    }

    @Test
    void anEmptyCrlHasNoRevokedCertificates() throws Exception {
        X509CRLHolder crl = new X509CRLHolder(CrlBuilder.build(ca, BigInteger.ZERO, THIS_UPDATE, NEXT_UPDATE,
                List.of()));
        assertThat(crl.getRevokedCertificates()).isEmpty();
        assertThat(crl.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca.certificate()))).isTrue();
    }

    @Test
    void refusesBadInput() {
        List<RevokedEntry> twice = List.of(
                new RevokedEntry(TestPki.serial(7), THIS_UPDATE, RevocationReason.SUPERSEDED),
                new RevokedEntry(TestPki.serial(7), THIS_UPDATE, RevocationReason.KEY_COMPROMISE));
        assertInvalid(() -> CrlBuilder.build(ca, BigInteger.ONE, THIS_UPDATE, NEXT_UPDATE, twice), "listed twice");
        assertInvalid(() -> CrlBuilder.build(ca, BigInteger.ONE, THIS_UPDATE, THIS_UPDATE, List.of()), "nextUpdate");
        assertInvalid(() -> CrlBuilder.build(ca, BigInteger.ONE.negate(), THIS_UPDATE, NEXT_UPDATE, List.of()),
                "CRL number");
        assertInvalid(() -> CrlBuilder.build(ca, BigInteger.ONE.shiftLeft(160), THIS_UPDATE, NEXT_UPDATE, List.of()),
                "CRL number");
        assertInvalid(() -> new RevokedEntry(BigInteger.ZERO, THIS_UPDATE, RevocationReason.SUPERSEDED), "positive");
    }

    @Test
    void revocationReasonsAreTheRfc5280CodesWithoutCertificateHold() {
        assertThat(RevocationReason.values()).extracting(RevocationReason::code).containsExactly(0, 1, 2, 3, 4, 5, 9);
        assertThat(RevocationReason.fromCode(9)).isEqualTo(RevocationReason.PRIVILEGE_WITHDRAWN);
        assertThatThrownBy(() -> RevocationReason.fromCode(6)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void opensslVerifiesTheCrlListsReasonsAndRefusesARevokedCertificate(@TempDir Path dir) throws Exception {
        Map<CaRole, CaKey> hierarchy = TestPki.rsaHierarchy();
        CaKey organisations = hierarchy.get(CaRole.ORGANISATIONS);
        X509Certificate revoked = TestPki.issue(hierarchy, ProfileId.ORG_AUTH_CLI, TestPki.rsaHolder().getPublic());
        X509Certificate good = TestPki.issue(hierarchy, ProfileId.ORG_SIGN, TestPki.rsaHolder().getPublic());
        byte[] der = CrlBuilder.build(organisations, BigInteger.valueOf(7), THIS_UPDATE.minusSeconds(60), NEXT_UPDATE,
                List.of(new RevokedEntry(revoked.getSerialNumber(), THIS_UPDATE.minusSeconds(120),
                                RevocationReason.KEY_COMPROMISE),
                        new RevokedEntry(TestPki.serial(5), THIS_UPDATE.minusSeconds(120),
                                RevocationReason.CESSATION_OF_OPERATION)));
        Files.write(dir.resolve("crl.der"), der);
        TestPki.writePem(dir.resolve("chain.pem"), organisations.certificate(), hierarchy.get(CaRole.ROOT).certificate());
        TestPki.writePem(dir.resolve("root.pem"), hierarchy.get(CaRole.ROOT).certificate());
        TestPki.writePem(dir.resolve("intermediate.pem"), organisations.certificate());
        TestPki.writePem(dir.resolve("revoked.pem"), revoked);
        TestPki.writePem(dir.resolve("good.pem"), good);

        TestPki.Result verify = TestPki.openssl(dir, "crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "chain.pem",
                "-noout", "-verify");
        assertThat(verify.output()).isEqualTo("verify OK\n");
        assertThat(verify.exitCode()).isZero();

        String text = TestPki.openssl(dir, "crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text").output();
        assertThat(text).contains("X509v3 CRL Number: \n                7\n");
        assertThat(text).contains("Serial Number: " + opensslHex(revoked.getSerialNumber())
                + "\n        Revocation Date: ");
        assertThat(text).containsPattern("Serial Number: " + opensslHex(TestPki.serial(5))
                + "\\n.*\\n.*\\n\\s+X509v3 CRL Reason Code: \\n\\s+Cessation Of Operation\\n");
        assertThat(text).containsPattern("Serial Number: " + opensslHex(revoked.getSerialNumber())
                + "\\n.*\\n.*\\n\\s+X509v3 CRL Reason Code: \\n\\s+Key Compromise\\n");

        Files.writeString(dir.resolve("crl.pem"), TestPki.openssl(dir, "crl", "-inform", "DER", "-in", "crl.der")
                .output());
        TestPki.Result refused = TestPki.openssl(dir, "verify", "-crl_check", "-CRLfile", "crl.pem", "-CAfile",
                "root.pem", "-untrusted", "intermediate.pem", "revoked.pem");
        assertThat(refused.output()).contains("certificate revoked");
        assertThat(refused.exitCode()).isNotZero();
        TestPki.Result accepted = TestPki.openssl(dir, "verify", "-crl_check", "-CRLfile", "crl.pem", "-CAfile",
                "root.pem", "-untrusted", "intermediate.pem", "good.pem");
        assertThat(accepted.output()).isEqualTo("good.pem: OK\n");
    }

    @Test
    void aMillionEntriesMakeACrlOpensslVerifies(@TempDir Path dir) throws Exception {
        int count = 1_000_000;
        RevocationReason[] reasons = RevocationReason.values();
        List<RevokedEntry> entries = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            entries.add(new RevokedEntry(TestPki.serial(i), THIS_UPDATE.minusSeconds(i), reasons[i % reasons.length]));
        }
        // no wall-clock bound here (a loaded CI host made one flaky); the build time is measured in bench/ (CrlGeneration)
        byte[] der = CrlBuilder.build(ca, BigInteger.TWO, THIS_UPDATE, NEXT_UPDATE, entries);
        assertThat(der.length).isGreaterThan(count * 40);

        Files.write(dir.resolve("big.der"), der);
        TestPki.writePem(dir.resolve("chain.pem"), ca.chain().toArray());
        TestPki.Result verify = TestPki.openssl(dir, "crl", "-inform", "DER", "-in", "big.der", "-CAfile", "chain.pem",
                "-noout", "-verify");
        assertThat(verify.output()).isEqualTo("verify OK\n");
    }

    /** openssl prints serials in upper-case hex, whole bytes. */
    static String opensslHex(BigInteger serial) {
        String hex = serial.toString(16).toUpperCase(java.util.Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(CaException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(CaErrorCode.REQUEST_INVALID);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void timesAreWrittenAsRfc5280UtcOrGeneralizedTimeToTheSecond() throws Exception {
        java.time.format.DateTimeFormatter utc = java.time.format.DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC);
        java.time.format.DateTimeFormatter generalized = java.time.format.DateTimeFormatter
                .ofPattern("uuuuMMddHHmmss'Z'").withZone(java.time.ZoneOffset.UTC);
        List<Instant> instants = new ArrayList<>(List.of(Instant.parse("1950-01-01T00:00:00Z"),
                Instant.parse("2049-12-31T23:59:59.999Z"), Instant.parse("2050-01-01T00:00:00Z"),
                Instant.parse("2000-02-29T12:34:56Z"), Instant.parse("9999-12-31T23:59:59Z"),
                Instant.parse("1949-12-31T23:59:59Z")));
        java.util.Random random = new java.util.Random(20261123);
        for (int i = 0; i < 500; i++) {
            instants.add(Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 7_000_000_000L), random.nextInt(1_000_000_000)));
        }
        for (Instant instant : instants) {
            var time = CrlBuilder.time(instant).toASN1Primitive();
            int year = instant.atOffset(java.time.ZoneOffset.UTC).getYear();
            if (year >= 1950 && year <= 2049) {
                assertThat(time).isInstanceOf(ASN1UTCTime.class);
                assertThat(time.toString()).isEqualTo(utc.format(instant));
            } else {
                assertThat(time).isInstanceOf(ASN1GeneralizedTime.class);
                assertThat(((ASN1GeneralizedTime) time).getTimeString()).isEqualTo(generalized.format(instant));
            }
            assertThat(ProfileChecker.instant(time)).isEqualTo(instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        }
    }
}
