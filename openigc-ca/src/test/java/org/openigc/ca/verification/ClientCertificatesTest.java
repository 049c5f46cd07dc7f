package org.openigc.ca.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;

import org.junit.jupiter.api.Test;
import org.openigc.ca.ProfileId;
import org.openigc.ca.SubjectData;

class ClientCertificatesTest {
    private final VerificationFixture fixture = new VerificationFixture();

    @Test
    void theStructureOfAnOrgAuthCliCertificateIsItsOu() {
        assertThat(ClientCertificates.organisationOf(fixture.orgAuthCli(fixture.test)).format()).isEqualTo("1750712184");
    }

    @Test
    void aServerCertificateIsNotAnOrgAuthCliCertificate() {
        X509Certificate ssl = fixture.issue(fixture.test, ProfileId.SERV_SSL_SERVEUR,
                SubjectData.organisation("ws.chu-demo.fr", "1750712184", "CHU DEMO", "Paris (75)"),
                VerificationFixture.NOW.minusSeconds(60), null, "ws.chu-demo.fr");
        assertThatThrownBy(() -> ClientCertificates.organisationOf(ssl))
                .isInstanceOfSatisfying(VerificationException.class,
                        e -> assertThat(e.failure()).isEqualTo(VerificationFailure.WRONG_PROFILE));
    }

    @Test
    void aSignatureCertificateIsNotAnAuthenticationCertificate() {
        X509Certificate sign = fixture.issue(fixture.test, ProfileId.ORG_SIGN,
                SubjectData.organisation("DMP SIGNATURE", "1750712184", "CHU DEMO", "Paris (75)"),
                VerificationFixture.NOW.minusSeconds(60), null);
        assertThatThrownBy(() -> ClientCertificates.organisationOf(sign))
                .isInstanceOfSatisfying(VerificationException.class,
                        e -> assertThat(e.failure()).isEqualTo(VerificationFailure.WRONG_PROFILE));
    }

    @Test
    void theHolderOfACardIsTheCnOfItsMultiValuedRdn() {
        X509Certificate card = fixture.card(fixture.production);
        assertThat(ClientCertificates.cardHolderOf(card).format()).isEqualTo("810005173140");
        assertThat(ClientCertificates.cardHolderNames(card)).hasValueSatisfying(
                names -> assertThat(names).containsExactly("MARTIN", "Claire"));
        assertThatThrownBy(() -> ClientCertificates.cardHolderOf(fixture.orgAuthCli(fixture.test)))
                .isInstanceOf(VerificationException.class);
    }
}
