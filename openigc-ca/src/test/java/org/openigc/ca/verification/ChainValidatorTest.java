package org.openigc.ca.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openigc.ca.CaRole;
import org.openigc.ca.ProfileId;
import org.openigc.ca.SubjectData;

class ChainValidatorTest {
    private final VerificationFixture fixture = new VerificationFixture();

    @Test
    void aCertificateOfTheOrganisationsCaChainsToItsRoot() {
        X509Certificate leaf = fixture.orgAuthCli(fixture.test);
        assertThatCode(() -> ChainValidator.validate(leaf, fixture.test.get(CaRole.ORGANISATIONS).certificate(),
                fixture.test.get(CaRole.ROOT).certificate(), VerificationFixture.NOW)).doesNotThrowAnyException();
    }

    @Test
    void theOtherEnvironmentsHierarchyIsNotTrusted() {
        X509Certificate leaf = fixture.orgAuthCli(fixture.test);
        assertThatThrownBy(() -> ChainValidator.validate(leaf, fixture.production.get(CaRole.ORGANISATIONS).certificate(),
                fixture.production.get(CaRole.ROOT).certificate(), VerificationFixture.NOW))
                .isInstanceOfSatisfying(VerificationException.class,
                        e -> assertThat(e.failure()).isEqualTo(VerificationFailure.UNTRUSTED));
    }

    @Test
    void anIntermediateOfAnotherRootIsRefusedEvenWithTheRightName() {
        // same names, other keys: a second TEST hierarchy is a foreign CA
        VerificationFixture foreign = new VerificationFixture();
        X509Certificate leaf = foreign.orgAuthCli(foreign.test);
        assertThatThrownBy(() -> ChainValidator.validate(leaf, fixture.test.get(CaRole.ORGANISATIONS).certificate(),
                fixture.test.get(CaRole.ROOT).certificate(), VerificationFixture.NOW))
                .isInstanceOfSatisfying(VerificationException.class,
                        e -> assertThat(e.failure()).isEqualTo(VerificationFailure.UNTRUSTED));
    }

    @Test
    void expiryAndNotYetValidAreNamed() {
        X509Certificate leaf = fixture.issue(fixture.test, ProfileId.ORG_AUTH_CLI,
                SubjectData.organisation("CERTDC", "1750712184", "CHU DEMO", "Paris (75)"),
                VerificationFixture.NOW.minus(Duration.ofDays(2)), VerificationFixture.NOW.minus(Duration.ofDays(1)));
        var organisations = fixture.test.get(CaRole.ORGANISATIONS).certificate();
        var root = fixture.test.get(CaRole.ROOT).certificate();
        assertThatThrownBy(() -> ChainValidator.validate(leaf, organisations, root, VerificationFixture.NOW))
                .isInstanceOfSatisfying(VerificationException.class,
                        e -> assertThat(e.failure()).isEqualTo(VerificationFailure.EXPIRED));
        assertThatThrownBy(() -> ChainValidator.validate(leaf, organisations, root,
                VerificationFixture.NOW.minus(Duration.ofDays(3))))
                .isInstanceOfSatisfying(VerificationException.class,
                        e -> assertThat(e.failure()).isEqualTo(VerificationFailure.NOT_YET_VALID));
    }
}
