package org.openigc.certdc.account;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL of {@code certdc.account}, {@code certdc.account_token} and {@code certdc.doctor_establishment}. */
public final class AccountRepository {
    private static final String COLUMNS = """
            id, login, kind, display_name, email, idnat_ps, password_hash, must_change_password, failed_attempts,
            locked_at, enabled, created_at""";

    private final JdbcClient jdbc;

    public AccountRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public static String normalise(String login) {
        return login == null ? "" : login.strip().toLowerCase(Locale.ROOT);
    }

    public Optional<Account> byLogin(String login) {
        return jdbc.sql("select " + COLUMNS + " from certdc.account where login = :login")
                .param("login", normalise(login)).query(AccountRepository::map).optional();
    }

    public Optional<Account> byId(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from certdc.account where id = :id").param("id", id)
                .query(AccountRepository::map).optional();
    }

    public Optional<Account> byIdNatPs(String idNatPs) {
        return jdbc.sql("select " + COLUMNS + " from certdc.account where idnat_ps = :id").param("id", idNatPs)
                .query(AccountRepository::map).optional();
    }

    public boolean loginTaken(String login) {
        return jdbc.sql("select count(*) from certdc.account where login = :login").param("login", normalise(login))
                .query(Integer.class).single() > 0;
    }

    public void insert(Account account) {
        jdbc.sql("""
                insert into certdc.account (id, login, kind, display_name, email, idnat_ps, password_hash,
                                            must_change_password, failed_attempts, locked_at, enabled, created_at,
                                            password_changed_at)
                values (:id, :login, :kind, :name, :email, :idNatPs, :hash, :mustChange, 0, null, true, :createdAt,
                        :createdAt)
                """)
                .param("id", account.id()).param("login", normalise(account.login()))
                .param("kind", account.kind().name()).param("name", account.displayName())
                .param("email", account.email()).param("idNatPs", account.idNatPs())
                .param("hash", account.passwordHash()).param("mustChange", account.mustChangePassword())
                .param("createdAt", Timestamp.from(account.createdAt()))
                .update();
    }

    /** Counts one more failure and returns the new count (atomic, so concurrent guesses are all counted). */
    public int recordFailure(UUID id) {
        return jdbc.sql("update certdc.account set failed_attempts = failed_attempts + 1 where id = :id "
                        + "returning failed_attempts")
                .param("id", id).query(Integer.class).single();
    }

    /** Locks the account; true only for the call that locked it (so the unlock mail is sent once). */
    public boolean lock(UUID id, Instant at) {
        return jdbc.sql("update certdc.account set locked_at = :at where id = :id and locked_at is null")
                .param("at", Timestamp.from(at)).param("id", id).update() == 1;
    }

    public void unlock(UUID id) {
        jdbc.sql("update certdc.account set locked_at = null, failed_attempts = 0 where id = :id").param("id", id).update();
    }

    public void recordSuccess(UUID id, Instant at) {
        jdbc.sql("update certdc.account set failed_attempts = 0, last_login_at = :at where id = :id")
                .param("at", Timestamp.from(at)).param("id", id).update();
    }

    public void setPassword(UUID id, String hash, boolean mustChange, Instant at) {
        jdbc.sql("""
                update certdc.account set password_hash = :hash, must_change_password = :mustChange,
                       password_changed_at = :at where id = :id
                """)
                .param("hash", hash).param("mustChange", mustChange).param("at", Timestamp.from(at)).param("id", id)
                .update();
    }

    public void rehash(UUID id, String hash) {
        jdbc.sql("update certdc.account set password_hash = :hash where id = :id").param("hash", hash).param("id", id)
                .update();
    }

    public void updateContact(UUID id, String displayName, String email) {
        jdbc.sql("update certdc.account set display_name = :name, email = :email where id = :id")
                .param("name", displayName).param("email", email).param("id", id).update();
    }

    public List<String> emailsOf(AccountKind kind) {
        return jdbc.sql("select email from certdc.account where kind = :kind and enabled and email is not null "
                        + "order by created_at")
                .param("kind", kind.name()).query(String.class).list();
    }

    public boolean anyOf(AccountKind kind) {
        return jdbc.sql("select count(*) from certdc.account where kind = :kind").param("kind", kind.name())
                .query(Integer.class).single() > 0;
    }

    // --- single-use tokens (password reset, unlock): only their SHA-256 is stored ---

    public void insertToken(String tokenHash, UUID accountId, String purpose, Instant expiresAt, Instant now) {
        jdbc.sql("""
                insert into certdc.account_token (token_hash, account_id, purpose, expires_at, created_at)
                values (:hash, :account, :purpose, :expiresAt, :now)
                """)
                .param("hash", tokenHash).param("account", accountId).param("purpose", purpose)
                .param("expiresAt", Timestamp.from(expiresAt)).param("now", Timestamp.from(now)).update();
    }

    /** Marks the token used and returns its account, only if it is unused, unexpired and of that purpose. */
    public Optional<UUID> consumeToken(String tokenHash, String purpose, Instant now) {
        return jdbc.sql("""
                update certdc.account_token set used_at = :now
                where token_hash = :hash and purpose = :purpose and used_at is null and expires_at > :now
                returning account_id
                """)
                .param("now", Timestamp.from(now)).param("hash", tokenHash).param("purpose", purpose)
                .query(UUID.class).optional();
    }

    public boolean tokenUsable(String tokenHash, String purpose, Instant now) {
        return jdbc.sql("""
                select count(*) from certdc.account_token
                where token_hash = :hash and purpose = :purpose and used_at is null and expires_at > :now
                """)
                .param("hash", tokenHash).param("purpose", purpose).param("now", Timestamp.from(now))
                .query(Integer.class).single() > 0;
    }

    public Optional<UUID> tokenOwner(String tokenHash) {
        return jdbc.sql("select account_id from certdc.account_token where token_hash = :hash")
                .param("hash", tokenHash).query(UUID.class).optional();
    }

    /** A new link replaces the older ones of the same purpose. */
    public void revokeTokens(UUID accountId, String purpose, Instant now) {
        jdbc.sql("update certdc.account_token set used_at = :now where account_id = :account and purpose = :purpose "
                        + "and used_at is null")
                .param("now", Timestamp.from(now)).param("account", accountId).param("purpose", purpose).update();
    }

    // --- doctors and their establishments ---

    public List<String> establishmentsOf(UUID accountId) {
        return jdbc.sql("select establishment from certdc.doctor_establishment where account_id = :id order by establishment")
                .param("id", accountId).query(String.class).list();
    }

    public void linkEstablishments(UUID accountId, Collection<String> establishments) {
        for (String establishment : establishments) {
            jdbc.sql("""
                    insert into certdc.doctor_establishment (account_id, establishment) values (:id, :establishment)
                    on conflict do nothing
                    """).param("id", accountId).param("establishment", establishment).update();
        }
    }

    public List<Account> doctorsOf(Collection<String> establishments) {
        if (establishments.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from certdc.account where id in (select account_id from "
                        + "certdc.doctor_establishment where establishment in (:establishments)) "
                        + "order by display_name limit 500")
                .param("establishments", establishments).query(AccountRepository::map).list();
    }

    static Account map(ResultSet rs, int row) throws SQLException {
        Timestamp locked = rs.getTimestamp("locked_at");
        return new Account(rs.getObject("id", UUID.class), rs.getString("login"),
                AccountKind.valueOf(rs.getString("kind")), rs.getString("display_name"), rs.getString("email"),
                rs.getString("idnat_ps"), rs.getString("password_hash"), rs.getBoolean("must_change_password"),
                rs.getInt("failed_attempts"), locked == null ? null : locked.toInstant(), rs.getBoolean("enabled"),
                rs.getTimestamp("created_at").toInstant());
    }
}
