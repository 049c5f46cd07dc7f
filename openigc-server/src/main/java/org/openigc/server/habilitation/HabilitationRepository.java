package org.openigc.server.habilitation;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.openigc.ca.Offer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the dossiers; only {@link HabilitationService} uses it. Every listing is bounded (limit/offset) and indexed. */
@Repository
class HabilitationRepository {
    private static final String COLUMNS = """
            d.id, d.reference, d.status, d.structure_id, d.submitted_by, d.structure_name, d.finess, d.siret,
            d.rpps_rang, d.additional_rpps_rangs, d.signatory_role, d.signatory_last_name, d.signatory_first_names,
            d.signatory_phone, d.signatory_email, d.signatory_card_number, d.usage_description, d.usage_editor,
            d.usage_solution, d.usage_version, d.offers, d.ssl_domains, d.ssl_server_name, d.smime_domains,
            d.pro_mail_domains, d.submitted_at, d.acknowledged_at, d.resubmissions, d.decided_at, d.decided_by,
            d.rejection_reason, d.information_request, d.updated_at""";

    private final JdbcClient jdbc;

    HabilitationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long nextNumber() {
        return jdbc.sql("select nextval('habilitation_dossier_seq')").query(Long.class).single();
    }

    void insert(HabilitationDossier d) {
        DossierContent c = d.content();
        jdbc.sql("""
                        insert into habilitation_dossier (id, reference, status, structure_id, submitted_by, structure_name,
                            finess, siret, rpps_rang, additional_rpps_rangs, signatory_role, signatory_last_name,
                            signatory_first_names, signatory_phone, signatory_email, signatory_card_number,
                            usage_description, usage_editor, usage_solution, usage_version, offers, ssl_domains,
                            ssl_server_name, smime_domains, pro_mail_domains, submitted_at, acknowledged_at, resubmissions,
                            updated_at)
                        values (:id, :reference, :status, :structure, :submittedBy, :structureName, :finess, :siret,
                            :rppsRang, :rangs, :role, :lastName, :firstNames, :phone, :email, :card, :description,
                            :editor, :solution, :version, :offers, :ssl, :server, :smime, :pro, :submittedAt,
                            :acknowledgedAt, :resubmissions, :updatedAt)""")
                .param("id", d.id()).param("reference", d.reference()).param("status", d.status().name())
                .param("structure", d.structureId()).param("submittedBy", d.submittedBy())
                .param("submittedAt", Timestamp.from(d.submittedAt()))
                .param("acknowledgedAt", d.acknowledgedAt() == null ? null : Timestamp.from(d.acknowledgedAt()))
                .param("resubmissions", d.resubmissions()).param("updatedAt", Timestamp.from(d.updatedAt()))
                .params(contentParams(c))
                .update();
        insertAdministrators(d.id(), c.administrators());
    }

    /** A resubmission: the corrected content replaces the old one. */
    void updateContent(UUID id, DossierContent c, Instant at) {
        jdbc.sql("""
                        update habilitation_dossier set structure_name = :structureName, finess = :finess, siret = :siret,
                            rpps_rang = :rppsRang, additional_rpps_rangs = :rangs, signatory_role = :role,
                            signatory_last_name = :lastName, signatory_first_names = :firstNames, signatory_phone = :phone,
                            signatory_email = :email, signatory_card_number = :card, usage_description = :description,
                            usage_editor = :editor, usage_solution = :solution, usage_version = :version, offers = :offers,
                            ssl_domains = :ssl, ssl_server_name = :server, smime_domains = :smime, pro_mail_domains = :pro,
                            resubmissions = resubmissions + 1, updated_at = :at
                        where id = :id""")
                .params(contentParams(c)).param("id", id).param("at", Timestamp.from(at)).update();
        jdbc.sql("delete from habilitation_dossier_administrator where dossier_id = :id").param("id", id).update();
        insertAdministrators(id, c.administrators());
    }

    private static Map<String, Object> contentParams(DossierContent c) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("structureName", c.structureName());
        p.put("finess", c.finess());
        p.put("siret", c.siret());
        p.put("rppsRang", c.rppsRang());
        p.put("rangs", c.additionalRppsRangs().toArray(String[]::new));
        p.put("role", c.signatoryRole().name());
        p.put("lastName", c.signatoryLastName());
        p.put("firstNames", c.signatoryFirstNames());
        p.put("phone", c.signatoryPhone());
        p.put("email", c.signatoryEmail());
        p.put("card", c.signatoryCardNumber());
        p.put("description", c.usageDescription());
        p.put("editor", c.usageEditor());
        p.put("solution", c.usageSolution());
        p.put("version", c.usageVersion());
        p.put("offers", c.offers().stream().map(Offer::name).toArray(String[]::new));
        p.put("ssl", c.sslDomains().toArray(String[]::new));
        p.put("server", c.sslServerName());
        p.put("smime", c.smimeDomains().toArray(String[]::new));
        p.put("pro", c.proMailDomains().toArray(String[]::new));
        return p;
    }

    private void insertAdministrators(UUID dossierId, List<DossierContent.AdministratorEntry> administrators) {
        for (int i = 0; i < administrators.size(); i++) {
            DossierContent.AdministratorEntry a = administrators.get(i);
            jdbc.sql("""
                            insert into habilitation_dossier_administrator
                                (dossier_id, position, card_number, last_name, first_name, phone, email)
                            values (:dossier, :position, :card, :lastName, :firstName, :phone, :email)""")
                    .param("dossier", dossierId).param("position", i).param("card", a.cardNumber())
                    .param("lastName", a.lastName()).param("firstName", a.firstName()).param("phone", a.phone())
                    .param("email", a.email()).update();
        }
    }

    Optional<HabilitationDossier> find(String reference) {
        return one("select " + COLUMNS + " from habilitation_dossier d where d.reference = :reference", reference);
    }

    /** The dossier with its row locked until the end of the transaction: transitions read the state here. */
    Optional<HabilitationDossier> findForUpdate(String reference) {
        return one("select " + COLUMNS + " from habilitation_dossier d where d.reference = :reference for update", reference);
    }

    private Optional<HabilitationDossier> one(String sql, String reference) {
        List<HabilitationDossier> found = withAdministrators(
                jdbc.sql(sql).param("reference", reference).query(HabilitationRepository::dossier).list());
        return found.stream().findFirst();
    }

    void updateStatus(UUID id, DossierStatus status, Instant at) {
        jdbc.sql("update habilitation_dossier set status = :status, updated_at = :at where id = :id")
                .param("status", status.name()).param("at", Timestamp.from(at)).param("id", id).update();
    }

    void acknowledge(UUID id, Instant at) {
        jdbc.sql("update habilitation_dossier set status = 'ACKNOWLEDGED', acknowledged_at = :at, updated_at = :at where id = :id")
                .param("at", Timestamp.from(at)).param("id", id).update();
    }

    /** Approval, rejection or information request: the operator's decision and its text. */
    void decide(UUID id, DossierStatus status, Instant at, UUID operator, String rejectionReason, String informationRequest) {
        jdbc.sql("""
                        update habilitation_dossier set status = :status, decided_at = :at, decided_by = :operator,
                            rejection_reason = coalesce(:reason, rejection_reason),
                            information_request = coalesce(:request, information_request), updated_at = :at
                        where id = :id""")
                .param("status", status.name()).param("at", Timestamp.from(at)).param("operator", operator)
                .param("reason", rejectionReason).param("request", informationRequest).param("id", id).update();
    }

    void insertHistory(UUID dossierId, Instant at, DossierStatus from, DossierStatus to, UUID actorId, String actorName,
                       String note) {
        jdbc.sql("""
                        insert into habilitation_dossier_history (dossier_id, occurred_at, from_status, to_status, actor_id,
                            actor_name, note)
                        values (:dossier, :at, :from, :to, :actor, :name, :note)""")
                .param("dossier", dossierId).param("at", Timestamp.from(at)).param("from", from == null ? null : from.name())
                .param("to", to.name()).param("actor", actorId).param("name", actorName).param("note", note).update();
    }

    List<DossierHistoryEntry> history(UUID dossierId) {
        return jdbc.sql("""
                        select occurred_at, from_status, to_status, actor_name, note from habilitation_dossier_history
                        where dossier_id = :dossier order by id limit 500""")
                .param("dossier", dossierId)
                .query((rs, n) -> new DossierHistoryEntry(rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("from_status") == null ? null : DossierStatus.valueOf(rs.getString("from_status")),
                        DossierStatus.valueOf(rs.getString("to_status")), rs.getString("actor_name"), rs.getString("note")))
                .list();
    }

    /** What the queue filters on; null means "any". */
    record QueueFilter(List<DossierStatus> statuses, String region, String q, Instant acknowledgedBefore) {
    }

    List<HabilitationDossier> queue(QueueFilter filter, int limit, int offset) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from habilitation_dossier d join structure s on s.id = d.structure_id");
        Map<String, Object> params = new LinkedHashMap<>();
        where(filter, sql, params);
        sql.append(" order by d.acknowledged_at nulls first, d.id limit :limit offset :offset");
        params.put("limit", limit);
        params.put("offset", offset);
        return withAdministrators(jdbc.sql(sql.toString()).params(params).query(HabilitationRepository::dossier).list());
    }

    long count(QueueFilter filter) {
        StringBuilder sql = new StringBuilder("select count(*) from habilitation_dossier d join structure s on s.id = d.structure_id");
        Map<String, Object> params = new LinkedHashMap<>();
        where(filter, sql, params);
        return jdbc.sql(sql.toString()).params(params).query(Long.class).single();
    }

    private static void where(QueueFilter filter, StringBuilder sql, Map<String, Object> params) {
        List<String> conditions = new ArrayList<>();
        if (filter.statuses() != null && !filter.statuses().isEmpty()) {
            conditions.add("d.status = any(:statuses)");
            params.put("statuses", filter.statuses().stream().map(Enum::name).toArray(String[]::new));
        }
        if (filter.region() != null) {
            conditions.add("s.region = :region");
            params.put("region", filter.region());
        }
        if (filter.q() != null) {
            conditions.add("(d.reference ilike :q escape '\\' or s.name ilike :q escape '\\' or d.structure_name ilike :q escape '\\'"
                    + " or s.id_nat_struct like :q escape '\\')");
            params.put("q", "%" + filter.q().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (filter.acknowledgedBefore() != null) {
            conditions.add("d.acknowledged_at < :before");
            params.put("before", Timestamp.from(filter.acknowledgedBefore()));
        }
        if (!conditions.isEmpty()) {
            sql.append(" where ").append(String.join(" and ", conditions));
        }
    }

    /** Dossiers a person submitted or is named in as administrator (by card number), newest first. */
    List<HabilitationDossier> involving(UUID personId, String cardNumber, int limit, int offset) {
        return withAdministrators(jdbc.sql("select " + COLUMNS + """
                         from habilitation_dossier d
                        where d.submitted_by = :person
                           or d.id in (select a.dossier_id from habilitation_dossier_administrator a where a.card_number = :card)
                        order by d.submitted_at desc, d.id limit :limit offset :offset""")
                .param("person", personId).param("card", cardNumber == null ? "" : cardNumber)
                .param("limit", limit).param("offset", offset)
                .query(HabilitationRepository::dossier).list());
    }

    long countByStatus(DossierStatus status) {
        return jdbc.sql("select count(*) from habilitation_dossier where status = :status").param("status", status.name())
                .query(Long.class).single();
    }

    private List<HabilitationDossier> withAdministrators(List<HabilitationDossier> dossiers) {
        if (dossiers.isEmpty()) {
            return dossiers;
        }
        Map<UUID, List<DossierContent.AdministratorEntry>> byDossier = new LinkedHashMap<>();
        jdbc.sql("""
                        select dossier_id, card_number, last_name, first_name, phone, email
                        from habilitation_dossier_administrator where dossier_id = any(cast(:ids as uuid[])) order by dossier_id, position""")
                .param("ids", dossiers.stream().map(d -> d.id().toString()).toArray(String[]::new))
                .query((rs, n) -> {
                    byDossier.computeIfAbsent(rs.getObject("dossier_id", UUID.class), k -> new ArrayList<>())
                            .add(new DossierContent.AdministratorEntry(rs.getString("card_number"), rs.getString("last_name"),
                                    rs.getString("first_name"), rs.getString("phone"), rs.getString("email")));
                    return null;
                }).list();
        return dossiers.stream().map(d -> {
            DossierContent c = d.content();
            DossierContent full = new DossierContent(c.structureName(), c.finess(), c.siret(), c.rppsRang(),
                    c.additionalRppsRangs(), c.signatoryRole(), c.signatoryLastName(), c.signatoryFirstNames(),
                    c.signatoryPhone(), c.signatoryEmail(), c.signatoryCardNumber(),
                    byDossier.getOrDefault(d.id(), List.of()), c.usageDescription(), c.usageEditor(),
                    c.usageSolution(), c.usageVersion(), c.offers(), c.sslDomains(), c.sslServerName(),
                    c.smimeDomains(), c.proMailDomains());
            return new HabilitationDossier(d.id(), d.reference(), d.status(), d.structureId(), d.submittedBy(), full,
                    d.submittedAt(), d.acknowledgedAt(), d.resubmissions(), d.decidedAt(), d.decidedBy(),
                    d.rejectionReason(), d.informationRequest(), d.updatedAt());
        }).toList();
    }

    private static HabilitationDossier dossier(ResultSet rs, int row) throws SQLException {
        DossierContent content = new DossierContent(rs.getString("structure_name"), rs.getString("finess"),
                rs.getString("siret"), rs.getString("rpps_rang"), strings(rs.getArray("additional_rpps_rangs")),
                SignatoryRole.valueOf(rs.getString("signatory_role")), rs.getString("signatory_last_name"),
                rs.getString("signatory_first_names"), rs.getString("signatory_phone"), rs.getString("signatory_email"),
                rs.getString("signatory_card_number"), List.of(), rs.getString("usage_description"),
                rs.getString("usage_editor"), rs.getString("usage_solution"), rs.getString("usage_version"),
                strings(rs.getArray("offers")).stream().map(Offer::valueOf).toList(), strings(rs.getArray("ssl_domains")),
                rs.getString("ssl_server_name"), strings(rs.getArray("smime_domains")),
                strings(rs.getArray("pro_mail_domains")));
        return new HabilitationDossier(rs.getObject("id", UUID.class), rs.getString("reference"),
                DossierStatus.valueOf(rs.getString("status")), rs.getObject("structure_id", UUID.class),
                rs.getObject("submitted_by", UUID.class), content, instant(rs, "submitted_at"),
                instant(rs, "acknowledged_at"), rs.getInt("resubmissions"), instant(rs, "decided_at"),
                rs.getObject("decided_by", UUID.class), rs.getString("rejection_reason"),
                rs.getString("information_request"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
