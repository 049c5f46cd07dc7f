package org.openigc.ca.verification;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;

import org.openigc.ca.CaHierarchy;
import org.openigc.ca.CaKey;
import org.openigc.ca.CaNaming;
import org.openigc.ca.CaRole;
import org.openigc.ca.CaUrls;
import org.openigc.ca.CertProfile;
import org.openigc.ca.CertificateIssuer;
import org.openigc.ca.Environment;
import org.openigc.ca.IssuanceRequest;
import org.openigc.ca.KeyAlgorithm;
import org.openigc.ca.ProfileId;
import org.openigc.ca.SubjectData;

/** A real CA hierarchy per environment and certificates issued by it, for the verification tests. */
final class VerificationFixture {
    static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    static final String BASE = "http://localhost:8080";
    private static final Map<ProfileId, CertProfile> PROFILES = CertProfile.defaults("1.2.250.1.999.1", "https://example.org/pc");

    final Map<CaRole, CaKey> test = hierarchy(Environment.TEST);
    final Map<CaRole, CaKey> production = hierarchy(Environment.PRODUCTION);

    private static Map<CaRole, CaKey> hierarchy(Environment environment) {
        return CaHierarchy.create(environment, new CaNaming("OpenIGC Demo", "187512751"), KeyAlgorithm.EC_P256,
                KeyAlgorithm.EC_P256, NOW.minusSeconds(86_400), n -> CaUrls.under(BASE, n),
                (name, algorithm) -> algorithm.generate(), null);
    }

    X509Certificate issue(Map<CaRole, CaKey> cas, ProfileId profile, SubjectData subject, Instant notBefore,
                          Instant notAfter, String... dnsNames) {
        CaKey ca = cas.get(profile.issuer());
        KeyPair holder = KeyAlgorithm.EC_P256.generate();
        IssuanceRequest request = IssuanceRequest.of(holder.getPublic(), subject, notBefore)
                .withDnsNames(java.util.List.of(dnsNames));
        if (notAfter != null) {
            request = request.withNotAfter(notAfter);
        }
        return new CertificateIssuer(ca, CaUrls.under(BASE, ca.name()))
                .issue(PROFILES.get(profile), request, CertificateIssuer.randomSerial());
    }

    X509Certificate orgAuthCli(Map<CaRole, CaKey> cas) {
        return issue(cas, ProfileId.ORG_AUTH_CLI,
                SubjectData.organisation("CERTDC", "1750712184", "CHU DEMO", "Paris (75)"), NOW.minusSeconds(60), null);
    }

    X509Certificate card(Map<CaRole, CaKey> cas) {
        return issue(cas, ProfileId.CPX_AUTH, SubjectData.cardHolder("810005173140", "MARTIN", "Claire", "Médecin"),
                NOW.minusSeconds(60), null);
    }
}
