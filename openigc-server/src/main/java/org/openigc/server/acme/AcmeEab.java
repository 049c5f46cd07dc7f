package org.openigc.server.acme;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
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

    AcmeEab(JdbcClient jdbc, StructureDirectory directory, AuditTrail audit, Clock clock) {
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
                .param("actor", request.actorEmail()).param("by", requester.personId()).param("at", Timestamp.from(now))
                .update();
        audit.record("acme.eab.created", "acme-eab", kid, Map.of("structure", structure.idNatStruct(),
                "environment", environment.name()));
        String label = (environment == Environment.TEST ? "test-" : "") + "serv-ssl-serveur";
        return new Credential(kid, hmac, "/acme/" + label + "/directory");
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
