package org.openigc.server.est;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.openigc.ca.Environment;
import org.openigc.ca.Offer;
import org.openigc.ca.ProfileId;
import org.openigc.ca.Usage;
import org.openigc.server.audit.AuditTrail;
import org.openigc.server.certificates.Requester;
import org.openigc.server.certificates.StructureDirectory;
import org.openigc.server.certificates.StructureDirectory.OrderingStructure;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** One-time EST enrollment tokens: created by a habilitated administrator for one product, stored as SHA-256. */
@Service
public class EstTokens {
    static final Duration VALIDITY = Duration.ofDays(7);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final StructureDirectory directory;
    private final AuditTrail audit;
    private final Clock clock;

    EstTokens(JdbcClient jdbc, StructureDirectory directory, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.directory = directory;
        this.audit = audit;
        this.clock = clock;
    }

    public record TokenRequest(String structure, String environment, String offer, String usage,
                               String serviceApplicatif, String actorEmail) {
    }

    public record CreatedToken(String token, Instant expiresAt, String label) {
    }

    /** A token row still unused and unexpired, locked for the enrollment's transaction. */
    record Token(UUID id, UUID structureId, String idNatStruct, Environment environment, ProfileId profile,
                 String serviceApplicatif, String actorEmail, UUID createdBy) {
    }

    @Transactional
    public CreatedToken create(Requester requester, TokenRequest request) {
        Environment environment = parse(Environment.class, request.environment(), "environment");
        Offer offer = request.offer() == null || request.offer().isBlank() ? Offer.ORG
                : parse(Offer.class, request.offer(), "offer");
        Usage usage = parse(Usage.class, request.usage(), "usage");
        ProfileId profile = ProfileId.of(offer, usage)
                .orElseThrow(() -> new EstException(400, "usage " + usage + " does not exist for offer " + offer));
        if (offer == Offer.CPX) {
            throw new EstException(400, "card certificates are not enrolled over EST");
        }
        if (request.serviceApplicatif() == null || request.serviceApplicatif().isBlank()) {
            throw new EstException(400, "serviceApplicatif is required");
        }
        if (request.actorEmail() == null || !request.actorEmail().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw new EstException(400, "actorEmail is required");
        }
        OrderingStructure structure = request.structure() == null ? null
                : directory.byIdNatStruct(request.structure()).orElse(null);
        if (requester == null || requester.personId() == null || structure == null
                || directory.mandate(requester.personId(), structure.id(), offer).isEmpty()) {
            throw new EstException(403, "not habilitated for this structure and offer (form 413)");
        }
        if (environment == Environment.TEST && !requester.cardLogin()) {
            throw new EstException(403, "TEST tokens require a card login");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(VALIDITY);
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into est_token (id, token_sha256, structure_id, id_nat_struct, environment, profile,
                                       service_applicatif, actor_email, created_by, created_at, expires_at)
                values (:id, :hash, :structure, :idNatStruct, :environment, :profile, :service, :actor, :by, :at, :expires)
                """)
                .param("id", id).param("hash", sha256(token)).param("structure", structure.id())
                .param("idNatStruct", structure.idNatStruct()).param("environment", environment.name())
                .param("profile", profile.name()).param("service", request.serviceApplicatif())
                .param("actor", request.actorEmail()).param("by", requester.personId())
                .param("at", Timestamp.from(now)).param("expires", Timestamp.from(expiresAt)).update();
        audit.record("est.token.created", "est-token", id.toString(), Map.of("structure", structure.idNatStruct(),
                "profile", profile.name(), "environment", environment.name(), "serviceApplicatif",
                request.serviceApplicatif()));
        String label = (environment == Environment.TEST ? "test-" : "") + profile.label();
        return new CreatedToken(token, expiresAt, label);
    }

    /** Locks the unused, unexpired token; empty for unknown, used or expired tokens alike. */
    Optional<Token> lockUsable(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select id, structure_id, id_nat_struct, environment, profile, service_applicatif, actor_email, created_by
                from est_token where token_sha256 = :hash and used_at is null and revoked_at is null and expires_at > :now
                for update
                """)
                .param("hash", sha256(token)).param("now", Timestamp.from(clock.instant()))
                .query((rs, row) -> new Token(rs.getObject("id", UUID.class), rs.getObject("structure_id", UUID.class),
                        rs.getString("id_nat_struct"), Environment.valueOf(rs.getString("environment")),
                        ProfileId.valueOf(rs.getString("profile")), rs.getString("service_applicatif"),
                        rs.getString("actor_email"), rs.getObject("created_by", UUID.class)))
                .optional();
    }

    /** A token as the administrator sees it: never the secret. status is ACTIVE, USED, EXPIRED or REVOKED. */
    public record TokenView(UUID id, String structure, String environment, String profile, String label,
                            String serviceApplicatif, String actorEmail, Instant createdAt, Instant expiresAt,
                            Instant usedAt, Instant revokedAt, UUID certificateId, String status) {
    }

    /**
     * The tokens of a structure for the offers the requester manages there (newest first); a structure the requester
     * manages for no offer is "not found", as for any other structure they may not see.
     */
    public java.util.List<TokenView> list(Requester requester, String idNatStruct) {
        OrderingStructure structure = managed(requester, idNatStruct);
        java.util.List<String> profiles = java.util.Arrays.stream(ProfileId.values())
                .filter(p -> directory.mandate(requester.personId(), structure.id(), p.offer()).isPresent())
                .map(Enum::name).toList();
        if (profiles.isEmpty()) {
            throw new EstException(404, "structure not found");
        }
        return jdbc.sql("""
                select * from est_token where structure_id = :s and profile in (:profiles)
                order by created_at desc, id limit 500
                """).param("s", structure.id()).param("profiles", profiles)
                .query((rs, row) -> view(rs)).list();
    }

    /** Revokes an unused token; revoking twice is harmless. Not found unless the requester manages its offer. */
    @Transactional
    public TokenView revoke(Requester requester, UUID id) {
        TokenView token = visible(requester, id);
        if (token.usedAt() != null) {
            throw new EstException(409, "the token was already used: revoke the certificate it obtained instead");
        }
        if (token.revokedAt() == null) {
            jdbc.sql("update est_token set revoked_at = :now where id = :id and revoked_at is null and used_at is null")
                    .param("now", Timestamp.from(clock.instant())).param("id", id).update();
            audit.record("est.token.revoked", "est-token", id.toString(), Map.of("structure", token.structure()));
        }
        return visible(requester, id);
    }

    private TokenView visible(Requester requester, UUID id) {
        record Row(TokenView view, UUID structureId) {
        }
        Row row = jdbc.sql("select * from est_token where id = :id").param("id", id)
                .query((rs, n) -> new Row(view(rs), rs.getObject("structure_id", UUID.class))).optional()
                .filter(r -> requester != null && requester.personId() != null && directory.mandate(requester.personId(),
                        r.structureId(), ProfileId.valueOf(r.view().profile()).offer()).isPresent())
                .orElseThrow(() -> new EstException(404, "token not found"));
        return row.view();
    }

    private OrderingStructure managed(Requester requester, String idNatStruct) {
        if (requester == null || requester.personId() == null) {
            throw new EstException(401, "login required");
        }
        if (idNatStruct == null || idNatStruct.isBlank()) {
            throw new EstException(400, "structure (idNatStruct) is required");
        }
        return directory.byIdNatStruct(idNatStruct.strip()).orElseThrow(() -> new EstException(404, "structure not found"));
    }

    private TokenView view(java.sql.ResultSet rs) throws java.sql.SQLException {
        Instant now = clock.instant();
        Instant expires = rs.getTimestamp("expires_at").toInstant();
        Instant used = instant(rs, "used_at");
        Instant revoked = instant(rs, "revoked_at");
        String status = used != null ? "USED" : revoked != null ? "REVOKED" : now.isBefore(expires) ? "ACTIVE" : "EXPIRED";
        ProfileId profile = ProfileId.valueOf(rs.getString("profile"));
        Environment environment = Environment.valueOf(rs.getString("environment"));
        return new TokenView(rs.getObject("id", UUID.class), rs.getString("id_nat_struct"), environment.name(),
                profile.name(), (environment == Environment.TEST ? "test-" : "") + profile.label(),
                rs.getString("service_applicatif"), rs.getString("actor_email"), instant(rs, "created_at"), expires,
                used, revoked, rs.getObject("certificate_id", UUID.class), status);
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    void markUsed(UUID tokenId, UUID certificateId) {
        jdbc.sql("update est_token set used_at = :now, certificate_id = :certificate where id = :id")
                .param("now", Timestamp.from(clock.instant())).param("certificate", certificateId)
                .param("id", tokenId).update();
    }

    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value == null ? "" : value);
        } catch (IllegalArgumentException e) {
            throw new EstException(400, field + " must be one of " + java.util.List.of(type.getEnumConstants()));
        }
    }
}
