package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CertificateFormatsTest {

    /** The PEM written from the DER alone is the text the parsed-certificate writer gives, byte for byte. */
    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "RSA_2048"})
    void pemFromDerEqualsPemFromTheParsedCertificate(KeyAlgorithm algorithm) throws Exception {
        Map<CaRole, CaKey> hierarchy = TestPki.ecHierarchy();
        KeyPair holder = algorithm.generate();
        X509Certificate certificate = TestPki.issue(hierarchy, ProfileId.ORG_AUTH_CLI, holder.getPublic());

        String fromDer = CertificateFormats.pem(certificate.getEncoded());

        assertThat(fromDer).isEqualTo(CertificateFormats.pem(certificate));
        assertThat(fromDer).startsWith("-----BEGIN CERTIFICATE-----").contains("-----END CERTIFICATE-----");
    }
}
