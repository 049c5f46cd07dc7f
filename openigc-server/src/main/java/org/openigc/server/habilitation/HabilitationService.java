package org.openigc.server.habilitation;

import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.openigc.ca.Offer;
import org.openigc.server.audit.AuditTrail;
import org.openigc.server.config.OpenIgcProperties;
import org.openigc.server.mail.MailOutbox;
import org.openigc.server.registry.Person;
import org.openigc.server.registry.RegistryService;
import org.openigc.server.registry.Representative;
import org.openigc.server.registry.RepresentativeRole;
import org.openigc.server.registry.Sector;
import org.openigc.server.registry.Structure;
import org.openigc.server.registry.StructureKind;
import org.openigc.server.security.OpenIgcUser;
import org.openigc.server.web.FieldError;
import org.openigc.server.web.ForbiddenException;
import org.openigc.server.web.NotFoundException;
import org.openigc.server.web.ValidationException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The digital form 413 (SPEC §3.1): submission by a structure's legal representative or mandataire, the operator's
 * instruction (approve / reject / ask for information), resubmission, and what an approval grants.
 *
 * <p>Workflow: an explicit state machine ({@link DossierStatus}, {@link DossierTransition}); each transition method
 * reads the dossier under a row lock, checks the current state (409 otherwise), then changes it, writes the history,
 * the audit event and the mails (outbox) in the same transaction. Bad input changes nothing: every rule is checked
 * first and all broken rules are reported at once ({@link ValidationException}).
 *
 * <p>Authorisation, per dossier and live: a dossier is visible to its submitter, to the administrators it names (by
 * card number), to the structure's current legal representatives and mandataires, and to operators; to anyone else
 * it does not exist (404). Only operators instruct; only the submitter resubmits.
 */
@Service
public class HabilitationService {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final String OBJECT_TYPE = "habilitation-dossier";

    private final RegistryService registry;
    private final HabilitationRepository repository;
    private final AuditTrail audit;
    private final MailOutbox mail;
    private final Clock clock;
    private final String baseUrl;

    HabilitationService(RegistryService registry, HabilitationRepository repository, AuditTrail audit, MailOutbox mail,
                        Clock clock, OpenIgcProperties properties, @Value("${server.port:8443}") int serverPort,
                        @Value("${openigc.habilitation.public-base-url:}") String publicBaseUrl) {
        this.registry = registry;
        this.repository = repository;
        this.audit = audit;
        this.mail = mail;
        this.clock = clock;
        String host = properties.tlsHosts() == null || properties.tlsHosts().isEmpty() ? "localhost" : properties.tlsHosts().getFirst();
        this.baseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? "https://" + host + ":" + serverPort
                : publicBaseUrl.replaceAll("/+$", "");
    }

    /** What a submission answers: {@code 201 {reference, status}}. */
    public record Submitted(String reference, DossierStatus status) {
    }

    /** Age of a dossier in working days against the 3-working-day target, from its last (re)submission. */
    public record DossierAge(LocalDate receivedOn, int workingDays, int target, LocalDate dueOn, boolean late) {
    }

    /** A dossier with what its page and the API show. */
    public record DossierView(HabilitationDossier dossier, Structure structure, Person submitter, Person decidedBy,
                              List<Prerequisite> prerequisites, DossierAge age, List<DossierHistoryEntry> history,
                              boolean canDecide, boolean canResubmit) {
        public boolean prerequisitesPassed() {
            return prerequisites.stream().allMatch(Prerequisite::passed);
        }

        public long failedPrerequisites() {
            return prerequisites.stream().filter(p -> !p.passed()).count();
        }

        public boolean canApprove() {
            return canDecide && DossierTransition.APPROVE.allowedFrom(dossier.status());
        }

        public boolean canReject() {
            return canDecide && DossierTransition.REJECT.allowedFrom(dossier.status());
        }

        public boolean canRequestInformation() {
            return canDecide && DossierTransition.REQUEST_INFORMATION.allowedFrom(dossier.status());
        }
    }

    /** One page of the operator queue. */
    public record QueuePage(List<DossierView> items, long total, int page, int size) {
        public boolean hasNext() {
            return (long) (page + 1) * size < total;
        }
    }

    /** What the queue shows: {@code PENDING} (default), {@code ALL} or one {@link DossierStatus}. */
    public record QueueQuery(String status, String region, String q, boolean lateOnly, int page, int size) {
    }

    // ---- submission -----------------------------------------------------------------------------

    /**
     * Records a form 413 signed by the caller: SUBMITTED, then ACKNOWLEDGED at once with its reference, mailed to
     * the signatory. The caller must be the structure's legal representative or a registered mandataire (or, for an
     * RPPS rang, the cabinet's holder) and signs with its own card.
     *
     * @param requireStructureName the web form requires the dénomination; the API may omit it
     * @throws ValidationException every broken rule, each naming its field; nothing is stored
     */
    @Transactional
    public Submitted submit(OpenIgcUser caller, HabilitationForm form, boolean requireStructureName) {
        Checked checked = check(caller, form, requireStructureName, null);
        Instant now = clock.instant();
        String reference = "413-%d-%06d".formatted(LocalDate.ofInstant(now, PARIS).getYear(), repository.nextNumber());
        DossierStatus status = DossierTransition.SUBMIT.target();
        HabilitationDossier dossier = new HabilitationDossier(UUID.randomUUID(), reference, status,
                checked.structure().id(), caller.personId(), checked.content(), now, null, 0, null, null, null, null, now);
        repository.insert(dossier);
        repository.insertHistory(dossier.id(), now, null, status, caller.personId(), caller.name(), null);
        audit.record(DossierTransition.SUBMIT.auditAction(), OBJECT_TYPE, reference, details(checked.structure(), checked.content()));
        acknowledge(dossier, checked.structure(), caller, now, false);
        return new Submitted(reference, DossierStatus.ACKNOWLEDGED);
    }

    /**
     * The submitter sends the corrected form back after an information request: the content is replaced, the
     * dossier is SUBMITTED and ACKNOWLEDGED again (same reference; the 3-working-day target starts again).
     */
    @Transactional
    public Submitted resubmit(OpenIgcUser caller, String reference, HabilitationForm form, boolean requireStructureName) {
        HabilitationDossier dossier = visibleForUpdate(caller, reference);
        if (!dossier.submittedBy().equals(caller.personId())) {
            throw new ForbiddenException("habilitation.resubmit.submitterOnly", "Only the submitter resubmits a dossier");
        }
        DossierStatus next = DossierTransition.RESUBMIT.from(dossier.status());
        Checked checked = check(caller, form, requireStructureName, dossier.structureId());
        Instant now = clock.instant();
        repository.updateContent(dossier.id(), checked.content(), now);
        repository.updateStatus(dossier.id(), next, now);
        repository.insertHistory(dossier.id(), now, dossier.status(), next, caller.personId(), caller.name(), null);
        audit.record(DossierTransition.RESUBMIT.auditAction(), OBJECT_TYPE, reference,
                details(checked.structure(), checked.content()));
        HabilitationDossier updated = repository.find(reference).orElseThrow();
        acknowledge(updated, checked.structure(), caller, now, true);
        return new Submitted(reference, DossierStatus.ACKNOWLEDGED);
    }

    private void acknowledge(HabilitationDossier dossier, Structure structure, OpenIgcUser caller, Instant now,
                             boolean resubmission) {
        DossierStatus from = DossierStatus.SUBMITTED; // where SUBMIT and RESUBMIT both leave the dossier
        DossierStatus next = DossierTransition.ACKNOWLEDGE.from(from);
        repository.acknowledge(dossier.id(), now);
        repository.insertHistory(dossier.id(), now, from, next, null, "OpenIGC", null);
        audit.record(DossierTransition.ACKNOWLEDGE.auditAction(), OBJECT_TYPE, dossier.reference(),
                Map.of("structure", structure.idNatStruct()));
        Map<String, Object> model = mailModel(dossier.reference(), structure, dossier.content());
        model.put("resubmission", resubmission);
        model.put("dueOn", WorkingDays.plus(LocalDate.ofInstant(now, PARIS), WorkingDays.TARGET).toString());
        mail.enqueue("habilitation-acknowledged", model, List.of(dossier.content().signatoryEmail()), List.of(), Locale.FRENCH);
    }

    private record Checked(DossierContent content, Structure structure) {
    }

    /** Every rule of the form, then the registry's: the structure is known, the caller may sign for it. */
    private Checked check(OpenIgcUser caller, HabilitationForm form, boolean requireStructureName, UUID sameStructure) {
        FormValidation.Result result = FormValidation.validate(form, requireStructureName);
        List<FieldError> errors = new ArrayList<>(result.errors());
        DossierContent content = result.content();
        Structure structure = content == null ? null : resolveStructure(content, errors);
        if (structure != null && sameStructure != null && !structure.id().equals(sameStructure)) {
            errors.add(FieldError.of(identifierField(content), "habilitation.resubmit.structureChanged",
                    "A corrected dossier stays on its structure: submit a new form 413 for another one"));
        } else if (structure != null) {
            checkSignatory(caller, structure, content, errors);
        }
        ValidationException.throwIfAny(errors);
        if (content.structureName() == null) {
            content = withStructureName(content, structure.name());
        }
        return new Checked(content, structure);
    }

    private static String identifierField(DossierContent content) {
        return content.finess() != null ? "structure.finess" : content.siret() != null ? "structure.siret" : "structure.rppsRang";
    }

    /** The registered structure of the declared identifier, with the EJ/EG doctrine and the SIRET / RPPS rang rules. */
    private Structure resolveStructure(DossierContent content, List<FieldError> errors) {
        if (content.finess() != null) {
            Optional<Structure> found = registry.structureByFiness(content.finess());
            if (found.isEmpty()) {
                errors.add(FieldError.of("structure.finess", "habilitation.structure.unknown",
                        "No registered structure has this identifier", content.finess()));
                return null;
            }
            Structure structure = found.get();
            if (structure.kind() == StructureKind.EJ && !structure.mayOrderUnderEj()
                    && !registry.establishmentsOf(structure.id()).isEmpty()) {
                errors.add(FieldError.of("structure.finess", "habilitation.structure.finessJuridique",
                        "Give the FINESS géographique of the site: this EJ may not order under its FINESS juridique"));
                return null;
            }
            return structure;
        }
        if (content.siret() != null) {
            Optional<Structure> found = registry.structureBySiret(content.siret());
            if (found.isEmpty()) {
                errors.add(FieldError.of("structure.siret", "habilitation.structure.unknown",
                        "No registered structure has this identifier", content.siret()));
                return null;
            }
            if (found.get().finess() != null) {
                errors.add(FieldError.of("structure.siret", "habilitation.structure.siretHasFiness",
                        "This structure has a FINESS: give the FINESS instead of the SIRET", found.get().finess()));
                return null;
            }
            return found.get();
        }
        if (content.rppsRang() != null) {
            Optional<Structure> found = registry.structureByRppsRang(content.rppsRang());
            if (found.isEmpty()) {
                errors.add(FieldError.of("structure.rppsRang", "habilitation.structure.unknown",
                        "No registered structure has this identifier", content.rppsRang()));
                return null;
            }
            if (found.get().kind() != StructureKind.CABINET || found.get().sector() != Sector.RADIOLOGIE) {
                errors.add(FieldError.of("structure.rppsRang", "habilitation.structure.rppsRangRadiologyOnly",
                        "The RPPS rang identifies radiology cabinets only"));
                return null;
            }
            return found.get();
        }
        return null;
    }

    /** The caller signs with its own card, for a structure it represents, in the role it holds. */
    private void checkSignatory(OpenIgcUser caller, Structure structure, DossierContent content, List<FieldError> errors) {
        if (content.signatoryCardNumber() != null && !content.signatoryCardNumber().equals(caller.cardNumber())) {
            errors.add(FieldError.of("signatory.cardNumber", "habilitation.signatory.notCaller",
                    "The signatory is the person submitting the form: give the number of your own card"));
        }
        if (content.signatoryRole() == null) {
            return;
        }
        Person person = registry.person(caller.personId()).orElse(null);
        boolean represents = person != null && registry.isLegalRepresentativeOrMandataire(person.id(), structure.id());
        boolean holder = person != null && cabinetHolder(person, structure);
        if (!represents && !(content.signatoryRole() == SignatoryRole.CABINET_HOLDER && holder)) {
            errors.add(FieldError.of(identifierField(content), "habilitation.signatory.notRepresentative",
                    "You are neither the legal representative nor a registered mandataire of this structure",
                    structure.name()));
            return;
        }
        boolean roleHeld = switch (content.signatoryRole()) {
            case LEGAL_REPRESENTATIVE -> registry.isLegalRepresentative(person.id(), structure.id());
            case MANDATAIRE -> holdsRole(person.id(), structure, RepresentativeRole.MANDATAIRE);
            case CABINET_HOLDER -> structure.kind() == StructureKind.CABINET && (holder || represents);
        };
        if (!roleHeld) {
            errors.add(FieldError.of("signatory.role", "habilitation.signatory.roleMismatch",
                    "You are not registered in this role for this structure",
                    "object.habilitation.role." + content.signatoryRole().name()));
        }
    }

    /** The titulaire of a cabinet identified by RPPS rang: the RPPS the rang starts with. */
    private static boolean cabinetHolder(Person person, Structure structure) {
        return structure.kind() == StructureKind.CABINET && structure.rppsRang() != null && person.rpps() != null
                && structure.rppsRang().startsWith(person.rpps());
    }

    private boolean holdsRole(UUID personId, Structure structure, RepresentativeRole role) {
        LocalDate today = today();
        Set<UUID> targets = new LinkedHashSet<>(List.of(structure.id(), registry.ejOf(structure).id()));
        for (UUID target : targets) {
            for (Representative r : registry.representativesOf(target)) {
                if (r.personId().equals(personId) && r.role() == role && r.activeOn(today)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static DossierContent withStructureName(DossierContent c, String name) {
        return new DossierContent(name, c.finess(), c.siret(), c.rppsRang(), c.additionalRppsRangs(), c.signatoryRole(),
                c.signatoryLastName(), c.signatoryFirstNames(), c.signatoryPhone(), c.signatoryEmail(),
                c.signatoryCardNumber(), c.administrators(), c.usageDescription(), c.usageEditor(), c.usageSolution(),
                c.usageVersion(), c.offers(), c.sslDomains(), c.sslServerName(), c.smimeDomains(), c.proMailDomains());
    }

    // ---- the operator's instruction ---------------------------------------------------------------

    /**
     * Approves an ACKNOWLEDGED dossier whose prerequisites all pass: every administrator × offer becomes a
     * habilitation in the registry (one approved 413 covers every certificate of its offers for the structure), the
     * legal representatives and every administrator are mailed.
     *
     * @throws PrerequisitesNotMetException (409) with the failed prerequisites; nothing changed
     */
    @Transactional
    public DossierStatus approve(OpenIgcUser caller, String reference) {
        HabilitationDossier dossier = operatorDossier(caller, reference);
        DossierStatus next = DossierTransition.APPROVE.from(dossier.status());
        Structure structure = registry.structure(dossier.structureId()).orElseThrow();
        List<Prerequisite> failed = prerequisites(dossier, structure).stream().filter(p -> !p.passed()).toList();
        if (!failed.isEmpty()) {
            throw new PrerequisitesNotMetException(reference, failed);
        }
        DossierContent content = dossier.content();
        List<Person> administrators = new ArrayList<>();
        for (DossierContent.AdministratorEntry entry : content.administrators()) {
            Person admin = registry.personByCardNumber(entry.cardNumber()).orElseThrow();
            administrators.add(admin);
            for (Offer offer : content.offers()) {
                List<String> ssl = offer == Offer.SERV ? content.sslNames() : List.of();
                List<String> smime = switch (offer) {
                    case SERV -> content.smimeDomains();
                    case PRO -> content.proMailDomains();
                    default -> List.of();
                };
                registry.grantHabilitation(structure.id(), admin.id(), offer, ssl, smime, reference);
            }
        }
        Instant now = clock.instant();
        repository.decide(dossier.id(), next, now, caller.personId(), null, null);
        repository.insertHistory(dossier.id(), now, dossier.status(), next, caller.personId(), caller.name(), null);
        Map<String, String> details = details(structure, content);
        details.put("grants", String.valueOf(administrators.size() * content.offers().size()));
        audit.record(DossierTransition.APPROVE.auditAction(), OBJECT_TYPE, reference, details);

        Map<String, Object> model = mailModel(reference, structure, content);
        mail.enqueue("habilitation-approved", model, representativeAddresses(dossier, structure), List.of(), Locale.FRENCH);
        for (int i = 0; i < content.administrators().size(); i++) {
            DossierContent.AdministratorEntry entry = content.administrators().get(i);
            Map<String, Object> adminModel = mailModel(reference, structure, content);
            adminModel.put("administrator", entry.firstName() + " " + entry.lastName());
            adminModel.put("sslNames", content.sslNames());
            mail.enqueue("habilitation-approved-administrator", adminModel, List.of(entry.email()), List.of(), Locale.FRENCH);
        }
        return next;
    }

    /** Rejects an ACKNOWLEDGED (or INFORMATION_REQUESTED) dossier with a reason, mailed to the signatory. */
    @Transactional
    public DossierStatus reject(OpenIgcUser caller, String reference, String reason) {
        HabilitationDossier dossier = operatorDossier(caller, reference);
        DossierStatus next = DossierTransition.REJECT.from(dossier.status());
        List<FieldError> errors = new ArrayList<>();
        String text = FormValidation.reason("reason", reason, errors);
        ValidationException.throwIfAny(errors);
        Instant now = clock.instant();
        repository.decide(dossier.id(), next, now, caller.personId(), text, null);
        repository.insertHistory(dossier.id(), now, dossier.status(), next, caller.personId(), caller.name(), text);
        Structure structure = registry.structure(dossier.structureId()).orElseThrow();
        audit.record(DossierTransition.REJECT.auditAction(), OBJECT_TYPE, reference,
                Map.of("structure", structure.idNatStruct(), "reason", abbreviate(text)));
        Map<String, Object> model = mailModel(reference, structure, dossier.content());
        model.put("reason", text);
        mail.enqueue("habilitation-rejected", model, representativeAddresses(dossier, structure), List.of(), Locale.FRENCH);
        return next;
    }

    /** Sends an ACKNOWLEDGED dossier back to its submitter with a question; the submitter corrects and resubmits. */
    @Transactional
    public DossierStatus requestInformation(OpenIgcUser caller, String reference, String message) {
        HabilitationDossier dossier = operatorDossier(caller, reference);
        DossierStatus next = DossierTransition.REQUEST_INFORMATION.from(dossier.status());
        List<FieldError> errors = new ArrayList<>();
        String text = FormValidation.reason("message", message, errors);
        ValidationException.throwIfAny(errors);
        Instant now = clock.instant();
        repository.decide(dossier.id(), next, now, caller.personId(), null, text);
        repository.insertHistory(dossier.id(), now, dossier.status(), next, caller.personId(), caller.name(), text);
        Structure structure = registry.structure(dossier.structureId()).orElseThrow();
        audit.record(DossierTransition.REQUEST_INFORMATION.auditAction(), OBJECT_TYPE, reference,
                Map.of("structure", structure.idNatStruct(), "message", abbreviate(text)));
        Map<String, Object> model = mailModel(reference, structure, dossier.content());
        model.put("message", text);
        mail.enqueue("habilitation-information-requested", model, List.of(dossier.content().signatoryEmail()),
                List.of(), Locale.FRENCH);
        return next;
    }

    private HabilitationDossier operatorDossier(OpenIgcUser caller, String reference) {
        HabilitationDossier dossier = visibleForUpdate(caller, reference);
        if (!caller.isOperator()) {
            throw new ForbiddenException("habilitation.operatorOnly", "Only the agency's operators instruct a form 413");
        }
        return dossier;
    }

    private HabilitationDossier visibleForUpdate(OpenIgcUser caller, String reference) {
        return repository.findForUpdate(reference).filter(d -> canView(caller, d))
                .orElseThrow(() -> new NotFoundException("object.habilitationDossier", reference));
    }

    // ---- reading ----------------------------------------------------------------------------------

    /** The dossier as its page and {@code GET /api/v1/habilitations/{reference}} show it; 404 when not visible. */
    public DossierView view(OpenIgcUser caller, String reference) {
        HabilitationDossier dossier = repository.find(reference).filter(d -> canView(caller, d))
                .orElseThrow(() -> new NotFoundException("object.habilitationDossier", reference));
        return view(caller, dossier, true);
    }

    private DossierView view(OpenIgcUser caller, HabilitationDossier dossier, boolean withHistory) {
        Structure structure = registry.structure(dossier.structureId()).orElseThrow();
        return new DossierView(dossier, structure, registry.person(dossier.submittedBy()).orElse(null),
                dossier.decidedBy() == null ? null : registry.person(dossier.decidedBy()).orElse(null),
                prerequisites(dossier, structure), age(dossier),
                withHistory ? repository.history(dossier.id()) : List.of(),
                caller.isOperator() && !dossier.status().terminal(),
                dossier.status() == DossierStatus.INFORMATION_REQUESTED && dossier.submittedBy().equals(caller.personId()));
    }

    boolean canView(OpenIgcUser caller, HabilitationDossier dossier) {
        if (caller.isOperator() || dossier.submittedBy().equals(caller.personId())) {
            return true;
        }
        if (caller.cardNumber() != null && dossier.content().administrators().stream()
                .anyMatch(a -> a.cardNumber().equals(caller.cardNumber()))) {
            return true;
        }
        return registry.isLegalRepresentativeOrMandataire(caller.personId(), dossier.structureId());
    }

    /** The operator queue (operators only): pending dossiers oldest first by default, with filters. */
    public QueuePage queue(OpenIgcUser caller, QueueQuery query) {
        if (!caller.isOperator()) {
            throw new ForbiddenException("habilitation.operatorOnly", "Only the agency's operators instruct a form 413");
        }
        int size = query.size() <= 0 ? 50 : Math.min(query.size(), 200);
        int page = Math.max(query.page(), 0);
        List<DossierStatus> statuses = statuses(query.status());
        String region = FormValidation.blankToNull(query.region());
        String q = FormValidation.blankToNull(query.q());
        Instant lateBefore = null;
        if (query.lateOnly()) {
            // late ⇔ more than 3 working days elapsed ⇔ received before the 4th working day on or before today
            LocalDate cutoff = WorkingDays.minus(today().plusDays(1), WorkingDays.TARGET + 1);
            lateBefore = cutoff.atStartOfDay(PARIS).toInstant();
            if (statuses.isEmpty()) {
                statuses = List.of(DossierStatus.SUBMITTED, DossierStatus.ACKNOWLEDGED);
            }
        }
        HabilitationRepository.QueueFilter filter = new HabilitationRepository.QueueFilter(statuses, region, q, lateBefore);
        List<DossierView> items = repository.queue(filter, size, page * size).stream()
                .map(d -> view(caller, d, false)).toList();
        return new QueuePage(items, repository.count(filter), page, size);
    }

    /** The dossiers the caller submitted or is named in, newest first. */
    public List<DossierView> involving(OpenIgcUser caller, int page, int size) {
        int limit = size <= 0 ? 50 : Math.min(size, 200);
        return repository.involving(caller.personId(), caller.cardNumber(), limit, Math.max(page, 0) * limit).stream()
                .map(d -> view(caller, d, false)).toList();
    }

    /** Dossiers waiting for an operator (dashboards). */
    public long pendingCount() {
        return repository.countByStatus(DossierStatus.ACKNOWLEDGED) + repository.countByStatus(DossierStatus.SUBMITTED);
    }

    static List<DossierStatus> statuses(String status) {
        String value = status == null || status.isBlank() ? "PENDING" : status.strip().toUpperCase(Locale.ROOT);
        if (value.equals("ALL")) {
            return List.of();
        }
        if (value.equals("PENDING")) {
            return List.of(DossierStatus.SUBMITTED, DossierStatus.ACKNOWLEDGED);
        }
        for (DossierStatus s : DossierStatus.values()) {
            if (s.name().equals(value)) {
                return List.of(s);
            }
        }
        throw new ValidationException(FieldError.of("status", "field.oneOf", "unknown status",
                "PENDING, ALL, SUBMITTED, ACKNOWLEDGED, APPROVED, REJECTED, INFORMATION_REQUESTED"));
    }

    /**
     * Checked live against the registry: a contract (non-liberal structures), the signatory represents the structure
     * with an active card, each administrator is registered with an active card. Names that differ from the card are
     * reported in the message (the operator judges), not as a failure.
     */
    List<Prerequisite> prerequisites(HabilitationDossier dossier, Structure structure) {
        List<Prerequisite> result = new ArrayList<>();
        if (!structure.contractRequired()) {
            result.add(Prerequisite.of("contract", true, "habilitation.prerequisite.contract.notRequired"));
        } else if (registry.hasActiveContract(structure.id())) {
            result.add(Prerequisite.of("contract", true, "habilitation.prerequisite.contract.ok", structure.name()));
        } else {
            result.add(Prerequisite.of("contract", false, "habilitation.prerequisite.contract.missing", structure.name()));
        }
        Person signatory = registry.person(dossier.submittedBy()).orElse(null);
        if (signatory == null) {
            result.add(Prerequisite.of("signatory", false, "habilitation.prerequisite.signatory.unknown"));
        } else {
            boolean represents = registry.isLegalRepresentativeOrMandataire(signatory.id(), structure.id())
                    || (dossier.content().signatoryRole() == SignatoryRole.CABINET_HOLDER && cabinetHolder(signatory, structure));
            boolean active = registry.cardActive(signatory.id());
            String name = signatory.displayName();
            if (!represents) {
                result.add(Prerequisite.of("signatory", false, "habilitation.prerequisite.signatory.notRepresentative",
                        name, signatory.cardNumber()));
            } else if (!active) {
                result.add(Prerequisite.of("signatory", false, "habilitation.prerequisite.signatory.cardInactive",
                        name, signatory.cardNumber(), "object.habilitation.cardStatus." + signatory.cardStatus().name()));
            } else {
                result.add(Prerequisite.of("signatory", true, "habilitation.prerequisite.signatory.ok",
                        name, signatory.cardNumber(), "object.habilitation.role." + dossier.content().signatoryRole()));
            }
        }
        List<DossierContent.AdministratorEntry> administrators = dossier.content().administrators();
        for (int i = 0; i < administrators.size(); i++) {
            DossierContent.AdministratorEntry entry = administrators.get(i);
            String name = "administrators[" + i + "]";
            Optional<Person> person = registry.personByCardNumber(entry.cardNumber());
            if (person.isEmpty()) {
                result.add(Prerequisite.of(name, false, "habilitation.prerequisite.administrator.unknownCard",
                        entry.cardNumber()));
            } else if (!registry.cardActive(person.get().id())) {
                result.add(Prerequisite.of(name, false, "habilitation.prerequisite.administrator.cardInactive",
                        entry.cardNumber(), person.get().displayName(),
                        "object.habilitation.cardStatus." + person.get().cardStatus().name()));
            } else if (!sameName(entry.lastName(), person.get().lastName()) || !sameName(entry.firstName(), person.get().firstName())) {
                result.add(Prerequisite.of(name, true, "habilitation.prerequisite.administrator.nameDiffers",
                        entry.cardNumber(), person.get().cardType().name(), person.get().firstName() + " " + person.get().lastName()));
            } else {
                result.add(Prerequisite.of(name, true, "habilitation.prerequisite.administrator.ok",
                        entry.cardNumber(), person.get().cardType().name(), person.get().displayName()));
            }
        }
        return result;
    }

    /** Names compared as on a card: case, accents, hyphens and repeated spaces ignored. */
    static boolean sameName(String declared, String onCard) {
        return normaliseName(declared).equals(normaliseName(onCard));
    }

    private static String normaliseName(String name) {
        if (name == null) {
            return "";
        }
        String stripped = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return stripped.toUpperCase(Locale.ROOT).replaceAll("[\\s\\-'’]+", " ").strip();
    }

    DossierAge age(HabilitationDossier dossier) {
        Instant received = dossier.acknowledgedAt() != null ? dossier.acknowledgedAt() : dossier.submittedAt();
        LocalDate receivedOn = LocalDate.ofInstant(received, PARIS);
        LocalDate until = dossier.status().pendingForOperator() || dossier.decidedAt() == null ? today()
                : LocalDate.ofInstant(dossier.decidedAt(), PARIS);
        int days = WorkingDays.between(receivedOn, until);
        boolean late = dossier.status().pendingForOperator() && days > WorkingDays.TARGET;
        return new DossierAge(receivedOn, days, WorkingDays.TARGET, WorkingDays.plus(receivedOn, WorkingDays.TARGET), late);
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(PARIS));
    }

    // ---- mail and audit helpers ---------------------------------------------------------------

    /** The signatory's address from the form and every current legal representative's (of the EJ too, for an EG). */
    private List<String> representativeAddresses(HabilitationDossier dossier, Structure structure) {
        Set<String> addresses = new LinkedHashSet<>();
        addresses.add(dossier.content().signatoryEmail());
        LocalDate today = today();
        Set<UUID> targets = new LinkedHashSet<>(List.of(structure.id(), registry.ejOf(structure).id()));
        for (UUID target : targets) {
            for (Representative r : registry.representativesOf(target)) {
                if (r.role() == RepresentativeRole.LEGAL_REPRESENTATIVE && r.activeOn(today)) {
                    registry.person(r.personId()).map(Person::email).filter(e -> e != null && !e.isBlank())
                            .ifPresent(addresses::add);
                }
            }
        }
        return List.copyOf(addresses);
    }

    private Map<String, Object> mailModel(String reference, Structure structure, DossierContent content) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("reference", reference);
        model.put("structureName", structure.name());
        model.put("structureId", structure.idNatStruct());
        model.put("signatory", content.signatoryFirstNames() + " " + content.signatoryLastName());
        model.put("offers", content.offers().stream().map(Offer::name).toList());
        model.put("administrators", content.administrators().stream()
                .map(a -> a.firstName() + " " + a.lastName() + " (" + a.cardNumber() + ")").toList());
        model.put("link", baseUrl + "/app/habilitations/" + reference);
        model.put("editLink", baseUrl + "/app/habilitations/" + reference + "/edit");
        return model;
    }

    private static Map<String, String> details(Structure structure, DossierContent content) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("structure", structure.idNatStruct());
        details.put("offers", String.join(",", content.offers().stream().map(Offer::name).toList()));
        details.put("administrators", String.valueOf(content.administrators().size()));
        return details;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
    }
}
