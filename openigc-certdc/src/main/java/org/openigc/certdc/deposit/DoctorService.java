package org.openigc.certdc.deposit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.openigc.certdc.CertDcAudit;
import org.openigc.certdc.CertDcException;
import org.openigc.certdc.DataCipher;
import org.openigc.certdc.account.AccountRepository;
import org.openigc.certdc.account.CertDcUser;
import org.openigc.certdc.connection.TransferMode;
import org.openigc.identifiers.Identifiers;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a declaring doctor sees: the deposits of its own establishments only (CertDC's own link between doctors and
 * establishments), the number pending, the search by IPP, and its death-certificate drafts prefilled with the
 * identity traits. Sandbox deposits are always flagged as test data. Consultations are audited with ids and
 * counts only.
 */
public final class DoctorService {
    public static final String PROFILE = "MEDECIN_DECLARANT";
    static final Set<String> PLACE_TYPES = Set.of("DOMICILE", "ETABLISSEMENT_SANTE", "EHPAD", "VOIE_PUBLIQUE", "AUTRE");
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final DepositRepository deposits;
    private final DraftRepository drafts;
    private final AccountRepository accounts;
    private final DataCipher cipher;
    private final CertDcAudit audit;
    private final Clock clock;
    private final TransactionTemplate transactions;

    /** @param pending no certificate has been completed from it yet */
    public record DepositView(UUID id, TransferMode mode, String establishment, java.time.Instant receivedAt,
                              java.time.Instant expiresAt, DepositData.Nominative data, boolean pending) {
        public boolean sandbox() {
            return mode == TransferMode.SANDBOX;
        }
    }

    /** The medical part of the draft; minimal, but what is there is checked. */
    public record Medical(String deathDate, String deathTime, String deathCommune, String deathPlaceType,
                          String immediateCause, String underlyingCauses, String medicoLegalObstacle) {
        public static Medical empty() {
            return new Medical("", "", "", "", "", "", "");
        }
    }

    public record DraftContent(DepositData.Nominative identity, Medical medical) {
    }

    public record DraftView(UUID id, UUID depositId, String establishment, TransferMode mode, String profile,
                            DraftRepository.Status status, DraftContent content, java.time.Instant expiresAt,
                            java.time.Instant updatedAt) {
        public boolean sandbox() {
            return mode == TransferMode.SANDBOX;
        }
    }

    public DoctorService(DepositRepository deposits, DraftRepository drafts, AccountRepository accounts,
                         DataCipher cipher, CertDcAudit audit, Clock clock, TransactionTemplate transactions) {
        this.deposits = deposits;
        this.drafts = drafts;
        this.accounts = accounts;
        this.cipher = cipher;
        this.audit = audit;
        this.clock = clock;
        this.transactions = transactions;
    }

    public List<String> establishments(CertDcUser doctor) {
        return accounts.establishmentsOf(doctor.accountId());
    }

    public Map<TransferMode, Integer> pending(CertDcUser doctor) {
        List<String> mine = establishments(doctor);
        Map<TransferMode, Integer> counts = new EnumMap<>(TransferMode.class);
        for (TransferMode mode : TransferMode.values()) {
            counts.put(mode, visible(doctor, mode) ? deposits.countPending(mine, mode, clock.instant()) : 0);
        }
        return counts;
    }

    /** The data sets of that IPP in the doctor's establishments, optionally of one mode only. */
    public List<DepositView> search(CertDcUser doctor, String ipp, TransferMode mode) {
        if (ipp == null || !Identifiers.ipp("ipp", ipp.strip()).isEmpty()) {
            throw new CertDcException(CertDcException.Kind.INVALID, "certdc.doctor.ipp", "a valid IPP is required");
        }
        String wanted = ipp.strip();
        List<DepositView> found = new ArrayList<>();
        for (DepositRepository.Row row : deposits.byIpp(cipher.index("ipp", wanted.getBytes(StandardCharsets.UTF_8)),
                establishments(doctor), clock.instant())) {
            if ((mode != null && row.mode() != mode) || !visible(doctor, row.mode())) {
                continue;
            }
            DepositData.Nominative data = decrypt(row);
            if (wanted.equals(data.ipp())) {
                found.add(new DepositView(row.id(), row.mode(), row.establishment(), row.receivedAt(), row.expiresAt(),
                        data, !row.completed()));
            }
        }
        audit.record("certdc.deposit.searched", "certdc-deposit", null,
                Map.of("results", String.valueOf(found.size()),
                        "ids", String.join(",", found.stream().map(v -> v.id().toString()).toList())));
        return found;
    }

    /** Opens (or reopens) the doctor's draft for a deposit, prefilled with the identity traits. */
    public UUID openDraft(CertDcUser doctor, UUID depositId, String profile) {
        if (!PROFILE.equals(profile)) {
            throw new CertDcException(CertDcException.Kind.INVALID, "certdc.draft.profile",
                    "choose the profile médecin déclarant");
        }
        return transactions.execute(status -> {
            DepositRepository.Row deposit = deposits.byId(depositId, clock.instant())
                    .filter(d -> establishments(doctor).contains(d.establishment()) && visible(doctor, d.mode()))
                    .orElseThrow(() -> CertDcException.notFound("deposit"));
            var existing = drafts.openFor(depositId, doctor.accountId());
            if (existing.isPresent()) {
                return existing.get().id();
            }
            DepositData.Nominative identity = decrypt(deposit);
            Medical medical = Medical.empty();
            if (identity.death() != null && identity.death().date() != null) {
                String date = identity.death().date();
                medical = new Medical(date.substring(0, 10), date.length() > 10 ? date.substring(11, Math.min(16, date.length())) : "",
                        "", "", "", "", "");
            }
            UUID id = UUID.randomUUID();
            byte[] content = cipher.encrypt(id, DepositService.JSON.writeValueAsBytes(new DraftContent(identity, medical)));
            drafts.insert(new DraftRepository.Row(id, depositId, doctor.accountId(), deposit.establishment(),
                    deposit.mode(), PROFILE, DraftRepository.Status.DRAFT, content, deposit.expiresAt(),
                    clock.instant(), clock.instant()));
            audit.record("certdc.draft.opened", "certdc-draft", id.toString(),
                    Map.of("deposit", depositId.toString(), "profile", PROFILE, "mode", deposit.mode().name()));
            return id;
        });
    }

    /** Production data is never shown to a login made with a TEST card. */
    private static boolean visible(CertDcUser doctor, TransferMode mode) {
        return mode == TransferMode.SANDBOX || !doctor.testOnly();
    }

    public DraftView draft(CertDcUser doctor, UUID id) {
        DraftRepository.Row row = drafts.byId(id, doctor.accountId()).orElseThrow(() -> CertDcException.notFound("draft"));
        return view(row);
    }

    public List<DraftView> drafts(CertDcUser doctor) {
        return drafts.of(doctor.accountId()).stream().map(this::view).toList();
    }

    /** @return the broken rules (message keys); empty when saved */
    public List<String> save(CertDcUser doctor, UUID id, Medical medical, boolean complete) {
        DraftView draft = draft(doctor, id);
        if (draft.status() != DraftRepository.Status.DRAFT || draft.content() == null) {
            throw CertDcException.state("certdc.draft.closed", "this draft can no longer be changed");
        }
        List<String> errors = check(medical, draft.content().identity(), complete);
        if (!errors.isEmpty()) {
            return errors;
        }
        byte[] content = cipher.encrypt(id, DepositService.JSON.writeValueAsBytes(
                new DraftContent(draft.content().identity(), medical)));
        transactions.executeWithoutResult(status -> {
            if (!drafts.save(id, doctor.accountId(), content, complete, clock.instant())) {
                throw CertDcException.state("certdc.draft.closed", "this draft can no longer be changed");
            }
            audit.record(complete ? "certdc.draft.completed" : "certdc.draft.saved", "certdc-draft", id.toString(),
                    Map.of());
        });
        return List.of();
    }

    private List<String> check(Medical medical, DepositData.Nominative identity, boolean complete) {
        List<String> errors = new ArrayList<>();
        LocalDate today = LocalDate.now(clock.withZone(PARIS));
        if (!medical.deathDate().isBlank()) {
            try {
                LocalDate date = LocalDate.parse(medical.deathDate());
                if (date.isAfter(today)) {
                    errors.add("certdc.draft.deathDateFuture");
                } else if (identity.patient().birthDate() != null
                        && date.isBefore(LocalDate.parse(identity.patient().birthDate()))) {
                    errors.add("certdc.draft.deathBeforeBirth");
                }
            } catch (DateTimeParseException e) {
                errors.add("certdc.draft.deathDateFormat");
            }
        }
        if (!medical.deathTime().isBlank()) {
            try {
                LocalTime.parse(medical.deathTime());
            } catch (DateTimeParseException e) {
                errors.add("certdc.draft.deathTimeFormat");
            }
        }
        if (!medical.deathPlaceType().isBlank() && !PLACE_TYPES.contains(medical.deathPlaceType())) {
            errors.add("certdc.draft.placeType");
        }
        if (!medical.medicoLegalObstacle().isBlank() && !Set.of("OUI", "NON").contains(medical.medicoLegalObstacle())) {
            errors.add("certdc.draft.obstacleInvalid");
        }
        for (String text : List.of(medical.deathCommune(), medical.immediateCause(), medical.underlyingCauses())) {
            if (text.length() > 1000 || text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r')) {
                errors.add("certdc.draft.text");
                break;
            }
        }
        if (complete && (medical.deathDate().isBlank() || medical.deathTime().isBlank()
                || medical.deathPlaceType().isBlank() || medical.immediateCause().isBlank()
                || medical.medicoLegalObstacle().isBlank())) {
            errors.add("certdc.draft.incomplete");
        }
        return errors;
    }

    private DraftView view(DraftRepository.Row row) {
        DraftContent content = row.content() == null ? null : DepositService.JSON.readValue(
                cipher.decrypt(row.id(), row.content()), DraftContent.class);
        DraftRepository.Status status = row.content() == null || !row.expiresAt().isAfter(clock.instant())
                ? DraftRepository.Status.EXPIRED : row.status();
        return new DraftView(row.id(), row.depositId(), row.establishment(), row.mode(), row.profile(), status,
                status == DraftRepository.Status.EXPIRED ? null : content, row.expiresAt(), row.updatedAt());
    }

    private DepositData.Nominative decrypt(DepositRepository.Row row) {
        return DepositService.JSON.readValue(cipher.decrypt(row.id(), row.payload()), DepositData.Nominative.class);
    }
}
