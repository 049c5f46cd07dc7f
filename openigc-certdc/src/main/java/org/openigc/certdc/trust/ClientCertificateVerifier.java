package org.openigc.certdc.trust;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

import org.openigc.ca.CaRole;
import org.openigc.ca.Environment;
import org.openigc.ca.verification.ChainValidator;
import org.openigc.ca.verification.ClientCertificates;
import org.openigc.ca.verification.RevocationStatus;
import org.openigc.ca.verification.VerificationException;
import org.openigc.ca.verification.VerificationFailure;
import org.openigc.identifiers.IdNatPs;
import org.openigc.identifiers.IdNatStruct;

/**
 * Decides whether a TLS client certificate is one CertDC accepts: chain to an OpenIGC CA of the right kind
 * (ORGANISATIONS for an SI, PERSONNES for a card), validity at the injected clock, the profile, and the revocation
 * status from the platform's OCSP responder. Tomcat's own trust check at the handshake is not relied upon.
 */
public final class ClientCertificateVerifier {
    private final PlatformTrust trust;
    private final RevocationClient revocation;
    private final Clock clock;
    private final List<Environment> cardEnvironments;

    /** An SI certificate accepted: its structure and the environment (TEST ↔ sandbox, PRODUCTION ↔ production). */
    public record VerifiedOrganisation(IdNatStruct structure, Environment environment, String serialNumber,
                                       String fingerprint) {
    }

    public record VerifiedCard(IdNatPs holder, String lastName, String firstName, Environment environment,
                               String fingerprint) {
    }

    public ClientCertificateVerifier(PlatformTrust trust, RevocationClient revocation, Clock clock,
                                     List<Environment> cardEnvironments) {
        this.trust = trust;
        this.revocation = revocation;
        this.clock = clock;
        this.cardEnvironments = List.copyOf(cardEnvironments);
    }

    public VerifiedOrganisation organisation(X509Certificate certificate) {
        PlatformTrust.Hierarchy hierarchy = issuingHierarchy(certificate, CaRole.ORGANISATIONS, List.of(Environment.values()));
        ChainValidator.validate(certificate, hierarchy.organisations(), hierarchy.root(), clock.instant());
        IdNatStruct structure = ClientCertificates.organisationOf(certificate);
        requireGood(certificate, hierarchy.organisations());
        return new VerifiedOrganisation(structure, hierarchy.environment(), certificate.getSerialNumber().toString(16),
                PlatformTrust.fingerprint(certificate));
    }

    public VerifiedCard card(X509Certificate certificate) {
        PlatformTrust.Hierarchy hierarchy = issuingHierarchy(certificate, CaRole.PERSONNES, cardEnvironments);
        ChainValidator.validate(certificate, hierarchy.personnes(), hierarchy.root(), clock.instant());
        IdNatPs holder = ClientCertificates.cardHolderOf(certificate);
        String[] names = ClientCertificates.cardHolderNames(certificate).orElse(new String[] {"", ""});
        requireGood(certificate, hierarchy.personnes());
        return new VerifiedCard(holder, names[0], names[1], hierarchy.environment(),
                PlatformTrust.fingerprint(certificate));
    }

    private void requireGood(X509Certificate certificate, X509Certificate issuer) {
        RevocationStatus status = revocation.status(certificate, issuer);
        switch (status.state()) {
            case GOOD -> {
            }
            case REVOKED -> throw new VerificationException(VerificationFailure.REVOKED,
                    "certificate revoked at " + status.revokedAt());
            case UNKNOWN -> throw new VerificationException(VerificationFailure.STATUS_UNKNOWN,
                    "the platform's responder does not know this certificate");
        }
    }

    /** The hierarchy whose CA of {@code role} signed the certificate (by name and signature). */
    private PlatformTrust.Hierarchy issuingHierarchy(X509Certificate certificate, CaRole role,
                                                     List<Environment> environments) {
        for (Environment environment : environments) {
            PlatformTrust.Hierarchy hierarchy = trust.hierarchy(environment);
            X509Certificate ca = hierarchy.intermediate(role);
            if (ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                try {
                    certificate.verify(ca.getPublicKey());
                    return hierarchy;
                } catch (GeneralSecurityException e) {
                    break;
                }
            }
        }
        throw new VerificationException(VerificationFailure.UNTRUSTED, "certificate not issued by an OpenIGC "
                + role.name() + " CA" + (environments.size() == 1 ? " of " + environments.getFirst() : ""));
    }
}
