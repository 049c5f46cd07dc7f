package org.openigc.server.acme;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.openigc.ca.Environment;
import org.openigc.ca.Offer;
import org.openigc.server.audit.AuditTrail;
import org.openigc.server.certificates.Requester;
import org.openigc.server.certificates.StructureDirectory;
import org.openigc.server.certificates.StructureDirectory.OrderingStructure;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** External account binding credentials (RFC 8555 §7.3.4), created by an administrator habilitated for SERV. */
@Service
public class AcmeEab {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final JdbcClient jdbc;
    private final StructureDirectory directory;
    private final AuditTrail audit;
    private final Clock clock;

    private final AcmeStore store;

    AcmeEab(JdbcClient jdbc, StructureDirectory directory, AuditTrail audit, Clock clock, AcmeStore store) {
        this.store = store;
        this.jdbc = jdbc;
        this.directory = directory;
        this.audit = audit;
        this.clock = clock;
    }

    public record EabRequest(String structure, String environment, String actorEmail) {
    }

    public record Credential(String kid, String hmacKey, String directory) {
    }

    record Binding(String kid, byte[] hmacKey, UUID structureId, String idNatStruct, Environment environment,
                   String actorEmail, UUID createdBy, UUID accountId) {
    }

    @Transactional
    public Credential create(Requester requester, EabRequest request) {
        Environment environment;
        try {
            environment = Environment.valueOf(String.valueOf(request.environment()));
        } catch (IllegalArgumentException e) {
            throw new AcmeProblem("malformed", 400, "environment must be TEST or PRODUCTION");
        }
        if (request.structure() == null || request.structure().isBlank()) {
            throw new AcmeProblem("malformed", 400, "structure (idNatStruct) is required");
        }
        // optional; when given, the actor address of the certificates obtained with it (their expiry notices)
        String actorEmail = request.actorEmail() == null || request.actorEmail().isBlank() ? null : request.actorEmail().strip();
        if (actorEmail != null && (actorEmail.length() > 254 || !actorEmail.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"))) {
            throw new AcmeProblem("malformed", 400, "actorEmail must be an e-mail address");
        }
        OrderingStructure structure = request.structure() == null ? null
                : directory.byIdNatStruct(request.structure()).orElse(null);
        if (requester == null || requester.personId() == null || structure == null
                || directory.mandate(requester.personId(), structure.id(), Offer.SERV).isEmpty()) {
            throw new AcmeProblem("unauthorized", 403, "not habilitated for SERV certificates of this structure (form 413)");
        }
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        byte[] kidBytes = new byte[12];
        RANDOM.nextBytes(kidBytes);
        String kid = Base64.getUrlEncoder().withoutPadding().encodeToString(kidBytes);
        String hmac = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        jdbc.sql("""
                insert into acme_eab (kid, hmac_key, structure_id, id_nat_struct, environment, actor_email, created_by, created_at)
                values (:kid, :key, :structure, :idNat, :env, :actor, :by, :at)
                """).param("kid", kid).param("key", hmac).param("structure", structure.id())
                .param("idNat", structure.idNatStruct()).param("env", environment.name())
                .param("actor", actorEmail).param("by", requester.personId()).param("at", Timestamp.from(now))
                .update();
        audit.record("acme.eab.created", "acme-eab", kid, Map.of("structure", structure.idNatStruct(),
                "environment", environment.name()));
        String label = (environment == Environment.TEST ? "test-" : "") + "serv-ssl-serveur";
        return new Credential(kid, hmac, "/acme/" + label + "/directory");
    }

    /** A credential as the administrator sees it (never the HMAC key). status is UNUSED, BOUND or REVOKED. */
    public record CredentialView(String kid, String structure, String environment, String actorEmail, Instant createdAt,
                                 Instant revokedAt, UUID accountId, String status) {
    }

    /** An ACME account bound to one of the structure's credentials. */
    public record AccountView(UUID id, String status, String contact, String eabKid, String environment,
                              String thumbprint, Instant createdAt, Instant deactivatedAt, long certificates) {
    }

    public List<CredentialView> credentials(Requester requester, String idNatStruct) {
        OrderingStructure structure = managed(requester, idNatStruct);
        return jdbc.sql("select * from acme_eab where structure_id = :s order by created_at desc, kid limit 500")
                .param("s", structure.id()).query((rs, row) -> credential(rs)).list();
    }

    public List<AccountView> accounts(Requester requester, String idNatStruct) {
        OrderingStructure structure = managed(requester, idNatStruct);
        return jdbc.sql("""
                select a.*, e.environment,
                       (select count(*) from acme_certificate c where c.account_id = a.id) as certificates
                from acme_account a join acme_eab e on e.kid = a.eab_kid
                where e.structure_id = :s order by a.created_at desc, a.id limit 500
                """).param("s", structure.id()).query((rs, row) -> account(rs)).list();
    }

    /** Revokes a credential; the account bound to it can no longer order or finalize. Revoking twice is harmless. */
    @Transactional
    public CredentialView revoke(Requester requester, String kid) {
        CredentialView credential = visibleCredential(requester, kid);
        if (credential.revokedAt() == null) {
            jdbc.sql("update acme_eab set revoked_at = :now where kid = :kid and revoked_at is null")
                    .param("now", Timestamp.from(clock.instant())).param("kid", kid).update();
            audit.record("acme.eab.revoked", "acme-eab", kid, Map.of("structure", credential.structure()));
        }
        return visibleCredential(requester, kid);
    }

    /** Deactivates an account (RFC 8555 §7.3.6, by the administrator instead of the account holder). */
    @Transactional
    public AccountView deactivate(Requester requester, UUID accountId) {
        AccountView account = visibleAccount(requester, accountId);
        if ("valid".equals(account.status())) {
            jdbc.sql("update acme_account set status = 'deactivated', deactivated_at = :now where id = :id and status = 'valid'")
                    .param("now", Timestamp.from(clock.instant())).param("id", accountId).update();
            store.accountDeactivated(accountId);
            audit.record("acme.account.deactivated", "acme-account", accountId.toString(), Map.of("eabKid", account.eabKid()));
        }
        return visibleAccount(requester, accountId);
    }

    private CredentialView visibleCredential(Requester requester, String kid) {
        record Row(CredentialView view, UUID structureId) {
        }
        return jdbc.sql("select * from acme_eab where kid = :kid").param("kid", kid == null ? "" : kid)
                .query((rs, n) -> new Row(credential(rs), rs.getObject("structure_id", UUID.class))).optional()
                .filter(r -> manages(requester, r.structureId()))
                .map(Row::view).orElseThrow(() -> new AcmeProblem("malformed", 404, "credential not found"));
    }

    private AccountView visibleAccount(Requester requester, UUID accountId) {
        record Row(AccountView view, UUID structureId) {
        }
        return jdbc.sql("""
                select a.*, e.environment, e.structure_id,
                       (select count(*) from acme_certificate c where c.account_id = a.id) as certificates
                from acme_account a join acme_eab e on e.kid = a.eab_kid where a.id = :id
                """).param("id", accountId)
                .query((rs, n) -> new Row(account(rs), rs.getObject("structure_id", UUID.class))).optional()
                .filter(r -> manages(requester, r.structureId()))
                .map(Row::view).orElseThrow(() -> new AcmeProblem("malformed", 404, "account not found"));
    }

    private boolean manages(Requester requester, UUID structureId) {
        return requester != null && requester.personId() != null
                && directory.mandate(requester.personId(), structureId, Offer.SERV).isPresent();
    }

    /** The structure if the requester manages its SERV certificates; "not found" otherwise, unknown or not. */
    private OrderingStructure managed(Requester requester, String idNatStruct) {
        if (idNatStruct == null || idNatStruct.isBlank()) {
            throw new AcmeProblem("malformed", 400, "structure (idNatStruct) is required");
        }
        return directory.byIdNatStruct(idNatStruct.strip()).filter(s -> manages(requester, s.id()))
                .orElseThrow(() -> new AcmeProblem("malformed", 404, "structure not found"));
    }

    private static CredentialView credential(java.sql.ResultSet rs) throws java.sql.SQLException {
        Instant revoked = instant(rs, "revoked_at");
        UUID account = rs.getObject("account_id", UUID.class);
        return new CredentialView(rs.getString("kid"), rs.getString("id_nat_struct"), rs.getString("environment"),
                rs.getString("actor_email"), instant(rs, "created_at"), revoked, account,
                revoked != null ? "REVOKED" : account != null ? "BOUND" : "UNUSED");
    }

    private static AccountView account(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new AccountView(rs.getObject("id", UUID.class), rs.getString("status"), rs.getString("contact"),
                rs.getString("eab_kid"), rs.getString("environment"), rs.getString("thumbprint"),
                instant(rs, "created_at"), instant(rs, "deactivated_at"), rs.getLong("certificates"));
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    Optional<Binding> find(String kid) {
        return jdbc.sql("""
                select kid, hmac_key, structure_id, id_nat_struct, environment, actor_email, created_by, account_id
                from acme_eab where kid = :kid and revoked_at is null
                """).param("kid", kid)
                .query((rs, row) -> new Binding(rs.getString("kid"), Base64.getUrlDecoder().decode(rs.getString("hmac_key")),
                        rs.getObject("structure_id", UUID.class), rs.getString("id_nat_struct"),
                        Environment.valueOf(rs.getString("environment")), rs.getString("actor_email"),
                        rs.getObject("created_by", UUID.class), rs.getObject("account_id", UUID.class)))
                .optional();
    }
}
