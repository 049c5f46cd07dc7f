package org.openigc.certdc.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.openigc.certdc.CertDcAudit;
import org.openigc.certdc.CertDcException;
import org.openigc.certdc.CertDcMailer;
import org.openigc.certdc.CertDcProperties;
import org.openigc.certdc.CertDcSettings;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * CertDC accounts: creation with a one-time initial password, login with lockout after repeated failures (unlock
 * by a mailed single-use link), forgotten password (mailed single-use link with expiry), change of password.
 * Every outcome is audited with the account id only.
 */
public final class AccountService {
    static final String RESET = "PASSWORD_RESET";
    static final String UNLOCK = "UNLOCK";
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("dd/MM/yyyy à HH:mm").withZone(PARIS);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccountRepository accounts;
    private final Passwords passwords;
    private final RateLimiter rateLimiter;
    private final CertDcMailer mailer;
    private final CertDcAudit audit;
    private final Clock clock;
    private final TransactionTemplate transactions;
    private final CertDcProperties properties;
    private final CertDcSettings settings;
    private final String timingHash;

    /** Thrown when a client exceeds a rate limit on login. */
    public static final class TooManyAttemptsException extends AuthenticationException {
        public TooManyAttemptsException() {
            super("too many attempts");
        }
    }

    /** A new account and its one-time password (to be mailed, never stored in clear). */
    public record Created(Account account, String initialPassword) {
        @Override
        public String toString() {
            return "Created[" + account.id() + "]";
        }
    }

    public AccountService(AccountRepository accounts, Passwords passwords, RateLimiter rateLimiter, CertDcMailer mailer,
                          CertDcAudit audit, Clock clock, TransactionTemplate transactions, CertDcProperties properties,
                          CertDcSettings settings) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.rateLimiter = rateLimiter;
        this.mailer = mailer;
        this.audit = audit;
        this.clock = clock;
        this.transactions = transactions;
        this.properties = properties;
        this.settings = settings;
        this.timingHash = passwords.hash("certdc-timing-equaliser-" + UUID.randomUUID());
    }

    public Passwords passwords() {
        return passwords;
    }

    public AccountRepository repository() {
        return accounts;
    }

    // --- creation ---

    /** An SI manager account with a generated identifier, in the caller's transaction. */
    public Created createManager(String displayName, String email) {
        String login;
        do {
            login = "gsi-" + randomAlphanumeric(6);
        } while (accounts.loginTaken(login));
        return create(login, AccountKind.SI_MANAGER, displayName, email, null);
    }

    /**
     * A declaring doctor (login = RPPS, card idNatPS = 8 + RPPS) linked to establishments, in the caller's
     * transaction; an existing doctor only gains the establishments. Returns the one-time password of a new account.
     */
    public Optional<Created> createOrLinkDoctor(String rpps, String displayName, String email,
                                                Collection<String> establishments) {
        Optional<Account> existing = accounts.byLogin(rpps);
        if (existing.isPresent()) {
            if (existing.get().kind() != AccountKind.DOCTOR) {
                throw new CertDcException(CertDcException.Kind.CONFLICT, "certdc.doctor.loginTaken",
                        "identifier already used by another kind of account");
            }
            accounts.linkEstablishments(existing.get().id(), establishments);
            audit.record("certdc.doctor.linked", "certdc-account", existing.get().id().toString(),
                    Map.of("establishments", String.valueOf(establishments.size())));
            return Optional.empty();
        }
        Created created = create(rpps, AccountKind.DOCTOR, displayName, email, "8" + rpps);
        accounts.linkEstablishments(created.account().id(), establishments);
        mailer.send("doctor-account-created", model("login", rpps, "password", created.initialPassword(),
                "loginUrl", settings.publicBaseUrl() + "/certdc/login"), List.of(email));
        return Optional.of(created);
    }

    public Created create(String login, AccountKind kind, String displayName, String email, String idNatPs) {
        String password = Passwords.generate();
        Account account = new Account(UUID.randomUUID(), login, kind, displayName, email, idNatPs,
                passwords.hash(password), true, 0, null, true, clock.instant());
        accounts.insert(account);
        audit.record("certdc.account.created", "certdc-account", account.id().toString(), Map.of("kind", kind.name()));
        return new Created(account, password);
    }

    /** A demo or configured account with a known password (no forced change) and no mail. */
    public Account ensure(String login, AccountKind kind, String displayName, String email, String idNatPs,
                          String password) {
        return accounts.byLogin(login).orElseGet(() -> {
            Account account = new Account(UUID.randomUUID(), login, kind, displayName, email, idNatPs,
                    password == null ? null : passwords.hash(password), false, 0, null, true, clock.instant());
            accounts.insert(account);
            audit.recordAs("system:certdc", null, "certdc.account.created", "certdc-account", account.id().toString(),
                    Map.of("kind", kind.name(), "source", "configuration"));
            return account;
        });
    }

    // --- login ---

    /**
     * Checks an identifier and password. Unknown identifiers cost the same time as known ones and get the same
     * answer. The N-th consecutive failure locks the account and mails an unlock link.
     *
     * @throws BadCredentialsException  wrong identifier or password
     * @throws LockedException          the account is locked
     * @throws TooManyAttemptsException the client or identifier exceeded its rate
     */
    public CertDcUser authenticate(String login, String password, String clientAddress) {
        String normalised = AccountRepository.normalise(login);
        if (!rateLimiter.tryAcquire("login-ip:" + clientAddress, 60, Duration.ofMinutes(1))
                || !rateLimiter.tryAcquire("login:" + normalised, 10, Duration.ofMinutes(1))) {
            audit.recordAs("anonymous", clientAddress, "certdc.login.rateLimited", "certdc-account", null, Map.of());
            throw new TooManyAttemptsException();
        }
        Optional<Account> found = accounts.byLogin(normalised);
        if (found.isEmpty() || found.get().passwordHash() == null || !found.get().enabled()) {
            passwords.matches(password == null ? "" : password, timingHash);
            audit.recordAs("anonymous", clientAddress, "certdc.login.refused", "certdc-account", null,
                    Map.of("reason", "unknown"));
            throw new BadCredentialsException("bad credentials");
        }
        Account account = found.get();
        boolean matches = passwords.matches(password == null ? "" : password, account.passwordHash());
        if (account.locked()) {
            audit.recordAs("anonymous", clientAddress, "certdc.login.refused", "certdc-account",
                    account.id().toString(), Map.of("reason", "locked"));
            throw new LockedException("locked");
        }
        if (!matches) {
            boolean nowLocked = Boolean.TRUE.equals(transactions.execute(status -> {
                int failures = accounts.recordFailure(account.id());
                if (failures >= properties.lockoutThreshold() && accounts.lock(account.id(), clock.instant())) {
                    if (account.email() != null) {
                        String token = newToken(account.id(), UNLOCK);
                        mailer.send("account-locked", model("login", account.login(), "failures", failures,
                                "unlockUrl", settings.publicBaseUrl() + "/certdc/unlock?token=" + token,
                                "resetUrl", settings.publicBaseUrl() + "/certdc/password/forgot",
                                "expires", WHEN.format(clock.instant().plus(properties.tokenValidity()))),
                                List.of(account.email()));
                    }
                    audit.recordAs("anonymous", clientAddress, "certdc.account.locked", "certdc-account",
                            account.id().toString(), Map.of("failures", String.valueOf(failures)));
                    return true;
                }
                return false;
            }));
            audit.recordAs("anonymous", clientAddress, "certdc.login.refused", "certdc-account",
                    account.id().toString(), Map.of("reason", "password"));
            if (nowLocked) {
                throw new LockedException("locked");
            }
            throw new BadCredentialsException("bad credentials");
        }
        transactions.executeWithoutResult(status -> {
            accounts.recordSuccess(account.id(), clock.instant());
            if (passwords.needsRehash(account.passwordHash())) {
                accounts.rehash(account.id(), passwords.hash(password));
            }
        });
        audit.recordAs(account.login(), clientAddress, "certdc.login.succeeded", "certdc-account",
                account.id().toString(), Map.of("method", "password"));
        return user(account, "password");
    }

    public static CertDcUser user(Account account, String method) {
        return new CertDcUser(account.id(), account.login(), account.kind(), account.displayName(), method,
                "password".equals(method) && account.mustChangePassword(), false);
    }

    /** A card login: a card of the TEST hierarchy gives access to test (sandbox) data only. */
    public static CertDcUser cardUser(Account account, boolean testCard) {
        return new CertDcUser(account.id(), account.login(), account.kind(), account.displayName(), "card", false,
                testCard);
    }

    // --- passwords ---

    /** @return the broken rules (message keys); empty when the password was changed */
    public List<String> changePassword(CertDcUser user, String current, String replacement, String confirmation) {
        Account account = accounts.byId(user.accountId()).orElseThrow(() -> CertDcException.notFound("account"));
        if (account.passwordHash() != null && !passwords.matches(current == null ? "" : current, account.passwordHash())) {
            audit.record("certdc.password.changeRefused", "certdc-account", account.id().toString(),
                    Map.of("reason", "current"));
            return List.of("certdc.password.currentWrong");
        }
        List<String> broken = rules(account, replacement, confirmation);
        if (!broken.isEmpty()) {
            return broken;
        }
        transactions.executeWithoutResult(status -> {
            accounts.setPassword(account.id(), passwords.hash(replacement), false, clock.instant());
            notifyChanged(account);
            audit.record("certdc.password.changed", "certdc-account", account.id().toString(), Map.of());
        });
        return List.of();
    }

    /**
     * Mails a single-use reset link when the identifier exists and has an email; answers the same either way.
     *
     * @throws CertDcException TOO_MANY when the client or the identifier asked too often
     */
    public void forgotPassword(String login, String clientAddress) {
        String normalised = AccountRepository.normalise(login);
        if (!rateLimiter.tryAcquire("forgot-ip:" + clientAddress, 10, Duration.ofMinutes(15))
                || !rateLimiter.tryAcquire("forgot:" + normalised, 3, Duration.ofHours(1))) {
            audit.recordAs("anonymous", clientAddress, "certdc.password.resetRateLimited", "certdc-account", null,
                    Map.of());
            throw CertDcException.tooMany();
        }
        Optional<Account> account = accounts.byLogin(normalised).filter(a -> a.email() != null && a.enabled());
        if (account.isEmpty()) {
            audit.recordAs("anonymous", clientAddress, "certdc.password.resetRequested", "certdc-account", null,
                    Map.of("known", "false"));
            return;
        }
        transactions.executeWithoutResult(status -> {
            accounts.revokeTokens(account.get().id(), RESET, clock.instant());
            String token = newToken(account.get().id(), RESET);
            mailer.send("password-reset", model("login", account.get().login(),
                    "resetUrl", settings.publicBaseUrl() + "/certdc/password/reset?token=" + token,
                    "expires", WHEN.format(clock.instant().plus(properties.tokenValidity()))),
                    List.of(account.get().email()));
            audit.recordAs("anonymous", clientAddress, "certdc.password.resetRequested", "certdc-account",
                    account.get().id().toString(), Map.of("known", "true"));
        });
    }

    public boolean resetTokenUsable(String token) {
        return token != null && accounts.tokenUsable(hashToken(token), RESET, clock.instant());
    }

    /**
     * Sets a new password with a reset link; also unlocks the account. The link is used up only when the new
     * password is accepted.
     *
     * @return broken rules; {@code certdc.token.invalid} when the link is unknown, used or expired
     */
    public List<String> resetPassword(String token, String replacement, String confirmation) {
        if (token == null || token.isBlank()) {
            return List.of("certdc.token.invalid");
        }
        String hash = hashToken(token);
        List<String> result = transactions.execute(status -> {
            if (!accounts.tokenUsable(hash, RESET, clock.instant())) {
                return List.of("certdc.token.invalid");
            }
            Optional<UUID> owner = jdbcOwner(hash);
            Account account = accounts.byId(owner.orElseThrow()).orElseThrow();
            List<String> broken = rules(account, replacement, confirmation);
            if (!broken.isEmpty()) {
                return broken;
            }
            if (accounts.consumeToken(hash, RESET, clock.instant()).isEmpty()) {
                return List.of("certdc.token.invalid");
            }
            accounts.setPassword(account.id(), passwords.hash(replacement), false, clock.instant());
            accounts.unlock(account.id());
            accounts.revokeTokens(account.id(), UNLOCK, clock.instant());
            notifyChanged(account);
            audit.recordAs(account.login(), null, "certdc.password.reset", "certdc-account", account.id().toString(),
                    Map.of());
            return List.of();
        });
        return result;
    }

    /** Unlocks the account of a mailed unlock link (single use). */
    public boolean unlock(String token) {
        if (token == null || token.isBlank()) {
            return false;
        }
        return Boolean.TRUE.equals(transactions.execute(status -> {
            Optional<UUID> account = accounts.consumeToken(hashToken(token), UNLOCK, clock.instant());
            account.ifPresent(id -> {
                accounts.unlock(id);
                audit.recordAs("anonymous", null, "certdc.account.unlocked", "certdc-account", id.toString(), Map.of());
            });
            return account.isPresent();
        }));
    }

    private Optional<UUID> jdbcOwner(String tokenHash) {
        return accounts.tokenOwner(tokenHash);
    }

    private List<String> rules(Account account, String replacement, String confirmation) {
        if (replacement == null || !replacement.equals(confirmation)) {
            return List.of("certdc.password.mismatch");
        }
        return passwords.check(replacement, account.login(), account.passwordHash());
    }

    private void notifyChanged(Account account) {
        if (account.email() != null) {
            mailer.send("password-changed", model("login", account.login(), "when", WHEN.format(clock.instant()),
                    "resetUrl", settings.publicBaseUrl() + "/certdc/password/forgot"), List.of(account.email()));
        }
    }

    private String newToken(UUID accountId, String purpose) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant now = clock.instant();
        accounts.insertToken(hashToken(token), accountId, purpose, now.plus(properties.tokenValidity()), now);
        return token;
    }

    static String hashToken(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomAlphanumeric(int length) {
        String alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < length; i++) {
            value.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return value.toString();
    }

    public static Map<String, Object> model(Object... keyValues) {
        Map<String, Object> model = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            model.put((String) keyValues[i], keyValues[i + 1]);
        }
        return model;
    }
}
