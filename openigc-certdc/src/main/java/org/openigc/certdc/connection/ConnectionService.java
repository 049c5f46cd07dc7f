package org.openigc.certdc.connection;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.openigc.certdc.CertDcAudit;
import org.openigc.certdc.CertDcException;
import org.openigc.certdc.CertDcMailer;
import org.openigc.certdc.CertDcSettings;
import org.openigc.certdc.account.AccountKind;
import org.openigc.certdc.account.AccountRepository;
import org.openigc.certdc.account.AccountService;
import org.openigc.certdc.account.CertDcUser;
import org.openigc.certdc.account.RateLimiter;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The SI connection workflow (seed 000, SPEC §3.9), one method per transition, each in one transaction with its
 * audit event and its mails: a request is recorded awaiting instruction with a CertDC account for its requester;
 * the administrator validates or rejects it; a validated SI starts in sandbox; the manager asks for production and
 * the administrator grants or refuses it.
 */
public final class ConnectionService {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SiRepository systems;
    private final AccountService accounts;
    private final AccountRepository accountRepository;
    private final CertDcMailer mailer;
    private final CertDcAudit audit;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final CertDcSettings settings;
    private final RateLimiter rateLimiter;

    /** What the requester is told at once; the password goes by mail only. */
    public record Submitted(UUID id, String reference, String login) {
    }

    public ConnectionService(SiRepository systems, AccountService accounts, CertDcMailer mailer, CertDcAudit audit,
                             Clock clock, TransactionTemplate transactions, CertDcSettings settings,
                             RateLimiter rateLimiter) {
        this.systems = systems;
        this.accounts = accounts;
        this.accountRepository = accounts.repository();
        this.mailer = mailer;
        this.audit = audit;
        this.clock = clock;
        this.transactions = transactions;
        this.settings = settings;
        this.rateLimiter = rateLimiter;
    }

    public SiRepository repository() {
        return systems;
    }

    /**
     * Records a validated request (captcha and consent already checked by the caller) awaiting instruction,
     * creates the requester's account and mails its identifier and one-time password.
     */
    public Submitted submit(ConnectionRequest request, String clientAddress) {
        if (!rateLimiter.tryAcquire("connection-ip:" + clientAddress, 20, Duration.ofHours(1))) {
            throw CertDcException.tooMany();
        }
        return Objects.requireNonNull(transactions.execute(status -> {
            Instant now = clock.instant();
            AccountService.Created manager = accounts.createManager(request.requester().displayName(),
                    request.requester().email());
            UUID id = UUID.randomUUID();
            String reference = newReference(now);
            systems.insert(id, reference, structureOf(request), request, manager.account().id(), now);
            mailer.send("account-created", AccountService.model(
                    "reference", reference, "siName", request.siName(), "login", manager.account().login(),
                    "password", manager.initialPassword(), "loginUrl", settings.publicBaseUrl() + "/certdc/login",
                    "kitUrl", settings.publicBaseUrl() + "/certdc/si/kit.zip"), List.of(request.requester().email()));
            notifyAdmins("request-received-admin", reference, request.siName());
            audit.recordAs("anonymous", clientAddress, "certdc.connection.submitted", "certdc-si", id.toString(),
                    Map.of("reference", reference, "establishments", String.valueOf(request.establishments().size()),
                            "account", manager.account().id().toString()));
            return new Submitted(id, reference, manager.account().login());
        }));
    }

    /**
     * The manager updates its request. Changing the attached establishments of a validated SI sends it back to
     * instruction (an establishment is never added to a validated SI without the administrator); updating a
     * rejected request submits it again.
     */
    public InformationSystem update(CertDcUser manager, UUID id, ConnectionRequest request) {
        return Objects.requireNonNull(transactions.execute(status -> {
            InformationSystem current = ownedBy(manager, id);
            Instant now = clock.instant();
            boolean establishmentsChanged = !current.establishmentNumbers().equals(
                    ConnectionForm.numbers(request).stream().map(EstablishmentNumber::value).toList())
                    || !current.request().establishments().stream().map(ConnectionRequest.Establishment::kind).toList()
                    .equals(request.establishments().stream().map(ConnectionRequest.Establishment::kind).toList());
            boolean reinstruct = current.status() == SiStatus.REJECTED
                    || (current.status() == SiStatus.VALIDATED && establishmentsChanged);
            systems.update(id, structureOf(request), request, now);
            accountRepository.updateContact(manager.accountId(), request.requester().displayName(),
                    request.requester().email());
            if (reinstruct) {
                systems.transition(id, current.status(), SiStatus.PENDING, null, null, now);
            }
            notifyAdmins("request-updated-admin", current.reference(), request.siName());
            audit.record("certdc.connection.updated", "certdc-si", id.toString(),
                    Map.of("reinstruction", String.valueOf(reinstruct),
                            "establishments", String.valueOf(request.establishments().size())));
            return systems.byId(id).orElseThrow();
        }));
    }

    public void validate(CertDcUser admin, UUID id) {
        transactions.executeWithoutResult(status -> {
            InformationSystem system = systems.byId(id).orElseThrow(() -> CertDcException.notFound("SI"));
            if (!systems.transition(id, SiStatus.PENDING, SiStatus.VALIDATED, null, admin.login(), clock.instant())) {
                throw CertDcException.state("certdc.si.notPending", "only a request awaiting instruction can be validated");
            }
            mailManager(system, "request-validated", Map.of("mode", system.mode().name()));
            audit.record("certdc.connection.validated", "certdc-si", id.toString(), Map.of("mode", system.mode().name()));
        });
    }

    public void reject(CertDcUser admin, UUID id, String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > 1000) {
            throw new CertDcException(CertDcException.Kind.INVALID, "certdc.si.reasonRequired", "a reason is required");
        }
        transactions.executeWithoutResult(status -> {
            InformationSystem system = systems.byId(id).orElseThrow(() -> CertDcException.notFound("SI"));
            if (!systems.transition(id, SiStatus.PENDING, SiStatus.REJECTED, why, admin.login(), clock.instant())) {
                throw CertDcException.state("certdc.si.notPending", "only a request awaiting instruction can be rejected");
            }
            mailManager(system, "request-rejected", Map.of("reason", why));
            audit.record("certdc.connection.rejected", "certdc-si", id.toString(), Map.of());
        });
    }

    public void requestProduction(CertDcUser manager, UUID id) {
        transactions.executeWithoutResult(status -> {
            InformationSystem system = ownedBy(manager, id);
            if (!systems.requestProduction(id, clock.instant())) {
                throw CertDcException.state("certdc.si.productionNotPossible",
                        "production can be asked for a validated SI in sandbox mode, once");
            }
            mailManager(system, "production-requested", Map.of());
            notifyAdmins("production-requested-admin", system.reference(), system.request().siName());
            audit.record("certdc.connection.productionRequested", "certdc-si", id.toString(), Map.of());
        });
    }

    public void decideProduction(CertDcUser admin, UUID id, boolean granted, String reason) {
        transactions.executeWithoutResult(status -> {
            InformationSystem system = systems.byId(id).orElseThrow(() -> CertDcException.notFound("SI"));
            if (!systems.decideProduction(id, granted, admin.login(), clock.instant())) {
                throw CertDcException.state("certdc.si.noProductionRequest", "no production request to decide");
            }
            mailManager(system, granted ? "production-validated" : "production-refused",
                    Map.of("reason", reason == null ? "" : reason.strip()));
            audit.record(granted ? "certdc.connection.productionGranted" : "certdc.connection.productionRefused",
                    "certdc-si", id.toString(), Map.of());
        });
    }

    public InformationSystem ownedBy(CertDcUser manager, UUID id) {
        return systems.byId(id).filter(s -> s.managerAccountId().equals(manager.accountId()))
                .orElseThrow(() -> CertDcException.notFound("SI"));
    }

    public List<InformationSystem> of(CertDcUser manager) {
        return systems.byManager(manager.accountId());
    }

    private void mailManager(InformationSystem system, String template, Map<String, Object> extra) {
        accountRepository.byId(system.managerAccountId()).filter(a -> a.email() != null).ifPresent(manager -> {
            Map<String, Object> model = AccountService.model("reference", system.reference(),
                    "siName", system.request().siName(), "login", manager.login(),
                    "spaceUrl", settings.publicBaseUrl() + "/certdc/si",
                    "kitUrl", settings.publicBaseUrl() + "/certdc/si/kit.zip",
                    "sandboxUrl", settings.sandboxBaseUrl() + "/certdc/ws/v1/deposits",
                    "productionUrl", settings.productionBaseUrl() + "/certdc/ws/v1/deposits");
            model.putAll(extra);
            mailer.send(template, model, List.of(manager.email()));
        });
    }

    private void notifyAdmins(String template, String reference, String siName) {
        List<String> admins = accountRepository.emailsOf(AccountKind.ADMIN);
        if (!admins.isEmpty()) {
            mailer.send(template, AccountService.model("reference", reference, "siName", siName,
                    "adminUrl", settings.publicBaseUrl() + "/certdc/admin"), admins);
        }
    }

    static String structureOf(ConnectionRequest request) {
        return EstablishmentNumber.parse("establishment", request.legalEntity().number()).number().idNatStruct();
    }

    private static String newReference(Instant now) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder reference = new StringBuilder("SI-").append(now.atZone(ZoneOffset.UTC).getYear()).append('-');
        for (int i = 0; i < 6; i++) {
            reference.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return reference.toString();
    }
}
