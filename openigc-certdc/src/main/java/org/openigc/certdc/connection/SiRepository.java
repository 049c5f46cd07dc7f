package org.openigc.certdc.connection;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL of {@code certdc.information_system} and {@code certdc.si_establishment}. */
public final class SiRepository {
    private static final String COLUMNS = """
            id, reference, status, mode, production_requested_at, structure, requester_last_name, requester_first_name,
            requester_function, requester_email, requester_phone, requester_address, requester_postcode,
            requester_town, si_name, si_version, comments, manager_account_id, rejection_reason, created_at,
            updated_at, sandbox_confirmed_at""";

    private final JdbcClient jdbc;

    public SiRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(UUID id, String reference, String structure, ConnectionRequest request, UUID manager,
                       Instant now) {
        ConnectionRequest.Requester r = request.requester();
        jdbc.sql("""
                insert into certdc.information_system (id, reference, status, mode, structure, requester_last_name,
                    requester_first_name, requester_function, requester_email, requester_phone, requester_address,
                    requester_postcode, requester_town, si_name, si_version, comments, consent_at, manager_account_id,
                    created_at, updated_at)
                values (:id, :reference, 'PENDING', 'SANDBOX', :structure, :lastName, :firstName, :function, :email,
                        :phone, :address, :postcode, :town, :siName, :siVersion, :comments, :now, :manager, :now, :now)
                """)
                .param("id", id).param("reference", reference).param("structure", structure)
                .param("lastName", r.lastName()).param("firstName", r.firstName()).param("function", r.function())
                .param("email", r.email()).param("phone", r.phone()).param("address", r.address())
                .param("postcode", r.postcode()).param("town", r.town()).param("siName", request.siName())
                .param("siVersion", request.siVersion()).param("comments", request.comments())
                .param("manager", manager).param("now", Timestamp.from(now))
                .update();
        replaceEstablishments(id, request);
    }

    public void update(UUID id, String structure, ConnectionRequest request, Instant now) {
        ConnectionRequest.Requester r = request.requester();
        jdbc.sql("""
                update certdc.information_system set structure = :structure, requester_last_name = :lastName,
                    requester_first_name = :firstName, requester_function = :function, requester_email = :email,
                    requester_phone = :phone, requester_address = :address, requester_postcode = :postcode,
                    requester_town = :town, si_name = :siName, si_version = :siVersion, comments = :comments,
                    updated_at = :now
                where id = :id
                """)
                .param("id", id).param("structure", structure)
                .param("lastName", r.lastName()).param("firstName", r.firstName()).param("function", r.function())
                .param("email", r.email()).param("phone", r.phone()).param("address", r.address())
                .param("postcode", r.postcode()).param("town", r.town()).param("siName", request.siName())
                .param("siVersion", request.siVersion()).param("comments", request.comments())
                .param("now", Timestamp.from(now))
                .update();
        replaceEstablishments(id, request);
    }

    private void replaceEstablishments(UUID id, ConnectionRequest request) {
        jdbc.sql("delete from certdc.si_establishment where si_id = :id").param("id", id).update();
        int position = 0;
        for (ConnectionRequest.Establishment row : request.establishments()) {
            EstablishmentNumber number = EstablishmentNumber.parse("establishment", row.number()).number();
            jdbc.sql("""
                    insert into certdc.si_establishment (si_id, position, identifier, identifier_type, kind, name,
                                                         id_nat_struct)
                    values (:si, :position, :identifier, :type, :kind, :name, :idNatStruct)
                    """)
                    .param("si", id).param("position", position++).param("identifier", number.value())
                    .param("type", number.type().name()).param("kind", row.kind())
                    .param("name", row.name() == null || row.name().isBlank() ? null : row.name())
                    .param("idNatStruct", number.idNatStruct())
                    .update();
        }
    }

    /**
     * Moves an SI from one status to another, only if it is still in the expected one (one transition per call,
     * concurrent instructions cannot both win).
     */
    public boolean transition(UUID id, SiStatus from, SiStatus to, String reason, String instructedBy, Instant now) {
        return jdbc.sql("""
                update certdc.information_system set status = :to, rejection_reason = :reason, instructed_at = :now,
                       instructed_by = :by, updated_at = :now
                where id = :id and status = :from
                """)
                .param("to", to.name()).param("reason", reason).param("now", Timestamp.from(now))
                .param("by", instructedBy).param("id", id).param("from", from.name()).update() == 1;
    }

    public boolean requestProduction(UUID id, Instant now) {
        return jdbc.sql("""
                update certdc.information_system set production_requested_at = :now, updated_at = :now
                where id = :id and status = 'VALIDATED' and mode = 'SANDBOX' and production_requested_at is null
                """).param("now", Timestamp.from(now)).param("id", id).update() == 1;
    }

    public boolean decideProduction(UUID id, boolean granted, String by, Instant now) {
        return jdbc.sql("""
                update certdc.information_system set mode = :mode, production_requested_at = null, updated_at = :now,
                       instructed_at = :now, instructed_by = :by
                where id = :id and status = 'VALIDATED' and mode = 'SANDBOX' and production_requested_at is not null
                """).param("mode", granted ? "PRODUCTION" : "SANDBOX").param("now", Timestamp.from(now))
                .param("by", by).param("id", id).update() == 1;
    }

    /** True only for the first call: the sandbox reception is confirmed once per SI. */
    public boolean confirmSandboxReception(UUID id, Instant now) {
        return jdbc.sql("update certdc.information_system set sandbox_confirmed_at = :now "
                        + "where id = :id and sandbox_confirmed_at is null")
                .param("now", Timestamp.from(now)).param("id", id).update() == 1;
    }

    public Optional<InformationSystem> byId(UUID id) {
        return one("where id = :id", Map.of("id", id));
    }

    public Optional<InformationSystem> byReference(String reference) {
        return one("where reference = :reference", Map.of("reference", reference));
    }

    public List<InformationSystem> byManager(UUID manager) {
        return list("where manager_account_id = :manager order by created_at", Map.of("manager", manager), 100, 0);
    }

    /** The SIs a certificate's structure may act for: the SI's own structure or one of its establishments. */
    public List<InformationSystem> byIdNatStruct(String idNatStruct) {
        return list("""
                where structure = :s or id in (select si_id from certdc.si_establishment where id_nat_struct = :s)
                order by created_at
                """, Map.of("s", idNatStruct), 100, 0);
    }

    public List<InformationSystem> page(SiStatus status, int size, int offset) {
        if (status == null) {
            return list("order by (status = 'PENDING' or production_requested_at is not null) desc, created_at desc",
                    Map.of(), size, offset);
        }
        return list("where status = :status order by created_at desc", Map.of("status", status.name()), size, offset);
    }

    public int count(SiStatus status) {
        return status == null
                ? jdbc.sql("select count(*) from certdc.information_system").query(Integer.class).single()
                : jdbc.sql("select count(*) from certdc.information_system where status = :s").param("s", status.name())
                .query(Integer.class).single();
    }

    /** The managers' addresses of every SI that is not rejected (for notices such as a server certificate renewal). */
    public List<String> activeManagerEmails() {
        return jdbc.sql("""
                select distinct a.email from certdc.account a join certdc.information_system s
                  on s.manager_account_id = a.id
                where s.status <> 'REJECTED' and a.email is not null and a.enabled
                order by a.email
                """).query(String.class).list();
    }

    private Optional<InformationSystem> one(String where, Map<String, Object> params) {
        List<InformationSystem> found = list(where, params, 1, 0);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    private List<InformationSystem> list(String where, Map<String, Object> params, int limit, int offset) {
        List<Row> rows = jdbc.sql("select " + COLUMNS + " from certdc.information_system " + where
                        + " limit :limit offset :offset")
                .params(params).param("limit", limit).param("offset", offset)
                .query(SiRepository::row).list();
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<ConnectionRequest.Establishment>> establishments = new LinkedHashMap<>();
        rows.forEach(r -> establishments.put(r.id(), new ArrayList<>()));
        jdbc.sql("select si_id, identifier, kind, name from certdc.si_establishment where si_id in (:ids) "
                        + "order by si_id, position")
                .param("ids", establishments.keySet())
                .query((rs, n) -> {
                    establishments.get(rs.getObject("si_id", UUID.class)).add(new ConnectionRequest.Establishment(
                            rs.getString("identifier"), rs.getString("kind"),
                            rs.getString("name") == null ? "" : rs.getString("name")));
                    return null;
                }).list();
        return rows.stream().map(r -> r.toSystem(establishments.get(r.id()))).toList();
    }

    private record Row(UUID id, String reference, SiStatus status, TransferMode mode, Instant productionRequestedAt,
                       String structure, ConnectionRequest.Requester requester, String siName, String siVersion,
                       String comments, UUID manager, String rejectionReason, Instant createdAt, Instant updatedAt,
                       Instant sandboxConfirmedAt) {
        InformationSystem toSystem(List<ConnectionRequest.Establishment> establishments) {
            return new InformationSystem(id, reference, status, mode, productionRequestedAt, structure,
                    new ConnectionRequest(requester, siName, siVersion, comments, establishments), manager,
                    rejectionReason, createdAt, updatedAt, sandboxConfirmedAt);
        }
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getString("reference"),
                SiStatus.valueOf(rs.getString("status")), TransferMode.valueOf(rs.getString("mode")),
                instant(rs, "production_requested_at"), rs.getString("structure"),
                new ConnectionRequest.Requester(rs.getString("requester_last_name"), rs.getString("requester_first_name"),
                        rs.getString("requester_function"), rs.getString("requester_email"),
                        rs.getString("requester_phone"), rs.getString("requester_address"),
                        rs.getString("requester_postcode"), rs.getString("requester_town")),
                rs.getString("si_name"), rs.getString("si_version"), rs.getString("comments"),
                rs.getObject("manager_account_id", UUID.class), rs.getString("rejection_reason"),
                instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "sandbox_confirmed_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
