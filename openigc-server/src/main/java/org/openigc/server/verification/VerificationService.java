package org.openigc.server.verification;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openigc.ca.CaKey;
import org.openigc.ca.verification.ChainValidator;
import org.openigc.ca.verification.ClientCertificates;
import org.openigc.ca.verification.VerificationException;
import org.openigc.identifiers.IdNatStruct;
import org.openigc.server.authority.CertificateAuthorities;
import org.openigc.server.registry.RegistryService;
import org.openigc.server.registry.Structure;
import org.openigc.server.web.FieldError;
import org.openigc.server.web.ValidationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The relying-party check of DMP-style indirect authentication: chain to an OpenIGC CA, validity, revocation status,
 * key usage for the asked purpose, and with a VIHF the two DMP checks (DOMAIN §5): {@code Identifiant_Structure}
 * equals the certificate's OU exactly, and {@code authorInstitution} belongs to the certificate structure's EJ.
 */
@Service
public class VerificationService {
    static final int MAX_PEM_CHARS = 16 * 1024;
    /** XON form of authorInstitution: {@code name^^^^^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^^<idNatStruct>}. */
    private static final Pattern XON_ID = Pattern.compile("\\^([^\\^&]+)$");

    private final CertificateAuthorities authorities;
    private final RegistryService registry;
    private final JdbcClient jdbc;
    private final Clock clock;

    VerificationService(CertificateAuthorities authorities, RegistryService registry, JdbcClient jdbc, Clock clock) {
        this.authorities = authorities;
        this.registry = registry;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public record Vihf(String identifiantStructure, String authorInstitution) {
    }

    public record Request(String certificate, Vihf vihf, String purpose) {
    }

    public record Check(String name, boolean passed, String message, String messageEn) {
    }

    public record Result(boolean chainValid, String status, String environment, String subject, String serialNumber,
                         List<Check> checks) {
    }

    public Result verify(Request request) {
        X509Certificate certificate = parse(request.certificate());
        String purpose = request.purpose() == null ? "clientAuth" : request.purpose();
        if (!List.of("clientAuth", "serverAuth", "emailProtection").contains(purpose)) {
            throw new ValidationException(FieldError.of("purpose", "verification.purpose",
                    "purpose is clientAuth, serverAuth or emailProtection"));
        }
        Instant now = clock.instant();
        List<Check> checks = new ArrayList<>();
        Optional<CaKey> issuer = authorities.all().stream()
                .filter(ca -> ca.certificate().getSubjectX500Principal().equals(certificate.getIssuerX500Principal()))
                .findFirst();
        boolean chainValid = false;
        if (issuer.isPresent()) {
            CaKey ca = issuer.get();
            try {
                ChainValidator.validate(certificate, ca.certificate(), ca.chain().getLast(), now);
                chainValid = true;
            } catch (VerificationException e) {
                chainValid = false;
            }
        }
        checks.add(chainValid
                ? new Check("chain", true, "chaîne valide jusqu'à " + issuer.get().chain().getLast().getSubjectX500Principal().getName(),
                        "chain valid up to " + issuer.get().chain().getLast().getSubjectX500Principal().getName())
                : new Check("chain", false, "le certificat ne chaîne pas vers une AC OpenIGC",
                        "the certificate does not chain to an OpenIGC CA"));
        boolean inValidity = !now.isBefore(certificate.getNotBefore().toInstant()) && now.isBefore(certificate.getNotAfter().toInstant());
        checks.add(new Check("validity", inValidity,
                inValidity ? "dans sa période de validité" : "hors de sa période de validité (" + certificate.getNotAfter().toInstant() + ")",
                inValidity ? "within its validity period" : "outside its validity period (" + certificate.getNotAfter().toInstant() + ")"));
        String status = "UNKNOWN";
        if (chainValid) {
            status = jdbc.sql("select status from certificate where serial_number = :serial and ca_name = :ca")
                    .param("serial", certificate.getSerialNumber().toString(16)).param("ca", issuer.get().name())
                    .query(String.class).optional().map(s -> s.equals("ACTIVE") ? (inValidity ? "GOOD" : "EXPIRED") : s)
                    .orElse("UNKNOWN");
        }
        boolean good = "GOOD".equals(status);
        checks.add(new Check("revocation", good,
                good ? "non révoqué" : "statut : " + status, good ? "not revoked" : "status: " + status));
        boolean usageOk = usageFits(certificate, purpose);
        checks.add(new Check("keyUsage", usageOk,
                usageOk ? "usage de clé adapté à " + purpose : "usage de clé inadapté à " + purpose,
                usageOk ? "key usage fits " + purpose : "key usage does not fit " + purpose));
        if (request.vihf() != null) {
            checks.addAll(dmpChecks(certificate, request.vihf()));
        }
        return new Result(chainValid, status, issuer.map(ca -> authorities.environmentOf(ca.name()).name()).orElse(null),
                certificate.getSubjectX500Principal().getName(), certificate.getSerialNumber().toString(16), checks);
    }

    private List<Check> dmpChecks(X509Certificate certificate, Vihf vihf) {
        List<Check> checks = new ArrayList<>();
        String ou;
        try {
            ou = ClientCertificates.organisationOf(certificate).format();
        } catch (RuntimeException e) {
            ou = null;
        }
        boolean sameStructure = ou != null && ou.equals(vihf.identifiantStructure());
        checks.add(new Check("vihf.identifiantStructure", sameStructure,
                sameStructure ? "Identifiant_Structure identique à l'OU du certificat (" + ou + ")"
                        : "Identifiant_Structure « " + vihf.identifiantStructure() + " » différent de l'OU du certificat « " + ou + " »",
                sameStructure ? "Identifiant_Structure equals the certificate's OU (" + ou + ")"
                        : "Identifiant_Structure '" + vihf.identifiantStructure() + "' differs from the certificate's OU '" + ou + "'"));
        if (vihf.authorInstitution() != null) {
            Optional<Structure> author = authorStructure(vihf.authorInstitution());
            Optional<Structure> holder = ou == null ? Optional.empty() : registry.structureByIdNatStruct(ou);
            boolean sameEj = author.isPresent() && holder.isPresent()
                    && registry.ejOf(author.get()).id().equals(registry.ejOf(holder.get()).id());
            checks.add(new Check("vihf.authorInstitution", sameEj,
                    sameEj ? "l'établissement auteur appartient à l'entité juridique du certificat"
                            : author.isEmpty() ? "établissement auteur inconnu : " + vihf.authorInstitution()
                            : "l'établissement auteur n'appartient pas à l'entité juridique du certificat",
                    sameEj ? "the author institution belongs to the certificate's legal entity"
                            : author.isEmpty() ? "unknown author institution: " + vihf.authorInstitution()
                            : "the author institution does not belong to the certificate's legal entity"));
        }
        return checks;
    }

    /** A FINESS (9 chars), an idNatStruct (1+FINESS) or the XON form ending with the idNatStruct. */
    private Optional<Structure> authorStructure(String value) {
        String id = value.strip();
        Matcher xon = XON_ID.matcher(id);
        if (id.contains("^") && xon.find()) {
            id = xon.group(1);
        }
        if (id.length() == 9) {
            return registry.structureByFiness(id);
        }
        try {
            return registry.structureByIdNatStruct(IdNatStruct.parse(id).format());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean usageFits(X509Certificate certificate, String purpose) {
        try {
            List<String> ekus = certificate.getExtendedKeyUsage();
            String oid = switch (purpose) {
                case "serverAuth" -> "1.3.6.1.5.5.7.3.1";
                case "emailProtection" -> "1.3.6.1.5.5.7.3.4";
                default -> "1.3.6.1.5.5.7.3.2";
            };
            boolean[] keyUsage = certificate.getKeyUsage();
            boolean signs = keyUsage != null && (keyUsage[0] || keyUsage[1]);
            return ekus != null && ekus.contains(oid) && signs;
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static X509Certificate parse(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new ValidationException(FieldError.of("certificate", "verification.required", "a PEM certificate is required"));
        }
        if (pem.length() > MAX_PEM_CHARS) {
            throw new ValidationException(FieldError.of("certificate", "verification.tooLarge", "the certificate is too large"));
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.strip().getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | RuntimeException e) {
            throw new ValidationException(FieldError.of("certificate", "verification.unparsable",
                    "the certificate is not a readable PEM X.509 certificate"));
        }
    }
}
