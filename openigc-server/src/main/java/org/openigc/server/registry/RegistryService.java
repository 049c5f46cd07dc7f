package org.openigc.server.registry;

import java.io.IOException;
import java.io.Reader;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.openigc.ca.Offer;
import org.openigc.server.audit.AuditTrail;
import org.openigc.server.database.RoundTrip;
import org.openigc.server.web.ConflictException;
import org.openigc.server.web.FieldError;
import org.openigc.server.web.ForbiddenException;
import org.openigc.server.web.NotFoundException;
import org.openigc.server.web.ValidationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The registry's public surface: structures (EJ/EG, cabinets, organisations), contracts, persons and their cards,
 * representatives, platform roles, delegations and habilitations — and the per-structure rights derived from them.
 * Other features use this service, never the registry's tables.
 *
 * <p>Rights are always computed from the database at the time of the call, never from the roles cached in the
 * session: a revoked habilitation or delegation takes effect on the next request.
 *
 * <p>Writes validate every identifier (org.openigc.identifiers, check digits included), report every broken rule
 * with its field ({@link ValidationException}), change nothing on error, and write an audit event in the same
 * transaction. The operator screens are restricted to operators by URL; callers acting for someone else check
 * that person's rights with {@link #canManage} / {@link #canView} first.
 */
@Service
public class RegistryService {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** Offers a delegation to an editor covers: PRO certificates are personal, never delegated. */
    static final Set<Offer> DELEGATED_OFFERS = EnumSet.of(Offer.ORG, Offer.SERV);

    private final RegistryRepository repository;
    private final AuditTrail audit;
    private final Clock clock;

    RegistryService(RegistryRepository repository, AuditTrail audit, Clock clock) {
        this.repository = repository;
        this.audit = audit;
        this.clock = clock;
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(PARIS));
    }

    // ---- structures: lookups ------------------------------------------------------------------

    /**
     * Until the current transaction ends, each registry row read through this service is read from the database
     * once (see {@link ReadMemo}): for callers that read the same structure, EJ, person and habilitations several
     * times. Registry writes in the same transaction clear the memo. No-op outside a transaction.
     */
    public void memoizeReadsInThisTransaction() {
        ReadMemo.open();
    }

    /**
     * With the memo open ({@link #memoizeReadsInThisTransaction}): reads at once, in one round trip, every registry
     * row that an order by {@code personId} for {@code idNatStruct} goes on to read (the structure and its EJ,
     * establishments, contracts, the person's habilitations, habilitations and delegations on both), so that the
     * order's checks ({@link #canManage}, {@link #hasActiveContract}, domains…) run on the memo; the caller's
     * {@code alongside} statements travel in the same round trip. Returns false, running nothing, otherwise.
     */
    public boolean prefetchOrderReads(UUID personId, String idNatStruct, List<RoundTrip.Statement> alongside) {
        return repository.prefetchOrderReads(personId, idNatStruct, alongside);
    }

    public Optional<Structure> structure(UUID id) {
        return repository.structure(id);
    }

    /** By national identifier with its type digit, e.g. {@code 1750712184}. */
    public Optional<Structure> structureByIdNatStruct(String idNatStruct) {
        return idNatStruct == null ? Optional.empty() : repository.structureBy("id_nat_struct", idNatStruct);
    }

    public Optional<Structure> structureByFiness(String finess) {
        return finess == null ? Optional.empty() : repository.structureBy("finess", finess);
    }

    public Optional<Structure> structureBySiret(String siret) {
        return siret == null ? Optional.empty() : repository.structureBy("siret", siret);
    }

    public Optional<Structure> structureByRppsRang(String rppsRang) {
        return rppsRang == null ? Optional.empty() : repository.structureBy("rpps_rang", rppsRang);
    }

    /** DOMAIN §5: the EJ of an EG; any other structure is its own EJ. */
    public Structure ejOf(Structure structure) {
        if (structure.kind() == StructureKind.EG && structure.parentId() != null) {
            return repository.structure(structure.parentId()).orElseThrow();
        }
        return structure;
    }

    public Optional<Structure> ejOf(UUID structureId) {
        return structure(structureId).map(this::ejOf);
    }

    /** The EG of an EJ. */
    public List<Structure> establishmentsOf(UUID ejId) {
        return repository.children(ejId);
    }

    /** Every structure (operator screens), by name, identifier or city. */
    public List<Structure> searchStructures(String q, int page, int size) {
        return repository.searchStructures(q, clampSize(size), Math.max(page, 0) * clampSize(size));
    }

    public long countStructures(String q) {
        return repository.countStructures(q);
    }

    /**
     * The structures a person may see: an operator every one, a referent those of its région, anyone else those it
     * is habilitated for, represents or has a delegation on (and the EG of such an EJ). Auditors see none.
     */
    public List<Structure> visibleStructures(UUID personId, String q, int page, int size) {
        int limit = clampSize(size);
        int offset = Math.max(page, 0) * limit;
        List<String[]> roles = repository.platformRolesOf(personId);
        if (roles.stream().anyMatch(r -> r[0].equals(PlatformRole.OPERATOR.name()))) {
            return repository.searchStructures(q, limit, offset);
        }
        Map<UUID, Structure> visible = new LinkedHashMap<>();
        for (String[] role : roles) {
            if (role[0].equals(PlatformRole.REFERENT.name())) {
                repository.structuresInRegion(role[1], q, limit, offset).forEach(s -> visible.put(s.id(), s));
            }
        }
        repository.structuresRelatedTo(personId, today(), q, limit, offset).forEach(s -> visible.putIfAbsent(s.id(), s));
        return visible.values().stream().limit(limit).toList();
    }

    /** Whether a person may see a structure and its objects (see {@link #visibleStructures}). */
    public boolean canView(UUID personId, UUID structureId) {
        Optional<Structure> structure = structure(structureId);
        if (structure.isEmpty()) {
            return false;
        }
        for (String[] role : repository.platformRolesOf(personId)) {
            if (role[0].equals(PlatformRole.OPERATOR.name())
                    || (role[0].equals(PlatformRole.REFERENT.name()) && role[1].equals(structure.get().region()))) {
                return true;
            }
        }
        return !manageableOffers(personId, structureId).isEmpty() || isLegalRepresentativeOrMandataire(personId, structureId);
    }

    // ---- structures: writes -------------------------------------------------------------------

    @Transactional
    public Structure createStructure(StructureInput input) {
        Structure structure = checkedStructure(UUID.randomUUID(), input, null, Map.of());
        repository.insertStructure(structure);
        audit.record("structure.created", "structure", structure.id().toString(),
                Map.of("idNatStruct", structure.idNatStruct(), "kind", structure.kind().name()));
        return structure;
    }

    @Transactional
    public Structure updateStructure(UUID id, StructureInput input) {
        Structure existing = structure(id).orElseThrow(() -> new NotFoundException("object.structure", id.toString()));
        Structure structure = checkedStructure(id, input, existing, Map.of());
        if (existing.kind() == StructureKind.EJ && structure.kind() != StructureKind.EJ
                && !repository.children(id).isEmpty()) {
            throw new ValidationException(FieldError.of("kind", "structure.kind.hasEstablishments",
                    "This EJ still has EG attached"));
        }
        repository.updateStructure(structure);
        audit.record("structure.updated", "structure", id.toString(), Map.of("idNatStruct", structure.idNatStruct()));
        return structure;
    }

    /**
     * Validates one structure input into a record: identifiers, parent EJ (from the database or, for a CSV import,
     * from EJ earlier in the same file), duplicates.
     */
    Structure checkedStructure(UUID id, StructureInput input, Structure existing, Map<String, Structure> pendingEjByFiness) {
        List<FieldError> errors = new ArrayList<>();
        RegistryValidation.CheckedStructure checked = RegistryValidation.structure(input, errors);
        UUID parentId = null;
        if (checked.kind() == StructureKind.EG && checked.parentFiness() != null
                && errors.stream().noneMatch(e -> e.field().equals("parentFiness"))) {
            Structure parent = pendingEjByFiness.get(checked.parentFiness());
            if (parent == null) {
                parent = structureByFiness(checked.parentFiness()).orElse(null);
            }
            if (parent == null) {
                errors.add(FieldError.of("parentFiness", "structure.parent.unknown", "No structure has this FINESS",
                        checked.parentFiness()));
            } else if (parent.kind() != StructureKind.EJ) {
                errors.add(FieldError.of("parentFiness", "structure.parent.notEj", "The parent must be an EJ"));
            } else {
                parentId = parent.id();
            }
        }
        if (checked.idNatStruct() != null && errors.isEmpty()) {
            duplicate("finess", checked.finess(), repository.structureBy("finess", nz(checked.finess())), existing, errors);
            duplicate("siret", checked.siret(), repository.structureBy("siret", nz(checked.siret())), existing, errors);
            duplicate("rppsRang", checked.rppsRang(), repository.structureBy("rpps_rang", nz(checked.rppsRang())), existing, errors);
            if (errors.isEmpty()) {
                duplicate(identifierField(checked.idNatStruct()), checked.idNatStruct(),
                        repository.structureBy("id_nat_struct", checked.idNatStruct()), existing, errors);
            }
        }
        ValidationException.throwIfAny(errors);
        return new Structure(id, checked.kind(), checked.idNatStruct(), checked.finess(), checked.siren(),
                checked.siret(), checked.rppsRang(), parentId, checked.name(), checked.address(), checked.postcode(),
                checked.city(), checked.departement(), checked.region(), checked.sector(), checked.mayOrderUnderEj(),
                checked.groupName());
    }

    private static String identifierField(String idNatStruct) {
        return switch (idNatStruct.charAt(0)) {
            case '1' -> "finess";
            case '2' -> "siren";
            case '3' -> "siret";
            default -> "rppsRang";
        };
    }

    private static void duplicate(String field, String value, Optional<Structure> found, Structure existing,
                                  List<FieldError> errors) {
        if (value != null && found.isPresent() && (existing == null || !found.get().id().equals(existing.id()))) {
            errors.add(FieldError.of(field, "structure.duplicate", "Another structure already has this identifier",
                    found.get().name()));
        }
    }

    /**
     * CSV import of structures, all or nothing: every line is checked first and every bad line reported (line
     * number, column, rule); only a file without any error is imported, in this one transaction. Columns: see
     * README "Registry CSV import columns".
     */
    @Transactional
    public ImportReport importStructures(Reader csv) throws IOException {
        StructureCsv.Parsed parsed = StructureCsv.parse(csv);
        List<ImportReport.LineError> errors = new ArrayList<>(parsed.errors());
        Map<String, Structure> ejInFile = new LinkedHashMap<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        List<Structure> accepted = new ArrayList<>();
        for (StructureCsv.Line line : parsed.lines()) {
            try {
                Structure structure = checkedStructure(UUID.randomUUID(), line.input(), null, ejInFile);
                Integer first = seen.putIfAbsent(structure.idNatStruct(), line.number());
                if (first != null) {
                    errors.add(new ImportReport.LineError(line.number(), FieldError.of(StructureCsv.column(identifierField(structure.idNatStruct())),
                            "import.duplicateInFile", "Same identifier as line " + first, String.valueOf(first))));
                    continue;
                }
                if (structure.kind() == StructureKind.EJ) {
                    ejInFile.put(structure.finess(), structure);
                }
                accepted.add(structure);
            } catch (ValidationException e) {
                e.errors().forEach(error -> errors.add(new ImportReport.LineError(line.number(),
                        error.withField(StructureCsv.column(error.field())))));
            }
        }
        if (parsed.lines().isEmpty() && errors.isEmpty()) {
            errors.add(new ImportReport.LineError(1, FieldError.of("file", "import.empty", "The file has no structure line")));
        }
        if (!errors.isEmpty()) {
            errors.sort(java.util.Comparator.comparingInt(ImportReport.LineError::line));
            return new ImportReport(parsed.lines().size(), 0, errors);
        }
        accepted.forEach(repository::insertStructure);
        audit.record("structure.imported", "structure", null, Map.of("count", String.valueOf(accepted.size())));
        return new ImportReport(parsed.lines().size(), accepted.size(), List.of());
    }

    // ---- contracts ----------------------------------------------------------------------------

    public List<Contract> contractsOf(UUID structureId) {
        return repository.contractsOf(structureId);
    }

    /**
     * A contract active today on the structure or, for an EG, on its EJ (the EJ signs for its establishments).
     * Liberal cabinets need none: check {@link Structure#contractRequired()} first.
     */
    public boolean hasActiveContract(UUID structureId) {
        Optional<Structure> structure = structure(structureId);
        if (structure.isEmpty()) {
            return false;
        }
        LocalDate today = today();
        if (repository.contractsOf(structureId).stream().anyMatch(c -> c.activeOn(today))) {
            return true;
        }
        Structure ej = ejOf(structure.get());
        return !ej.id().equals(structureId) && repository.contractsOf(ej.id()).stream().anyMatch(c -> c.activeOn(today));
    }

    @Transactional
    public Contract addContract(UUID structureId, String reference, String signedOn, String endsOn) {
        structure(structureId).orElseThrow(() -> new NotFoundException("object.structure", structureId.toString()));
        List<FieldError> errors = new ArrayList<>();
        String ref = RegistryValidation.text("reference", reference, true, 64, errors);
        LocalDate signed = RegistryValidation.date("signedOn", signedOn, errors);
        if (signed == null && errors.stream().noneMatch(e -> e.field().equals("signedOn"))) {
            errors.add(FieldError.of("signedOn", "field.required", "required"));
        }
        LocalDate ends = RegistryValidation.date("endsOn", endsOn, errors);
        if (signed != null && ends != null && ends.isBefore(signed)) {
            errors.add(FieldError.of("endsOn", "contract.endsBeforeSigned", "The end date is before the signature"));
        }
        if (ref != null && repository.contractReferenceExists(ref)) {
            errors.add(FieldError.of("reference", "contract.duplicate", "This contract reference exists already"));
        }
        ValidationException.throwIfAny(errors);
        Contract contract = new Contract(UUID.randomUUID(), structureId, ref, signed, ends);
        repository.insertContract(contract);
        audit.record("contract.created", "structure", structureId.toString(), Map.of("reference", ref));
        return contract;
    }

    // ---- persons ------------------------------------------------------------------------------

    public Optional<Person> person(UUID id) {
        return repository.person(id);
    }

    public Optional<Person> personByCardNumber(String cardNumber) {
        return cardNumber == null ? Optional.empty() : repository.personBy("card_number", cardNumber);
    }

    public Optional<Person> personByIdNatPs(String idNatPs) {
        return idNatPs == null ? Optional.empty() : repository.personBy("id_nat_ps", idNatPs);
    }

    public List<Person> searchPersons(String q, int page, int size) {
        return repository.searchPersons(q, clampSize(size), Math.max(page, 0) * clampSize(size));
    }

    /** Holders of CPE/CPA/CDE cards of a structure. */
    public List<Person> cardHoldersOf(UUID structureId) {
        return repository.personsOfCardStructure(structureId);
    }

    /** The card can be used today (form 413 prerequisites: signatory and administrators have active cards). */
    public boolean cardActive(UUID personId) {
        return person(personId).map(p -> p.cardActive(today())).orElse(false);
    }

    @Transactional
    public Person createPerson(PersonInput input) {
        Person person = checkedPerson(UUID.randomUUID(), input, null);
        repository.insertPerson(person);
        audit.record("person.created", "person", person.id().toString(),
                Map.of("idNatPs", person.idNatPs(), "cardType", person.cardType().name()));
        return person;
    }

    @Transactional
    public Person updatePerson(UUID id, PersonInput input) {
        Person existing = person(id).orElseThrow(() -> new NotFoundException("object.person", id.toString()));
        Person person = checkedPerson(id, input, existing);
        repository.updatePerson(person);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("idNatPs", person.idNatPs());
        if (existing.cardStatus() != person.cardStatus()) {
            details.put("cardStatus", existing.cardStatus() + "->" + person.cardStatus());
        }
        audit.record("person.updated", "person", id.toString(), details);
        return person;
    }

    private Person checkedPerson(UUID id, PersonInput input, Person existing) {
        List<FieldError> errors = new ArrayList<>();
        RegistryValidation.CheckedPerson checked = RegistryValidation.person(input, errors);
        UUID cardStructureId = null;
        if (checked.cardStructure() != null) {
            Optional<Structure> structure = structureByIdNatStruct(checked.cardStructure());
            if (structure.isEmpty()) {
                errors.add(FieldError.of("cardStructure", "person.cardStructure.unknown",
                        "No structure has this idNatStruct", checked.cardStructure()));
            } else {
                cardStructureId = structure.get().id();
            }
        }
        if (checked.cardNumber() != null) {
            repository.personBy("card_number", checked.cardNumber())
                    .filter(p -> existing == null || !p.id().equals(existing.id()))
                    .ifPresent(p -> errors.add(FieldError.of("cardNumber", "person.duplicate",
                            "Another person has this card number")));
        }
        if (checked.idNatPs() != null) {
            repository.personBy("id_nat_ps", checked.idNatPs())
                    .filter(p -> existing == null || !p.id().equals(existing.id()))
                    .ifPresent(p -> errors.add(FieldError.of("idNatPs", "person.duplicate",
                            "Another person has this idNatPS")));
        }
        ValidationException.throwIfAny(errors);
        return new Person(id, checked.cardNumber(), checked.cardType(), checked.idNatPs(), checked.rpps(),
                checked.lastName(), checked.firstName(), checked.email(), checked.phone(), checked.profession(),
                checked.cardStatus(), checked.cardExpiresOn(), cardStructureId);
    }

    // ---- representatives and platform roles ----------------------------------------------------

    public List<Representative> representativesOf(UUID structureId) {
        return repository.representativesOf(structureId);
    }

    /**
     * Whether a person is, today, the legal representative or a mandataire of the structure — or of its EJ when
     * the structure is an EG. An EJ's representative is not the representative of another EJ's EG.
     */
    public boolean isLegalRepresentativeOrMandataire(UUID personId, UUID structureId) {
        Optional<Structure> structure = structure(structureId);
        if (structure.isEmpty()) {
            return false;
        }
        Set<UUID> targets = new java.util.HashSet<>(List.of(structureId, ejOf(structure.get()).id()));
        LocalDate today = today();
        return repository.representationsOf(personId).stream()
                .anyMatch(r -> targets.contains(r.structureId()) && r.activeOn(today));
    }

    public boolean isLegalRepresentative(UUID personId, UUID structureId) {
        Optional<Structure> structure = structure(structureId);
        if (structure.isEmpty()) {
            return false;
        }
        Set<UUID> targets = new java.util.HashSet<>(List.of(structureId, ejOf(structure.get()).id()));
        LocalDate today = today();
        return repository.representationsOf(personId).stream().anyMatch(r -> targets.contains(r.structureId())
                && r.role() == RepresentativeRole.LEGAL_REPRESENTATIVE && r.activeOn(today));
    }

    @Transactional
    public Representative addRepresentative(UUID structureId, UUID personId, RepresentativeRole role,
                                            LocalDate validFrom, LocalDate validUntil) {
        structure(structureId).orElseThrow(() -> new NotFoundException("object.structure", structureId.toString()));
        person(personId).orElseThrow(() -> new NotFoundException("object.person", personId.toString()));
        LocalDate from = validFrom == null ? today() : validFrom;
        if (validUntil != null && validUntil.isBefore(from)) {
            throw new ValidationException(FieldError.of("validUntil", "representative.endsBeforeStart",
                    "The end date is before the start"));
        }
        Representative representative = new Representative(UUID.randomUUID(), structureId, personId, role, from, validUntil);
        repository.insertRepresentative(representative);
        audit.record("representative.added", "structure", structureId.toString(),
                Map.of("person", personId.toString(), "role", role.name()));
        return representative;
    }

    /** Platform roles of a person; a REFERENT's région is its INSEE code. */
    public Map<PlatformRole, List<String>> platformRolesOf(UUID personId) {
        Map<PlatformRole, List<String>> roles = new LinkedHashMap<>();
        for (String[] row : repository.platformRolesOf(personId)) {
            roles.computeIfAbsent(PlatformRole.valueOf(row[0]), r -> new ArrayList<>()).add(row[1]);
        }
        return roles;
    }

    @Transactional
    public void grantPlatformRole(UUID personId, PlatformRole role, String region) {
        person(personId).orElseThrow(() -> new NotFoundException("object.person", personId.toString()));
        if (role == PlatformRole.REFERENT && (region == null || org.openigc.identifiers.Region.byInseeCode(region).isEmpty())) {
            throw new ValidationException(FieldError.of("region", "role.region.required", "A referent needs a région code"));
        }
        repository.insertPlatformRole(personId, role, role == PlatformRole.REFERENT ? region : null);
        audit.record("role.granted", "person", personId.toString(), Map.of("role", role.name()));
    }

    // ---- delegations --------------------------------------------------------------------------

    public List<Delegation> delegationsOf(UUID structureId) {
        return repository.delegationsOf(structureId);
    }

    public List<Delegation> delegationsTo(UUID editorStructureId) {
        return repository.delegationsTo(editorStructureId);
    }

    /**
     * A legal representative (or mandataire) of the structure — or an operator, {@code grantedBy} null — delegates
     * the management of the structure's ORG and SERV certificates to an editor until {@code endsOn}.
     */
    @Transactional
    public Delegation createDelegation(UUID structureId, String editorIdNatStruct, UUID grantedBy, String endsOn) {
        structure(structureId).orElseThrow(() -> new NotFoundException("object.structure", structureId.toString()));
        if (grantedBy != null && !isLegalRepresentativeOrMandataire(grantedBy, structureId)) {
            throw new ForbiddenException("delegation.notRepresentative",
                    "Only the structure's legal representative or a mandataire may delegate");
        }
        List<FieldError> errors = new ArrayList<>();
        Optional<Structure> editor = structureByIdNatStruct(RegistryValidation.blankToNull(editorIdNatStruct));
        if (editor.isEmpty()) {
            errors.add(FieldError.of("editor", "delegation.editor.unknown", "No structure has this idNatStruct"));
        } else if (editor.get().id().equals(structureId)) {
            errors.add(FieldError.of("editor", "delegation.editor.self", "A structure cannot delegate to itself"));
        }
        LocalDate ends = RegistryValidation.date("endsOn", endsOn, errors);
        if (ends == null && errors.stream().noneMatch(e -> e.field().equals("endsOn"))) {
            errors.add(FieldError.of("endsOn", "field.required", "required"));
        } else if (ends != null && ends.isBefore(today())) {
            errors.add(FieldError.of("endsOn", "delegation.endsInPast", "The end date is in the past"));
        }
        ValidationException.throwIfAny(errors);
        Delegation delegation = new Delegation(UUID.randomUUID(), structureId, editor.get().id(), grantedBy,
                clock.instant(), ends, null);
        repository.insertDelegation(delegation);
        audit.record("delegation.created", "structure", structureId.toString(),
                Map.of("delegation", delegation.id().toString(), "editor", editor.get().idNatStruct(), "endsOn", ends.toString()));
        return delegation;
    }

    @Transactional
    public void revokeDelegation(UUID delegationId, UUID revokedBy) {
        Delegation delegation = repository.delegation(delegationId)
                .orElseThrow(() -> new NotFoundException("object.delegation", delegationId.toString()));
        if (revokedBy != null && !isLegalRepresentativeOrMandataire(revokedBy, delegation.structureId())) {
            throw new ForbiddenException("delegation.notRepresentative",
                    "Only the structure's legal representative or a mandataire may revoke");
        }
        if (repository.revokeDelegation(delegationId, revokedBy, clock.instant()) == 0) {
            throw new ConflictException("delegation.alreadyRevoked", "The delegation is already revoked");
        }
        audit.record("delegation.revoked", "structure", delegation.structureId().toString(),
                Map.of("delegation", delegationId.toString()));
    }

    // ---- habilitations and rights ---------------------------------------------------------------

    /** Active habilitations of a person. */
    public List<Habilitation> habilitationsOf(UUID personId) {
        return repository.habilitationsOf(personId);
    }

    /** Active habilitations on a structure. */
    public List<Habilitation> habilitationsOn(UUID structureId) {
        return repository.habilitationsOn(structureId);
    }

    /**
     * Records what an approved form 413 grants (called by the habilitation feature on approval, in its
     * transaction). Granting again an active habilitation merges the approved domains.
     */
    @Transactional
    public Habilitation grantHabilitation(UUID structureId, UUID personId, Offer offer, List<String> sslDomains,
                                         List<String> smimeDomains, String dossierReference) {
        if (offer == Offer.CPX) {
            throw new ValidationException(FieldError.of("offers", "habilitation.offer", "ORG, SERV or PRO only"));
        }
        structure(structureId).orElseThrow(() -> new NotFoundException("object.structure", structureId.toString()));
        person(personId).orElseThrow(() -> new NotFoundException("object.person", personId.toString()));
        List<String> ssl = new ArrayList<>(sslDomains == null ? List.of() : sslDomains);
        List<String> smime = new ArrayList<>(smimeDomains == null ? List.of() : smimeDomains);
        Optional<Habilitation> active = repository.activeHabilitation(structureId, personId, offer);
        if (active.isPresent()) {
            active.get().sslDomains().stream().filter(d -> !ssl.contains(d)).forEach(ssl::add);
            active.get().smimeDomains().stream().filter(d -> !smime.contains(d)).forEach(smime::add);
            repository.revokeHabilitation(active.get().id(), clock.instant());
        }
        Habilitation habilitation = new Habilitation(UUID.randomUUID(), structureId, personId, offer, ssl, smime,
                dossierReference, clock.instant(), null);
        repository.insertHabilitation(habilitation);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("person", personId.toString());
        details.put("offer", offer.name());
        if (dossierReference != null) {
            details.put("dossier", dossierReference);
        }
        audit.record("habilitation.granted", "structure", structureId.toString(), details);
        return habilitation;
    }

    @Transactional
    public void revokeHabilitation(UUID habilitationId) {
        if (repository.revokeHabilitation(habilitationId, clock.instant()) == 0) {
            throw new NotFoundException("object.habilitation", habilitationId.toString());
        }
        audit.record("habilitation.revoked", "habilitation", habilitationId.toString(), Map.of());
    }

    /**
     * Whether a person may order, renew and revoke certificates of this offer for this structure: an active
     * habilitation on the structure, or on its EJ when that EJ may order for its EG (EJ/EG doctrine); or, for ORG and
     * SERV, an active delegation from the structure (or such an EJ) to the editor of the person's card.
     */
    public boolean canManage(UUID personId, UUID structureId, Offer offer) {
        return manageableOffers(personId, structureId).contains(offer);
    }

    /** Every offer a person may manage on a structure (empty when none), see {@link #canManage}. */
    public Set<Offer> manageableOffers(UUID personId, UUID structureId) {
        Optional<Structure> structure = structure(structureId);
        Optional<Person> person = person(personId);
        if (structure.isEmpty() || person.isEmpty()) {
            return Set.of();
        }
        Set<UUID> covering = new java.util.HashSet<>();
        covering.add(structureId);
        Structure ej = ejOf(structure.get());
        if (!ej.id().equals(structureId) && ej.mayOrderUnderEj()) {
            covering.add(ej.id());
        }
        Set<Offer> offers = EnumSet.noneOf(Offer.class);
        for (Habilitation habilitation : repository.habilitationsOf(personId)) {
            if (covering.contains(habilitation.structureId())) {
                offers.add(habilitation.offer());
            }
        }
        UUID editor = person.get().cardStructureId();
        if (editor != null) {
            LocalDate today = today();
            for (UUID target : covering) {
                if (repository.delegationsOf(target).stream()
                        .anyMatch(d -> d.editorStructureId().equals(editor) && d.activeOn(today))) {
                    offers.addAll(DELEGATED_OFFERS);
                }
            }
        }
        return offers;
    }

    /**
     * Every structure a person acts on, with why: habilitations (offers), active delegations to its editor, and
     * the structures it represents. What {@code GET /api/v1/me} lists.
     */
    public List<StructureAccess> accessOf(UUID personId) {
        Map<UUID, Set<Offer>> offers = new LinkedHashMap<>();
        Map<UUID, List<String>> relations = new LinkedHashMap<>();
        for (Habilitation habilitation : repository.habilitationsOf(personId)) {
            offers.computeIfAbsent(habilitation.structureId(), k -> EnumSet.noneOf(Offer.class)).add(habilitation.offer());
            addRelation(relations, habilitation.structureId(), "HABILITATION");
        }
        LocalDate today = today();
        person(personId).map(Person::cardStructureId).ifPresent(editor -> {
            for (Delegation delegation : repository.delegationsTo(editor)) {
                if (delegation.activeOn(today)) {
                    offers.computeIfAbsent(delegation.structureId(), k -> EnumSet.noneOf(Offer.class)).addAll(DELEGATED_OFFERS);
                    addRelation(relations, delegation.structureId(), "DELEGATION");
                }
            }
        });
        for (Representative representative : repository.representationsOf(personId)) {
            if (representative.activeOn(today)) {
                offers.computeIfAbsent(representative.structureId(), k -> EnumSet.noneOf(Offer.class));
                addRelation(relations, representative.structureId(), representative.role().name());
            }
        }
        List<StructureAccess> access = new ArrayList<>();
        offers.forEach((id, set) -> structure(id).ifPresent(s -> access.add(new StructureAccess(s, set, relations.get(id)))));
        return access;
    }

    private static void addRelation(Map<UUID, List<String>> relations, UUID structureId, String relation) {
        List<String> list = relations.computeIfAbsent(structureId, k -> new ArrayList<>());
        if (!list.contains(relation)) {
            list.add(relation);
        }
    }

    Instant now() {
        return clock.instant();
    }

    private static int clampSize(int size) {
        return size <= 0 ? 50 : Math.min(size, 200);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }
}
