package org.openigc.certdc.deposit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

import org.openigc.certdc.CertDcAudit;
import org.openigc.certdc.CertDcMailer;
import org.openigc.certdc.CertDcSettings;
import org.openigc.certdc.DataCipher;
import org.openigc.certdc.Problems.FieldError;
import org.openigc.certdc.account.AccountService;
import org.openigc.certdc.connection.InformationSystem;
import org.openigc.certdc.connection.SiRepository;
import org.openigc.certdc.connection.SiStatus;
import org.openigc.certdc.connection.TransferMode;
import org.openigc.certdc.trust.ClientCertificateVerifier.VerifiedOrganisation;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Receives an SI's deposit (SPEC §7): finds the SI the certificate's structure acts for, checks the SI is
 * validated, the deposit valid field by field, its establishment attached to the SI and the certificate of the
 * SI's mode (TEST for sandbox, PRODUCTION for production); stores the nominative part encrypted for 96 hours, once
 * per idempotency key.
 */
public final class DepositService {
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final SiRepository systems;
    private final DepositRepository deposits;
    private final DataCipher cipher;
    private final CertDcAudit audit;
    private final CertDcMailer mailer;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final Duration retention;
    private final CertDcSettings settings;

    /** A refused deposit: HTTP status, problem code and the field errors; nothing was stored. */
    /**
     * The deposit's JSON, checked field by field: its data, or {@link Refused} (400 {@code json.malformed} or
     * {@code deposit.invalid}) naming every bad field. Never any other exception, whatever the bytes.
     */
    record Parsed(JsonNode root, DepositData data) {
    }

    static Parsed parse(byte[] body, LocalDate today) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new Refused(400, "json.malformed", "Malformed JSON" + where,
                    List.of(new FieldError("", "json.malformed", "the body is not well-formed JSON" + where)));
        }
        if (root == null || root.isMissingNode()) {
            throw new Refused(400, "json.malformed", "Empty body",
                    List.of(new FieldError("", "json.malformed", "the body is empty")));
        }
        DepositValidator.Result result = DepositValidator.validate(root, today);
        if (!result.valid()) {
            throw new Refused(400, "deposit.invalid", "The deposit has invalid fields", result.errors());
        }
        return new Parsed(root, result.data());
    }

    public static final class Refused extends RuntimeException {
        private final int status;
        private final String code;
        private final List<FieldError> errors;

        Refused(int status, String code, String message, List<FieldError> errors) {
            super(message);
            this.status = status;
            this.code = code;
            this.errors = List.copyOf(errors);
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    /** The acknowledgement: {@code replayed} when an earlier deposit with the same key is answered again. */
    public record Receipt(UUID id, TransferMode mode, Instant receivedAt, Instant expiresAt, boolean replayed) {
    }

    public DepositService(SiRepository systems, DepositRepository deposits, DataCipher cipher, CertDcAudit audit,
                          CertDcMailer mailer, Clock clock, TransactionTemplate transactions, Duration retention,
                          CertDcSettings settings) {
        this.systems = systems;
        this.deposits = deposits;
        this.cipher = cipher;
        this.audit = audit;
        this.mailer = mailer;
        this.clock = clock;
        this.transactions = transactions;
        this.retention = retention;
        this.settings = settings;
    }

    public Receipt deposit(VerifiedOrganisation caller, byte[] body, String idempotencyKey) {
        List<InformationSystem> candidates = systems.byIdNatStruct(caller.structure().format());
        if (candidates.isEmpty()) {
            throw refused(403, "si.unknown", "No CertDC connection exists for structure "
                    + caller.structure().format() + ": request the connection of your SI first.");
        }
        List<InformationSystem> validated = candidates.stream().filter(s -> s.status() == SiStatus.VALIDATED).toList();
        if (validated.isEmpty()) {
            throw refused(403, "si.notValidated", "The connection of your SI has not been validated by the CertDC "
                    + "administrator yet.");
        }
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 255
                || !idempotencyKey.chars().allMatch(c -> c > 0x20 && c < 0x7F))) {
            throw new Refused(400, "idempotency.key", "Invalid Idempotency-Key header",
                    List.of(new FieldError("Idempotency-Key", "idempotency.key",
                            "1 to 255 printable ASCII characters without spaces")));
        }
        Parsed parsed = parse(body, LocalDate.now(clock.withZone(PARIS)));
        JsonNode root = parsed.root();
        DepositData data = parsed.data();
        List<InformationSystem> attached = validated.stream()
                .filter(s -> s.establishmentNumbers().contains(data.establishment())).toList();
        if (attached.isEmpty()) {
            throw new Refused(403, "establishment.notAttached", "Establishment not attached to your SI",
                    List.of(new FieldError("establishment", "establishment.notAttached",
                            "this establishment is not attached to the SI of the certificate's structure")));
        }
        InformationSystem system = attached.stream()
                .filter(s -> s.mode().certificateEnvironment() == caller.environment())
                .findFirst().orElse(null);
        if (system == null) {
            TransferMode mode = attached.getFirst().mode();
            throw refused(403, "certificate.environment", "Your SI is in " + mode + " mode: call with your "
                    + mode.certificateEnvironment() + " ORG AUTH_CLI certificate ("
                    + (mode == TransferMode.SANDBOX ? "production has not been granted yet" : "sandbox is closed") + ").");
        }
        String digest = cipher.index("deposit-body", canonical(root).getBytes(StandardCharsets.UTF_8));
        return store(system, data, digest, idempotencyKey, caller);
    }

    private Receipt store(InformationSystem system, DepositData data, String digest, String key,
                          VerifiedOrganisation caller) {
        Receipt receipt = Objects.requireNonNull(transactions.execute(status -> {
            Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            if (key != null) {
                deposits.forgetExpiredKey(system.id(), key, receivedAt);
            }
            UUID id = UUID.randomUUID();
            byte[] payload = cipher.encrypt(id, DepositService.JSON.writeValueAsBytes(data.nominative()));
            DepositRepository.Row row = new DepositRepository.Row(id, system.id(), data.establishment(), system.mode(),
                    receivedAt, receivedAt.plus(retention), digest, payload, false);
            if (deposits.insert(row, cipher.index("ipp", data.ipp().getBytes(StandardCharsets.UTF_8)), key,
                    caller.serialNumber())) {
                audit.record("certdc.deposit.received", "certdc-deposit", id.toString(),
                        Map.of("si", system.id().toString(), "mode", system.mode().name(),
                                "establishment", data.establishment()));
                if (system.mode() == TransferMode.SANDBOX && systems.confirmSandboxReception(system.id(), receivedAt)) {
                    systems.byId(system.id()).ifPresent(this::confirmSandbox);
                }
                return new Receipt(id, system.mode(), receivedAt, row.expiresAt(), false);
            }
            DepositRepository.Row earlier = deposits.byIdempotencyKey(system.id(), key).orElseThrow();
            if (!earlier.requestDigest().equals(digest)) {
                throw new Refused(422, "idempotency.conflict", "Idempotency-Key already used for another deposit",
                        List.of(new FieldError("Idempotency-Key", "idempotency.conflict",
                                "this key was used for a different deposit")));
            }
            audit.record("certdc.deposit.replayed", "certdc-deposit", earlier.id().toString(),
                    Map.of("si", system.id().toString()));
            return new Receipt(earlier.id(), earlier.mode(), earlier.receivedAt(), earlier.expiresAt(), true);
        }));
        return receipt;
    }

    /** Seed 000: in sandbox, the reception is confirmed to the manager by mail when the controls pass (once). */
    private void confirmSandbox(InformationSystem system) {
        mailer.send("sandbox-reception-confirmed", AccountService.model("reference", system.reference(),
                "siName", system.request().siName(), "spaceUrl", settings.publicBaseUrl() + "/certdc/si"),
                List.of(system.request().requester().email()));
    }

    /** Object members sorted, no insignificant spaces: the same deposit gives the same digest however formatted. */
    static String canonical(JsonNode node) {
        if (node instanceof ObjectNode object) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>(Comparator.naturalOrder());
            object.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
            List<String> members = new ArrayList<>();
            sorted.forEach((k, v) -> members.add(JSON.writeValueAsString(k) + ":" + canonical(v)));
            return "{" + String.join(",", members) + "}";
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(canonical(item)));
            return "[" + String.join(",", items) + "]";
        }
        return JSON.writeValueAsString(node);
    }

    private static Refused refused(int status, String code, String message) {
        return new Refused(status, code, message, List.of());
    }
}
