package org.openigc.server.certificates;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.openigc.ca.CaException;
import org.openigc.ca.CaRole;
import org.openigc.ca.CertificateFormats;
import org.openigc.ca.CheckedCsr;
import org.openigc.ca.CsrChecker;
import org.openigc.ca.Environment;
import org.openigc.ca.IssuanceRequest;
import org.openigc.ca.KeyAlgorithm;
import org.openigc.ca.Offer;
import org.openigc.ca.ProfileId;
import org.openigc.ca.SubjectData;
import org.openigc.ca.Usage;
import org.openigc.identifiers.Departements;
import org.openigc.server.audit.AuditTrail;
import org.openigc.server.authority.CertificateAuthorities;
import org.openigc.server.authority.CertificateDigests;
import org.openigc.server.authority.Channel;
import org.openigc.server.authority.IssuanceService;
import org.openigc.server.authority.IssuedCertificate;
import org.openigc.server.authority.OrderedProduct;
import org.openigc.server.certificates.CertificateEvents.CertificateIssued;
import org.openigc.server.certificates.CertificateEvents.CertificateRevoked;
import org.openigc.server.certificates.CertificateRepository.KeyState;
import org.openigc.server.certificates.CertificateRepository.Stored;
import org.openigc.server.certificates.StructureDirectory.Mandate;
import org.openigc.server.certificates.StructureDirectory.OrderingStructure;
import org.openigc.server.database.DeferredWrites;
import org.openigc.server.database.RoundTrip;
import org.openigc.server.mail.MailOutbox;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;

/**
 * Ordering, retrieval, renewal and revocation of certificates (the portal's DEMANDER / RETIRER / SUIVRE / RÉVOQUER).
 * Each public method is one transaction: the order is checked completely first, then issued, recorded, audited
 * and its mail queued together, so a refusal or failure leaves no row, no serial and no mail.
 */
@Service
public class CertificateService {
    /** RFC 5280 reasons offered to users (certificateHold is not used). */
    public static final List<String> REASONS = List.of("unspecified", "keyCompromise", "affiliationChanged",
            "superseded", "cessationOfOperation");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,189}\\.[A-Za-z]{2,24}");
    private static final int MAX_PAGE_SIZE = 200;
    private static final DateTimeFormatter MAIL_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm")
            .withZone(java.time.ZoneId.of("Europe/Paris"));
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final CertificateRepository repository;
    private final StructureDirectory directory;
    private final IssuanceService issuance;
    private final CertificateAuthorities authorities;
    private final AuditTrail audit;
    private final MailOutbox mail;
    private final ApplicationEventPublisher events;
    private final Pkcs12Downloads downloads;
    private final Clock clock;
    // user-chosen codes: salted, keyed and stretched (see RevocationCodes), and attempts are rate-limited below
    private final RevocationCodes codes;
    private final DeferredWrites writes;
    private final AttemptLimiter revocationAttemptsBySerial;
    private final AttemptLimiter revocationAttemptsByClient;

    CertificateService(CertificateRepository repository, StructureDirectory directory, IssuanceService issuance,
                       CertificateAuthorities authorities, AuditTrail audit, MailOutbox mail,
                       ApplicationEventPublisher events, Pkcs12Downloads downloads, Clock clock,
                       RevocationCodes codes, DeferredWrites writes) {
        this.codes = codes;
        this.writes = writes;
        this.repository = repository;
        this.directory = directory;
        this.issuance = issuance;
        this.authorities = authorities;
        this.audit = audit;
        this.mail = mail;
        this.events = events;
        this.downloads = downloads;
        this.clock = clock;
        this.revocationAttemptsBySerial = new AttemptLimiter(5, Duration.ofMinutes(1), clock);
        this.revocationAttemptsByClient = new AttemptLimiter(20, Duration.ofMinutes(1), clock);
    }

    /** What a validated order resolved to, before anything is written. */
    private record Resolved(Environment environment, ProfileId profile, OrderingStructure structure,
                            List<String> dnsNames, String actorEmail, String ccEmail, String revocationCode) {
    }

    /** {@code csr}: the checked request when the key came in a CSR (its key structure goes into the certificate). */
    private record Key(PublicKey publicKey, KeyPair generated, KeyAlgorithm algorithm, char[] password, CheckedCsr csr) {
    }

    /**
     * A CSR read before the order's registry reads, so that its key check (one key, one certificate) goes to the
     * database in their round trip: either the checked CSR or why it was refused, and the key state once read.
     */
    private record KeyAhead(CheckedCsr checked, CaException refused, AtomicReference<KeyState> state) {
        /** Null unless a CSR alone is given (online generation, or both, or neither, is {@link #key}'s to judge). */
        static KeyAhead of(String csr, OrderRequest.GenerateKey generateKey) {
            if (csr == null || csr.isBlank() || generateKey != null) {
                return null;
            }
            try {
                return new KeyAhead(CsrChecker.check(csr.getBytes(StandardCharsets.US_ASCII)), null, new AtomicReference<>());
            } catch (CaException e) {
                return new KeyAhead(null, e, new AtomicReference<>());
            }
        }

        String keyDigest() {
            return CertificateDigests.publicKey(checked.publicKey());
        }

        List<RoundTrip.Statement> statements(CertificateRepository repository, Instant now) {
            return checked == null ? List.of() : repository.lockedKeyStateStatements(keyDigest(), now, state::set);
        }
    }

    @Transactional
    public CertificateView order(Requester requester, OrderRequest request) {
        return order(requester, request, Channel.PORTAL);
    }

    /** An order through the portal's pages ({@link Channel#PORTAL}) or the REST API ({@link Channel#API}). */
    @Transactional
    public CertificateView order(Requester requester, OrderRequest request, Channel channel) {
        directory.memoizeReadsInThisTransaction();
        // the certificate, its mail and its audit event go to the database together, at the commit
        writes.deferUntilCommit(TransactionAspectSupport.currentTransactionStatus());
        List<FieldViolation> violations = new ArrayList<>();
        KeyAhead ahead = KeyAhead.of(request.csr(), request.generateKey());
        Resolved resolved = resolve(requester, request, violations, false, ahead);
        Key key = resolved == null ? null : key(request.csr(), request.generateKey(), violations, false, ahead);
        if (!violations.isEmpty()) {
            throw OrderException.invalid(violations);
        }
        return issue(requester, resolved, request.serviceApplicatif(), key, null, channel);
    }

    /**
     * EST/ACME issuance: the same checks as a portal order (mandate of {@code requester}, naming rules, CSR, one key
     * one certificate), recorded with {@code channel}. Terms were accepted when the token or credential was created;
     * no revocation code is chosen (a random one is stored).
     */
    @Transactional
    public CertificateView issueForAutomation(Requester requester, OrderRequest request, Channel channel) {
        directory.memoizeReadsInThisTransaction();
        OrderRequest automated = new OrderRequest(request.environment(), request.offer(), request.usage(),
                request.structure(), request.serviceApplicatif(), request.dnsNames(), request.actorEmail(),
                request.ccEmail(), request.csr(), null, true, UUID.randomUUID().toString());
        List<FieldViolation> violations = new ArrayList<>();
        KeyAhead ahead = KeyAhead.of(automated.csr(), null);
        Resolved resolved = resolve(requester, automated, violations, false, ahead);
        Key key = resolved == null ? null : key(automated.csr(), null, violations, false, ahead);
        if (!violations.isEmpty()) {
            throw OrderException.invalid(violations);
        }
        return issue(requester, resolved, automated.serviceApplicatif(), key, null, channel);
    }

    /**
     * EST re-enrollment: renews the ACTIVE certificate {@code presented} (same product, new key from {@code csrPem}),
     * under the mandate of whoever ordered it. Refused when revoked, expired or unknown.
     */
    @Transactional
    public CertificateView renewForAutomation(X509Certificate presented, String csrPem, Channel channel) {
        return renewForAutomation(presented, csrPem, channel, null, null);
    }

    /**
     * As {@link #renewForAutomation(X509Certificate, String, Channel)}, for a certificate that must be of this
     * environment and profile (the EST label it re-enrolls under): checked before anything is issued.
     */
    @Transactional
    public CertificateView renewForAutomation(X509Certificate presented, String csrPem, Channel channel,
                                              String environment, String profile) {
        directory.memoizeReadsInThisTransaction();
        String serial = presented.getSerialNumber().toString(16);
        Stored old = repository.findBySerialForUpdate(serial)
                .filter(s -> s.der() != null && java.util.Arrays.equals(s.der(), encoded(presented)))
                .filter(s -> s.structureId() != null)
                .orElseThrow(OrderException::notFound);
        if ((environment != null && !environment.equals(old.environment()))
                || (profile != null && !profile.equals(old.profile()))) {
            throw OrderException.invalid("certificate", "otherLabel",
                    "the client certificate is a " + old.environment() + " " + old.profile() + " certificate");
        }
        if (!"ACTIVE".equals(old.effectiveStatus(clock.instant()))) {
            throw OrderException.conflict("notActive", "certificate is " + old.effectiveStatus(clock.instant())
                    + ": it cannot be renewed");
        }
        Requester requester = new Requester(old.requestedBy(), channel.name(), true, false);
        OrderRequest again = new OrderRequest(old.environment(), old.offer(), old.usage(),
                directory.byId(old.structureId()).map(OrderingStructure::idNatStruct).orElse(null),
                old.serviceApplicatif(), old.dnsNames(), old.actorEmail(), old.ccEmail(), csrPem, null, true,
                UUID.randomUUID().toString());
        List<FieldViolation> violations = new ArrayList<>();
        Resolved resolved = resolve(requester, again, violations);
        Key key = resolved == null ? null : key(csrPem, null, violations);
        if (key != null && CertificateDigests.publicKey(key.publicKey())
                .equals(CertificateDigests.publicKey(old.certificate().getPublicKey()))) {
            violations.add(new FieldViolation("csr", "sameKey", "un renouvellement demande une nouvelle clé"));
        }
        if (!violations.isEmpty()) {
            throw OrderException.invalid(violations);
        }
        return issue(requester, resolved, old.serviceApplicatif(), key, old.id(), channel);
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            return new byte[0];
        }
    }

    /** The certificate and its chain (issuing CA, root) of a certificate issued through a channel. */
    public List<X509Certificate> chainForAutomation(UUID id) {
        Stored stored = repository.find(id).orElseThrow(OrderException::notFound);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(stored.certificate());
        authorities.byName(stored.caName()).ifPresent(ca -> chain.addAll(ca.chain()));
        return chain;
    }

    @Transactional
    public CertificateView renew(Requester requester, UUID id, RenewalRequest request) {
        return renew(requester, id, request, Channel.PORTAL);
    }

    @Transactional
    public CertificateView renew(Requester requester, UUID id, RenewalRequest request, Channel channel) {
        directory.memoizeReadsInThisTransaction();
        Stored old = repository.findForUpdate(id).filter(c -> visible(requester, c)).orElseThrow(OrderException::notFound);
        if (!"ACTIVE".equals(old.effectiveStatus(clock.instant()))) {
            throw OrderException.conflict("notActive", "EXPIRED".equals(old.effectiveStatus(clock.instant()))
                    ? "ce certificat a expiré : il ne peut plus être renouvelé, passez une nouvelle commande"
                    : "ce certificat est révoqué : il ne peut plus être renouvelé, passez une nouvelle commande");
        }
        OrderRequest again = new OrderRequest(old.environment(), old.offer(), old.usage(),
                directory.byId(old.structureId()).map(OrderingStructure::idNatStruct).orElse(null),
                old.serviceApplicatif(), old.dnsNames(), old.actorEmail(), old.ccEmail(), request.csr(),
                request.generateKey(), request.termsAccepted(), request.revocationCode());
        List<FieldViolation> violations = new ArrayList<>();
        Resolved resolved = resolve(requester, again, violations);
        if (violations.stream().anyMatch(v -> v.field().equals("structure") && v.code().equals("notHabilitated"))) {
            // a caller who sees the certificate (legal representative, operator) but holds no mandate to renew it
            throw new OrderException(OrderException.Kind.FORBIDDEN, List.of(new FieldViolation("structure",
                    "notHabilitated", "seul un administrateur habilité pour cette structure et cette offre renouvelle")));
        }
        Key key = resolved == null ? null : key(request.csr(), request.generateKey(), violations);
        if (key != null && CertificateDigests.publicKey(key.publicKey())
                .equals(CertificateDigests.publicKey(old.certificate().getPublicKey()))) {
            violations.add(new FieldViolation("csr", "sameKey", "un renouvellement demande une nouvelle clé"));
        }
        if (!violations.isEmpty()) {
            throw OrderException.invalid(violations);
        }
        return issue(requester, resolved, old.serviceApplicatif(), key, old.id(), channel);
    }

    private CertificateView issue(Requester requester, Resolved order, String serviceApplicatif, Key key, UUID renews,
                                  Channel channel) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        OrderingStructure structure = order.structure();
        String stLabel = Departements.stLabel(structure.departement());
        SubjectData subject = SubjectData.organisation(serviceApplicatif, structure.idNatStruct(), structure.name(),
                stLabel);
        IssuanceRequest issuanceRequest = key.csr() != null ? IssuanceRequest.of(key.csr(), subject, now)
                : IssuanceRequest.of(key.publicKey(), subject, now);
        if (order.profile().usage() == Usage.SSL_SERVEUR) {
            issuanceRequest = issuanceRequest.withDnsNames(order.dnsNames());
        }
        String offer = order.profile().offer().name();
        String usage = order.profile().usage().name();
        String codeHash = codes.encode(order.revocationCode());
        IssuedCertificate issued;
        try {
            // the order's columns go in with the certificate: one insert, no later update of the row
            issued = issuance.issue(order.environment(), order.profile(), issuanceRequest, channel,
                    new OrderedProduct(structure.id(), offer, usage, serviceApplicatif, order.dnsNames(),
                            order.actorEmail(), order.ccEmail(), requester.personId(), codeHash, now, renews,
                            key.generated() != null));
        } catch (CaException e) {
            throw OrderException.invalid("serviceApplicatif", e.errorCode().code(), e.getMessage());
        }
        // the row exactly as just inserted (not read back): a new certificate has no successor and no revocation
        Stored stored = new Stored(issued.id(), issued.serialNumber(), "ACTIVE", order.environment().name(), offer,
                usage, order.profile().name(), structure.id(), serviceApplicatif, order.dnsNames(), issued.subject(),
                now, issued.notAfter(), issued.fingerprint(), order.actorEmail(), order.ccEmail(), renews, null, null,
                null, channel.name(), issued.caName(), requester.personId(), codeHash, issued.der());
        Map<String, String> details = new HashMap<>();
        details.put("serial", issued.serialNumber());
        details.put("profile", order.profile().name());
        details.put("environment", order.environment().name());
        details.put("structure", structure.idNatStruct());
        if (renews != null) {
            details.put("renews", renews.toString());
        }
        events.publishEvent(new CertificateIssued(issued.id(), issued.caName(), issued.serialNumber(),
                issued.notAfter()));
        Map<String, Object> model = mailModel(stored, structure);
        model.put("renewal", renews != null);
        mail.enqueue("certificate-issued", model, List.of(order.actorEmail()),
                order.ccEmail() == null ? List.of() : List.of(order.ccEmail()), Locale.FRENCH);
        CertificateView view = view(stored, structure.name());
        if (key.generated() != null) {
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(issued.certificate());
            chain.addAll(authorities.issuerOf(order.environment(), order.profile()).chain());
            byte[] p12 = CertificateFormats.pkcs12(key.generated().getPrivate(), chain, key.password(),
                    serviceApplicatif);
            String token = downloads.hold(issued.id(), requester.personId(), pkcs12FileName(order, now), p12);
            view = view.withPkcs12("/api/v1/certificates/" + issued.id() + "/pkcs12/" + token);
        }
        // the audit event commits (as pending) with the certificate; the chainer links it right after the commit
        audit.record(renews == null ? "certificate.issued" : "certificate.renewed", "certificate",
                issued.id().toString(), details);
        return view;
    }

    /** {@code <operator>-p12-EL-<ENV>-<OFFER>-<USAGE>-<date>-<time>.p12}, as the national portal names them. */
    private String pkcs12FileName(Resolved order, Instant now) {
        return "OPENIGC-p12-EL-" + (order.environment() == Environment.TEST ? "TEST" : "PROD") + "-"
                + order.profile().offer() + "-" + order.profile().usage() + "-" + FILE_TIME.format(now) + ".p12";
    }

    private Resolved resolve(Requester requester, OrderRequest request, List<FieldViolation> violations) {
        return resolve(requester, request, violations, false, null);
    }

    private Resolved resolve(Requester requester, OrderRequest request, List<FieldViolation> violations, boolean draft) {
        return resolve(requester, request, violations, draft, null);
    }

    /**
     * {@code draft}: the wizard's review step, before the terms and the revocation code are asked for.
     * {@code ahead}: a CSR read before the registry, whose key check then goes to the database with the registry reads.
     */
    private Resolved resolve(Requester requester, OrderRequest request, List<FieldViolation> violations, boolean draft,
                             KeyAhead ahead) {
        Environment environment = parse(Environment.class, request.environment(), "environment", violations);
        Offer offer = parse(Offer.class, request.offer(), "offer", violations);
        Usage usage = parse(Usage.class, request.usage(), "usage", violations);
        if (offer == Offer.CPX) {
            violations.add(new FieldViolation("offer", "notOrderable", "les certificats de carte ne se commandent pas ici"));
            return null;
        }
        ProfileId profile = offer == null || usage == null ? null : ProfileId.of(offer, usage).orElse(null);
        if (offer != null && usage != null && profile == null) {
            violations.add(new FieldViolation("usage", "notForOffer", "l'usage " + usage + " n'existe pas pour l'offre " + offer));
        }
        if (environment == Environment.TEST && !requester.cardLogin()) {
            violations.add(new FieldViolation("environment", "cardLoginRequired",
                    "les certificats de TEST ne se commandent qu'après une connexion par carte"));
        }
        if (!draft && !Boolean.TRUE.equals(request.termsAccepted())) {
            violations.add(new FieldViolation("termsAccepted", "required",
                    "acceptez les conditions générales et la politique de certification"));
        }
        String code = request.revocationCode();
        if (!draft && (code == null || code.length() < 8 || code.length() > 64)) {
            violations.add(new FieldViolation("revocationCode", "length",
                    "choisissez un code de révocation de 8 à 64 caractères ; il permet de révoquer sans connexion"));
        }
        String actorEmail = request.actorEmail();
        if (actorEmail == null || !EMAIL.matcher(actorEmail).matches()) {
            violations.add(new FieldViolation("actorEmail", "email", "l'adresse e-mail de l'acteur est obligatoire et doit être valide"));
        }
        String ccEmail = request.ccEmail() == null || request.ccEmail().isBlank() ? null : request.ccEmail();
        if (ccEmail != null && !EMAIL.matcher(ccEmail).matches()) {
            violations.add(new FieldViolation("ccEmail", "email", "l'adresse e-mail à informer n'est pas valide"));
        }
        directory.prefetchOrderReads(requester.personId(), request.structure(),
                ahead == null ? List.of() : ahead.statements(repository, clock.instant()));
        OrderingStructure structure = request.structure() == null ? null
                : directory.byIdNatStruct(request.structure()).orElse(null);
        Mandate mandate = structure == null || offer == null ? null
                : directory.mandate(requester.personId(), structure.id(), offer == Offer.PRO ? Offer.PRO : offer).orElse(null);
        if (structure == null || (mandate == null && offer != null)) {
            // unknown and not-habilitated answer alike: nothing tells whether a foreign structure exists
            violations.add(new FieldViolation("structure", "notHabilitated",
                    "vous n'êtes pas habilité pour cette structure et cette offre (formulaire 413)"));
            return null;
        }
        if (structure.legalEntity() && structure.hasGeographicEntities() && !structure.mayOrderUnderEj()) {
            violations.add(new FieldViolation("structure", "orderUnderEg",
                    "cette entité juridique commande ses certificats au FINESS de chaque entité géographique"));
        }
        if (!structure.liberal() && !structure.hasActiveContract()) {
            violations.add(new FieldViolation("structure", "contractRequired",
                    "la structure n'a pas de contrat d'adhésion en cours avec l'Agence"));
        }
        List<String> dnsNames = List.of();
        if (profile != null) {
            List<String> names = request.dnsNames() == null ? List.of() : request.dnsNames();
            violations.addAll(NamingRules.check(profile, request.serviceApplicatif(), names,
                    mandate == null ? List.of() : mandate.sslDomains(),
                    mandate == null ? List.of() : mandate.mailDomains()));
            if (profile.usage() == Usage.SSL_SERVEUR) {
                dnsNames = names.isEmpty() ? List.of(request.serviceApplicatif()) : List.copyOf(names);
            } else if (!names.isEmpty()) {
                violations.add(new FieldViolation("dnsNames", "notAllowed", "seuls les certificats SSL serveur portent des noms DNS"));
            }
        }
        if (profile == null || environment == null) {
            return null;
        }
        return new Resolved(environment, profile, structure, dnsNames, actorEmail, ccEmail, code);
    }

    private Key key(String csr, OrderRequest.GenerateKey generateKey, List<FieldViolation> violations) {
        return key(csr, generateKey, violations, false, null);
    }

    private Key key(String csr, OrderRequest.GenerateKey generateKey, List<FieldViolation> violations, boolean draft) {
        return key(csr, generateKey, violations, draft, null);
    }

    /**
     * {@code draft}: checks the CSR or the algorithm only; no key pair is generated and no password is asked yet.
     * {@code ahead}: the same CSR already read (and its key state, if the registry's round trip carried it).
     */
    private Key key(String csr, OrderRequest.GenerateKey generateKey, List<FieldViolation> violations, boolean draft,
                    KeyAhead ahead) {
        if ((csr == null || csr.isBlank()) == (generateKey == null)) {
            violations.add(new FieldViolation("csr", "csrOrGenerateKey",
                    "fournissez soit une requête de certificat (CSR), soit une génération de clé en ligne"));
            return null;
        }
        if (generateKey != null) {
            KeyAlgorithm algorithm = parse(KeyAlgorithm.class, generateKey.algorithm(), "generateKey.algorithm", violations);
            if (draft) {
                return algorithm == null ? null : new Key(null, null, algorithm, null, null);
            }
            String password = generateKey.password();
            if (password == null || password.length() < 12 || password.length() > 128) {
                violations.add(new FieldViolation("generateKey.password", "length",
                        "le mot de passe du fichier PKCS#12 compte de 12 à 128 caractères"));
            }
            if (algorithm == null || !violations.isEmpty()) {
                return null;
            }
            KeyPair pair = algorithm.generate();
            return new Key(pair.getPublic(), pair, algorithm, password.toCharArray(), null);
        }
        KeyAhead read = ahead != null ? ahead : KeyAhead.of(csr, null);
        if (read.refused() != null) {
            violations.add(new FieldViolation("csr", read.refused().errorCode().code(), CsrMessages.french(read.refused())));
            return null;
        }
        CheckedCsr checked = read.checked();
        KeyState state = read.state().get();
        switch (state != null ? state : draft ? repository.keyState(read.keyDigest(), clock.instant())
                : repository.lockedKeyState(read.keyDigest(), clock.instant())) {
            case IN_USE -> violations.add(new FieldViolation("csr", "keyInUse",
                    "cette clé est déjà certifiée par un autre certificat actif : une clé, un certificat"));
            case REVOKED -> violations.add(new FieldViolation("csr", "keyRevoked",
                    "cette clé appartient à un certificat révoqué"));
            case FREE -> {
            }
        }
        return new Key(checked.publicKey(), null, null, null, checked);
    }

    /**
     * What the wizard's confirmation step shows: the order fully checked (structure, mandate, naming rules, contacts,
     * CSR or algorithm) but nothing issued, stored, reserved or mailed. The terms, the revocation code and the
     * PKCS#12 password are asked on the confirmation page itself, so the pending draft holds no secret.
     */
    public record Preview(String environment, String offer, String usage, String profile, String structureName,
                          String idNatStruct, String serviceApplicatif, List<String> dnsNames, String actorEmail,
                          String ccEmail, String subject, String keyDescription, boolean generateKey,
                          UUID renews, String renewsSerial) implements java.io.Serializable {
    }

    public Preview preview(Requester requester, OrderRequest request) {
        List<FieldViolation> violations = new ArrayList<>();
        Resolved resolved = resolve(requester, request, violations, true);
        Key key = resolved == null ? null : key(request.csr(), request.generateKey(), violations, true);
        if (!violations.isEmpty()) {
            throw OrderException.invalid(violations);
        }
        return preview(resolved, request.serviceApplicatif(), request.csr(), key, null);
    }

    public Preview previewRenewal(Requester requester, UUID id, RenewalRequest request) {
        Stored old = repository.find(id).filter(c -> visible(requester, c)).orElseThrow(OrderException::notFound);
        if (!"ACTIVE".equals(old.effectiveStatus(clock.instant()))) {
            throw OrderException.conflict("notActive", "EXPIRED".equals(old.effectiveStatus(clock.instant()))
                    ? "ce certificat a expiré : il ne peut plus être renouvelé, passez une nouvelle commande"
                    : "ce certificat est révoqué : il ne peut plus être renouvelé, passez une nouvelle commande");
        }
        OrderRequest again = new OrderRequest(old.environment(), old.offer(), old.usage(),
                directory.byId(old.structureId()).map(OrderingStructure::idNatStruct).orElse(null),
                old.serviceApplicatif(), old.dnsNames(), old.actorEmail(), old.ccEmail(), request.csr(),
                request.generateKey(), null, null);
        List<FieldViolation> violations = new ArrayList<>();
        Resolved resolved = resolve(requester, again, violations, true);
        Key key = resolved == null ? null : key(request.csr(), request.generateKey(), violations, true);
        if (key != null && key.publicKey() != null && CertificateDigests.publicKey(key.publicKey())
                .equals(CertificateDigests.publicKey(old.certificate().getPublicKey()))) {
            violations.add(new FieldViolation("csr", "sameKey", "un renouvellement demande une nouvelle clé"));
        }
        if (!violations.isEmpty()) {
            throw OrderException.invalid(violations);
        }
        return preview(resolved, old.serviceApplicatif(), request.csr(), key, old);
    }

    private Preview preview(Resolved order, String serviceApplicatif, String csr, Key key, Stored renews) {
        OrderingStructure structure = order.structure();
        String subject = new org.bouncycastle.asn1.x500.X500NameBuilder(org.bouncycastle.asn1.x500.style.BCStyle.INSTANCE)
                .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.C, "FR")
                .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.ST, Departements.stLabel(structure.departement()))
                .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.O, structure.name())
                .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.OU, structure.idNatStruct())
                .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, serviceApplicatif).build().toString();
        boolean generate = key.generated() == null && key.publicKey() == null;
        String keyDescription = generate ? key.algorithm().name()
                : CsrChecker.check(csr.getBytes(StandardCharsets.US_ASCII)).keyDescription();
        return new Preview(order.environment().name(), order.profile().offer().name(), order.profile().usage().name(),
                order.profile().name(), structure.name(), structure.idNatStruct(), serviceApplicatif,
                order.profile().usage() == Usage.SSL_SERVEUR ? order.dnsNames() : List.of(), order.actorEmail(),
                order.ccEmail(), subject, keyDescription, generate, renews == null ? null : renews.id(),
                renews == null ? null : renews.serialNumber());
    }

    /** The result of checking a CSR alone, as the wizard's "check my CSR" button shows it. */
    public record CsrCheck(String keyDescription, List<FieldViolation> violations) {
    }

    /** Checks a CSR exactly as an order would (format, signature, key, one key one certificate), writing nothing. */
    public CsrCheck checkCsr(String csr) {
        List<FieldViolation> violations = new ArrayList<>();
        if (csr == null || csr.isBlank()) {
            violations.add(new FieldViolation("csr", "required", "collez ou déposez une requête de certificat (CSR)"));
            return new CsrCheck(null, violations);
        }
        Key key = key(csr, null, violations);
        String description = null;
        if (key != null && violations.isEmpty()) {
            description = CsrChecker.check(csr.getBytes(StandardCharsets.US_ASCII)).keyDescription();
        }
        return new CsrCheck(description, violations);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String field, List<FieldViolation> violations) {
        if (value == null || value.isBlank()) {
            violations.add(new FieldViolation(field, "required", "champ obligatoire"));
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            violations.add(new FieldViolation(field, "oneOf", "valeurs possibles : " + List.of(type.getEnumConstants())));
            return null;
        }
    }

    public CertificateView get(Requester requester, UUID id) {
        Stored stored = repository.find(id).filter(c -> visible(requester, c)).orElseThrow(OrderException::notFound);
        return view(stored, structureName(stored.structureId()));
    }

    /** The certificate itself, for downloads. */
    public X509Certificate certificate(Requester requester, UUID id) {
        return repository.find(id).filter(c -> visible(requester, c)).orElseThrow(OrderException::notFound).certificate();
    }

    /** The certificate followed by its issuing CA and root. */
    public List<X509Certificate> chain(Requester requester, UUID id) {
        Stored stored = repository.find(id).filter(c -> visible(requester, c)).orElseThrow(OrderException::notFound);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(stored.certificate());
        authorities.byName(stored.caName()).ifPresent(ca -> chain.addAll(ca.chain()));
        return chain;
    }

    public record Pkcs12File(String fileName, byte[] content) {
    }

    /**
     * The one-time PKCS#12 of an online-generated key. Its retrieval is mailed (through the outbox, like every mail)
     * to the certificate's contacts: a key leaving the platform is something they must know about.
     */
    @Transactional
    public Optional<Pkcs12File> takePkcs12(Requester requester, UUID id, String token) {
        Optional<Pkcs12File> file = downloads.take(token, requester.personId()).filter(p -> p.certificateId().equals(id))
                .map(p -> new Pkcs12File(p.fileName(), p.pkcs12()));
        file.flatMap(f -> repository.find(id)).ifPresent(stored -> {
            OrderingStructure structure = directory.byId(stored.structureId()).orElse(null);
            Map<String, Object> model = mailModel(stored, structure);
            model.put("retrievedBy", requester.name() == null ? "" : requester.name());
            model.put("retrievedAtText", MAIL_DATE.format(clock.instant()));
            audit.record("certificate.retrieved", "certificate", stored.id().toString(),
                    Map.of("serial", stored.serialNumber(), "format", "PKCS12"));
            mail.enqueue("certificate-retrieved", model, List.of(stored.actorEmail()),
                    stored.ccEmail() == null ? List.of() : List.of(stored.ccEmail()), Locale.FRENCH);
        });
        return file;
    }

    /**
     * {@code cursor}: the {@code nextCursor} or {@code previousCursor} of a previous page of the same list (keyset
     * pagination, same cost at any depth); {@code page} is the offset alternative, for shallow pages.
     */
    public record Search(String structure, String status, String environment, Integer expiringWithinDays, String q,
                         String sort, Integer page, Integer size, String usage, String cursor) {
        public Search(String structure, String status, String environment, Integer expiringWithinDays, String q,
                      String sort, Integer page, Integer size, String usage) {
            this(structure, status, environment, expiringWithinDays, q, sort, page, size, usage, null);
        }

        public Search(String structure, String status, String environment, Integer expiringWithinDays, String q,
                      String sort, Integer page, Integer size) {
            this(structure, status, environment, expiringWithinDays, q, sort, page, size, null, null);
        }
    }

    /**
     * {@code total} is exact when {@code totalExact}; otherwise the count stopped at its bound (10,000 rows past an
     * offset page, 10,000 rows from the start for a cursor page) and there are at least that many. {@code page} is the
     * page number (for a cursor page, carried by the cursor: a display hint). {@code nextCursor} /
     * {@code previousCursor}: opaque cursors of the adjacent pages (null at either end), {@code next} / {@code previous}
     * the same as links (set by the API).
     */
    public record SearchResult(List<CertificateView> items, long total, int page, int size, boolean totalExact,
                               String nextCursor, String previousCursor, String next, String previous) {
        public SearchResult(List<CertificateView> items, long total, int page, int size, boolean totalExact) {
            this(items, total, page, size, totalExact, null, null, null, null);
        }

        SearchResult withLinks(java.util.function.Function<String, String> link) {
            return new SearchResult(items, total, page, size, totalExact, nextCursor, previousCursor,
                    nextCursor == null ? null : link.apply(nextCursor),
                    previousCursor == null ? null : link.apply(previousCursor));
        }
    }

    /** The repository's filter of a search, and the cursor it continues from (if any). */
    private record Checked(CertificateRepository.Filter filter, TrackingCursor cursor, String fingerprint) {
    }

    /** Checks the filters and turns them into the repository's filter (the visible structures resolved). */
    private CertificateRepository.Filter filter(Requester requester, Search search) {
        return checked(requester, search).filter();
    }

    private Checked checked(Requester requester, Search search) {
        List<FieldViolation> violations = new ArrayList<>();
        if (search.status() != null && !Set.of("ACTIVE", "REVOKED", "EXPIRED").contains(search.status())) {
            violations.add(new FieldViolation("status", "oneOf", "valeurs possibles : ACTIVE, REVOKED, EXPIRED"));
        }
        if (search.environment() != null && !Set.of("TEST", "PRODUCTION").contains(search.environment())) {
            violations.add(new FieldViolation("environment", "oneOf", "valeurs possibles : TEST, PRODUCTION"));
        }
        String usage = search.usage() == null || search.usage().isBlank() ? null : search.usage().strip();
        if (usage != null && Arrays.stream(Usage.values()).noneMatch(u -> u.name().equals(usage))) {
            violations.add(new FieldViolation("usage", "oneOf", "valeurs possibles : " + List.of(Usage.values())));
        }
        if (search.expiringWithinDays() != null && (search.expiringWithinDays() < 0 || search.expiringWithinDays() > 3660)) {
            violations.add(new FieldViolation("expiringWithinDays", "range", "entre 0 et 3660 jours"));
        }
        int page = search.page() == null ? 0 : search.page();
        int size = search.size() == null ? 50 : search.size();
        if (page < 0 || page > 100_000) {
            violations.add(new FieldViolation("page", "range", "la page commence à 0"));
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            violations.add(new FieldViolation("size", "range", "de 1 à " + MAX_PAGE_SIZE + " lignes par page"));
        }
        Optional<CertificateRepository.Sort> sort = search.sort() == null
                ? Optional.of(CertificateRepository.Sort.NOT_AFTER) : CertificateRepository.Sort.of(search.sort());
        if (sort.isEmpty()) {
            violations.add(new FieldViolation("sort", "oneOf", "valeurs possibles : notAfter, -notAfter, serviceApplicatif, -notBefore"));
        }
        // the cursor is bound to its list: same filters (fingerprint) and same sort; never to a scope (the scope of
        // the requester is applied to every query, so another user's cursor shows only what this user may see)
        String fingerprint = TrackingCursor.fingerprint(search.structure() == null || search.structure().isBlank()
                ? null : search.structure().strip(), search.status(), search.environment(), usage,
                search.expiringWithinDays() == null ? null : search.expiringWithinDays().toString(),
                search.q() == null || search.q().isBlank() ? null : search.q());
        TrackingCursor cursor = null;
        if (search.cursor() != null && !search.cursor().isBlank()) {
            cursor = TrackingCursor.decode(search.cursor()).orElse(null);
            if (cursor == null) {
                violations.add(new FieldViolation("cursor", "format",
                        "curseur illisible : utilisez tel quel le nextCursor ou previousCursor d'une page, ou reprenez à la première page"));
            } else if (search.page() != null && search.page() != 0) {
                violations.add(new FieldViolation("cursor", "exclusive",
                        "cursor et page ne se combinent pas : le curseur donne déjà la position"));
            } else if (sort.isPresent() && cursor.sort() != sort.get()) {
                violations.add(new FieldViolation("cursor", "sort",
                        "ce curseur a été fait pour le tri " + cursor.sort().parameter() + " : reprenez à la première page"));
            } else if (!cursor.filters().equals(fingerprint)) {
                violations.add(new FieldViolation("cursor", "filters",
                        "ce curseur a été fait pour d'autres filtres : reprenez à la première page"));
            }
        }
        if (!violations.isEmpty()) {
            throw OrderException.invalid(violations);
        }
        List<UUID> structures = requester.operator() ? null : directory.visibleStructures(requester.personId());
        if (search.structure() != null && !search.structure().isBlank()) {
            Optional<OrderingStructure> one = directory.byIdNatStruct(search.structure());
            UUID wanted = one.map(OrderingStructure::id).orElse(null);
            structures = wanted != null && (structures == null || structures.contains(wanted)) ? List.of(wanted) : List.of();
        }
        CertificateRepository.Keyset after = cursor == null ? null
                : new CertificateRepository.Keyset(cursor.key(), cursor.id(), cursor.backward());
        return new Checked(new CertificateRepository.Filter(structures, search.status(), search.environment(),
                search.expiringWithinDays(), search.q(), search.sort(), cursor == null ? page : cursor.page(), size,
                usage, after), cursor, fingerprint);
    }

    /** Throws the same 400 as {@link #search} for bad filters, without querying. */
    public void checkFilters(Requester requester, Search search) {
        filter(requester, search);
    }

    /**
     * One page of the list, by offset or by cursor. A "previous" cursor that reaches the start of the list gives the
     * first page (full, even if rows were added before the walk's position meanwhile).
     */
    public SearchResult search(Requester requester, Search search) {
        Checked checked = checked(requester, search);
        CertificateRepository.Filter filter = checked.filter();
        CertificateRepository.Sort sort = CertificateRepository.Sort.orDefault(filter.sort());
        Instant now = clock.instant();
        CertificateRepository.Page result = repository.search(filter, now);
        TrackingCursor cursor = checked.cursor();
        int page = filter.page();
        boolean hasPrevious;
        boolean hasNext;
        if (cursor != null && cursor.backward()) {
            if (!result.more()) {
                // nothing before these rows: this is the first page, read as such
                filter = new CertificateRepository.Filter(filter.structures(), filter.status(), filter.environment(),
                        filter.expiringWithinDays(), filter.q(), filter.sort(), 0, filter.size(), filter.usage(), null);
                result = repository.search(filter, now);
                page = 0;
                hasPrevious = false;
                hasNext = result.more();
            } else {
                page = Math.max(page, 1);
                hasPrevious = true;
                hasNext = true;
            }
        } else {
            hasPrevious = cursor != null || page > 0;
            hasNext = result.more();
        }
        List<Stored> rows = result.items();
        String nextCursor = null;
        String previousCursor = null;
        if (hasNext && !rows.isEmpty()) {
            Stored last = rows.getLast();
            nextCursor = new TrackingCursor(false, sort, page + 1, checked.fingerprint(), last.id(), sort.key(last)).encode();
        }
        if (hasPrevious) {
            if (!rows.isEmpty()) {
                Stored first = rows.getFirst();
                previousCursor = new TrackingCursor(true, sort, Math.max(page - 1, 0), checked.fingerprint(), first.id(),
                        sort.key(first)).encode();
            } else if (cursor != null) {
                // an empty page past the end: "previous" reads back from the cursor's own row
                previousCursor = new TrackingCursor(true, sort, Math.max(page - 1, 0), checked.fingerprint(), cursor.id(),
                        cursor.key()).encode();
            }
        }
        Map<UUID, String> names = new HashMap<>();
        List<CertificateView> items = rows.stream()
                .map(s -> listed(s, names.computeIfAbsent(s.structureId(), this::structureName)))
                .toList();
        return new SearchResult(items, result.total(), page, filter.size(), result.exact(), nextCursor, previousCursor,
                null, null);
    }

    /**
     * Every certificate matching {@code search} (pages ignored), in its order, handed to {@code sink} row by row from
     * one streamed query: constant memory whatever the volume. Returns the number of rows.
     */
    @Transactional(readOnly = true)
    public long export(Requester requester, Search search, int maxRows, java.util.function.Consumer<CertificateView> sink) {
        CertificateRepository.Filter filter = filter(requester, new Search(search.structure(), search.status(),
                search.environment(), search.expiringWithinDays(), search.q(), search.sort(), 0, 1, search.usage()));
        Map<UUID, String> names = new HashMap<>();
        return repository.stream(filter, clock.instant(), maxRows,
                s -> sink.accept(listed(s, names.computeIfAbsent(s.structureId(), this::structureName))));
    }

    /** A list row: no certificate body and no PKCS#12 link. */
    private CertificateView listed(Stored s, String structureName) {
        CertificateView v = view(s, structureName);
        return new CertificateView(v.id(), v.serialNumber(), v.status(), v.environment(), v.offer(), v.usage(),
                v.profile(), v.structureId(), v.structure(), v.serviceApplicatif(), v.dnsNames(), v.subject(),
                v.notBefore(), v.notAfter(), v.daysLeft(), v.fingerprint(), v.actorEmail(), v.ccEmail(),
                v.renews(), v.renewedBy(), v.revokedAt(), v.revocationReason(), v.channel(), v.issuer(), null, null);
    }

    @Transactional
    public CertificateView revoke(Requester requester, UUID id, String reason) {
        Stored stored = repository.findForUpdate(id).filter(c -> visible(requester, c)).orElseThrow(OrderException::notFound);
        return revoke(stored, reason, requester.name(), requester.personId() == null ? "anonymous" : requester.personId().toString());
    }

    /** Revocation without login by serial + the revocation code chosen at retrieval (rate-limited). */
    @Transactional(noRollbackFor = OrderException.class)
    public CertificateView revokeWithCode(String serialNumber, String code, String reason, String clientAddress) {
        List<FieldViolation> violations = new ArrayList<>();
        String serial = serialNumber == null ? "" : serialNumber.strip().toLowerCase(Locale.ROOT).replaceFirst("^0+", "");
        if (!serial.matches("[0-9a-f]{1,40}")) {
            violations.add(new FieldViolation("serialNumber", "hex", "le numéro de série est en hexadécimal"));
        }
        if (code == null || code.isEmpty()) {
            violations.add(new FieldViolation("revocationCode", "required", "le code de révocation est obligatoire"));
        }
        if (!violations.isEmpty()) {
            throw OrderException.invalid(violations);
        }
        if (!revocationAttemptsByClient.tryAcquire(clientAddress) || !revocationAttemptsBySerial.tryAcquire(serial)) {
            throw OrderException.tooManyRequests();
        }
        Stored stored = repository.findBySerialForUpdate(serial).filter(s -> s.revocationCodeHash() != null)
                .filter(s -> codes.matches(code, s.revocationCodeHash()))
                .orElseThrow(() -> OrderException.invalid("revocationCode", "mismatch",
                        "numéro de série ou code de révocation incorrect"));
        return revoke(stored, reason, "code", "revocation-code");
    }

    private CertificateView revoke(Stored stored, String reason, String byName, String actor) {
        if (reason == null || !REASONS.contains(reason)) {
            throw OrderException.invalid("reason", "oneOf", "motifs possibles : " + String.join(", ", REASONS));
        }
        if ("REVOKED".equals(stored.status())) {
            throw OrderException.conflict("alreadyRevoked", "ce certificat est déjà révoqué");
        }
        if (!"ACTIVE".equals(stored.effectiveStatus(clock.instant()))) {
            throw OrderException.conflict("expired", "ce certificat a expiré : il n'a plus besoin d'être révoqué");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        repository.revoke(stored.id(), now, reason, actor);
        audit.record("certificate.revoked", "certificate", stored.id().toString(),
                Map.of("serial", stored.serialNumber(), "reason", reason, "by", byName));
        events.publishEvent(new CertificateRevoked(stored.id(), stored.caName(), stored.serialNumber(), now, reason));
        Stored revoked = repository.find(stored.id()).orElseThrow();
        OrderingStructure structure = directory.byId(stored.structureId()).orElse(null);
        Map<String, Object> model = mailModel(revoked, structure);
        model.put("reason", reason);
        mail.enqueue("certificate-revoked", model, List.of(revoked.actorEmail()),
                revoked.ccEmail() == null ? List.of() : List.of(revoked.ccEmail()), Locale.FRENCH);
        return view(revoked, structure == null ? null : structure.name());
    }

    @Scheduled(fixedDelay = 300_000)
    void forgetIdleAttempts() {
        revocationAttemptsBySerial.forgetIdle();
        revocationAttemptsByClient.forgetIdle();
    }

    private boolean visible(Requester requester, Stored certificate) {
        if (certificate.structureId() == null) {
            return false;
        }
        if (requester.operator()) {
            return true;
        }
        return requester.personId() != null && directory.visibleStructures(requester.personId()).contains(certificate.structureId());
    }

    private String structureName(UUID structureId) {
        return structureId == null ? null : directory.byId(structureId).map(OrderingStructure::name).orElse(null);
    }

    private Map<String, Object> mailModel(Stored stored, OrderingStructure structure) {
        Map<String, Object> model = new HashMap<>();
        model.put("serviceApplicatif", stored.serviceApplicatif());
        model.put("structure", structure == null ? "" : structure.name());
        model.put("idNatStruct", structure == null ? "" : structure.idNatStruct());
        model.put("environment", stored.environment());
        model.put("offer", stored.offer());
        model.put("usage", stored.usage());
        model.put("serialNumber", stored.serialNumber());
        model.put("notAfter", stored.notAfter());
        model.put("notAfterText", MAIL_DATE.format(stored.notAfter()));
        model.put("certificateId", stored.id().toString());
        return model;
    }

    CertificateView view(Stored s, String structureName) {
        Instant now = clock.instant();
        String status = s.effectiveStatus(now);
        Long daysLeft = "ACTIVE".equals(status) ? Duration.between(now, s.notAfter()).toDays() : null;
        String issuer = authorities.byName(s.caName()).map(ca -> ca.certificate().getSubjectX500Principal().getName()).orElse(s.caName());
        return new CertificateView(s.id(), s.serialNumber(), status, s.environment(), s.offer(), s.usage(), s.profile(),
                s.structureId(), structureName, s.serviceApplicatif(), s.dnsNames(), s.subject(), s.notBefore(),
                s.notAfter(), daysLeft, s.fingerprint(), s.actorEmail(), s.ccEmail(), s.renews(), s.renewedBy(),
                s.revokedAt(), s.revocationReason(), s.channel(), issuer,
                s.der() == null ? null : CertificateFormats.pem(s.der()), null);
    }

}
