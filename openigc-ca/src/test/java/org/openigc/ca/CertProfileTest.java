package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Period;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link CertProfile#from} refuses every configuration outside the certificate policy, one rule per row. */
class CertProfileTest {
    private static final ProfileConfig GOOD = CertProfile.defaultConfig(ProfileId.ORG_AUTH_CLI, "1.2.250.1.999.1.1",
            "https://pki.openigc.test/pc");

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                row("key usage reserved for CAs", c -> keyUsages(c, Set.of("digitalSignature", "keyCertSign")),
                        "key usage 'keyCertSign' is not allowed"),
                row("unknown key usage", c -> keyUsages(c, Set.of("signEverything")), "key usage 'signEverything'"),
                row("no key usage", c -> keyUsages(c, Set.of()), "at least one key usage"),
                row("EKU not in the policy", c -> ekus(c, List.of("codeSigning")), "'codeSigning' is not allowed"),
                row("anyExtendedKeyUsage", c -> ekus(c, List.of("anyExtendedKeyUsage")), "is not allowed"),
                row("no EKU", c -> ekus(c, List.of()), "at least one extended key usage"),
                row("EKU twice", c -> ekus(c, List.of("clientAuth", "clientAuth")), "listed twice"),
                row("validity zero", c -> c.withValidity(Period.ZERO), "validity"),
                row("validity negative", c -> c.withValidity(Period.ofDays(-1)), "validity"),
                row("validity missing", c -> c.withValidity(null), "validity"),
                row("validity 6 years", c -> c.withValidity(Period.ofYears(6)), "validity"),
                row("validity 5 years and a day", c -> c.withValidity(Period.of(5, 0, 1)), "validity"),
                row("validity 61 months", c -> c.withValidity(Period.ofMonths(61)), "validity"),
                row("validity 2000 days", c -> c.withValidity(Period.ofDays(2000)), "validity"),
                row("validity 1827 days", c -> c.withValidity(Period.ofDays(1827)), "validity"),
                row("validity 4 years 11 months 40 days", c -> c.withValidity(Period.of(4, 11, 40)), "validity"),
                row("policy OID with letters", c -> c.withPolicy("1.2.250.x", c.cpsUri()), "is not an OID"),
                row("policy OID with a bad first arc", c -> c.withPolicy("7.1", c.cpsUri()), "is not an OID"),
                row("policy OID empty", c -> c.withPolicy("", c.cpsUri()), "is not an OID"),
                row("policy OID missing", c -> c.withPolicy(null, c.cpsUri()), "is not an OID"),
                row("CPS over ftp", c -> c.withPolicy(c.policyOid(), "ftp://pki.openigc.test/pc"), "CPS URI"),
                row("CPS over ldap", c -> c.withPolicy(c.policyOid(), "ldap://pki.openigc.test/pc"), "CPS URI"),
                row("CPS not a URL", c -> c.withPolicy(c.policyOid(), "see our web site"), "CPS URI"),
                row("CPS missing", c -> c.withPolicy(c.policyOid(), null), "CPS URI"),
                row("TLS server without DNS names", c -> new ProfileConfig(ProfileId.SERV_SSL_SERVEUR, c.layout(),
                        c.keyUsages(), List.of("serverAuth"), AltNameKind.NONE, false, c.validity(), c.policyOid(),
                        c.cpsUri()), "must carry DNS names"),
                row("no layout", c -> new ProfileConfig(c.id(), null, c.keyUsages(), c.extendedKeyUsages(),
                        c.altNames(), false, c.validity(), c.policyOid(), c.cpsUri()), "mandatory"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void refuses(String rule, UnaryOperator<ProfileConfig> change, String message) {
        ProfileConfig bad = change.apply(GOOD);
        assertThatThrownBy(() -> CertProfile.from(bad)).isInstanceOfSatisfying(CaException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(CaErrorCode.PROFILE_INVALID);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void refusesNoConfigAtAll() {
        assertThatThrownBy(() -> CertProfile.from(null)).isInstanceOfSatisfying(CaException.class,
                e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.PROFILE_INVALID));
    }

    @Test
    void acceptsTheDefaultsAndValiditiesUpToFiveYears() {
        assertThat(CertProfile.defaults("1.2.250.1.999.1", "https://pki.openigc.test/pc")).hasSize(ProfileId.values().length)
                .allSatisfy((id, profile) -> assertThat(profile.validity()).isEqualTo(Period.ofYears(3)));
        for (Period validity : List.of(Period.ofYears(5), Period.ofMonths(60), Period.ofDays(1826), Period.ofDays(1),
                Period.of(4, 11, 28))) {
            assertThat(CertProfile.from(GOOD.withValidity(validity)).validity()).isEqualTo(validity);
        }
        assertThat(CertProfile.from(GOOD.withPolicy("1.2.250.1.213.1.7.2.1.1.1.1", "http://x.test/cps")).policyOid().getId())
                .isEqualTo("1.2.250.1.213.1.7.2.1.1.1.1");
    }

    @Test
    void ecKeysDropEncryptionUsagesAndCannotHaveAnEncryptionCertificate() {
        var profiles = TestPki.PROFILES;
        var ec = KeyAlgorithm.EC_P256.generate().getPublic();
        var rsa = TestPki.rsaHolder().getPublic();
        assertThat(profiles.get(ProfileId.SERV_SSL_SERVEUR).keyUsageBits(rsa))
                .isEqualTo(KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
        assertThat(profiles.get(ProfileId.SERV_SSL_SERVEUR).keyUsageBits(ec)).isEqualTo(KeyUsage.digitalSignature);
        assertThat(profiles.get(ProfileId.ORG_SIGN).keyUsageBits(ec))
                .isEqualTo(KeyUsage.digitalSignature | KeyUsage.nonRepudiation);
        assertThatThrownBy(() -> TestPki.issue(TestPki.ecHierarchy(), ProfileId.ORG_CONF, ec))
                .isInstanceOfSatisfying(CaException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(CaErrorCode.REQUEST_INVALID));
    }

    private static Arguments row(String rule, UnaryOperator<ProfileConfig> change, String message) {
        return Arguments.of(rule, change, message);
    }

    private static ProfileConfig keyUsages(ProfileConfig c, Set<String> keyUsages) {
        return new ProfileConfig(c.id(), c.layout(), keyUsages, c.extendedKeyUsages(), c.altNames(),
                c.privateKeyUsagePeriod(), c.validity(), c.policyOid(), c.cpsUri());
    }

    private static ProfileConfig ekus(ProfileConfig c, List<String> ekus) {
        return new ProfileConfig(c.id(), c.layout(), c.keyUsages(), ekus, c.altNames(), c.privateKeyUsagePeriod(),
                c.validity(), c.policyOid(), c.cpsUri());
    }
}
