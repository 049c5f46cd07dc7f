package org.openigc.server.registry;

import java.sql.Array;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.openigc.ca.Offer;
import org.openigc.server.database.RoundTrip;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of the registry; only RegistryService uses it. Every listing is bounded (limit/offset). */
@Repository
class RegistryRepository {
    private static final String STRUCTURE_COLUMNS = """
            s.id, s.kind, s.id_nat_struct, s.finess, s.siren, s.siret, s.rpps_rang, s.parent_id, s.name, s.address,
            s.postcode, s.city, s.departement, s.region, s.sector, s.may_order_under_ej, s.group_name""";
    private static final String PERSON_COLUMNS = """
            p.id, p.card_number, p.card_type, p.id_nat_ps, p.rpps, p.last_name, p.first_name, p.email, p.phone,
            p.profession, p.card_status, p.card_expires_on, p.card_structure_id""";

    private static final RowMapper<Structure> STRUCTURE = (rs, n) -> new Structure(rs.getObject("id", UUID.class),
            StructureKind.valueOf(rs.getString("kind")), rs.getString("id_nat_struct"), rs.getString("finess"),
            rs.getString("siren"), rs.getString("siret"), rs.getString("rpps_rang"), rs.getObject("parent_id", UUID.class),
            rs.getString("name"), rs.getString("address"), rs.getString("postcode"), rs.getString("city"),
            rs.getString("departement"), rs.getString("region"), Sector.valueOf(rs.getString("sector")),
            rs.getBoolean("may_order_under_ej"), rs.getString("group_name"));
    private static final RowMapper<Person> PERSON = (rs, n) -> new Person(rs.getObject("id", UUID.class),
            rs.getString("card_number"), CardType.valueOf(rs.getString("card_type")), rs.getString("id_nat_ps"),
            rs.getString("rpps"), rs.getString("last_name"), rs.getString("first_name"), rs.getString("email"),
            rs.getString("phone"), rs.getString("profession"), CardStatus.valueOf(rs.getString("card_status")),
            date(rs, "card_expires_on"), rs.getObject("card_structure_id", UUID.class));
    private static final RowMapper<Contract> CONTRACT = (rs, n) -> new Contract(rs.getObject("id", UUID.class),
            rs.getObject("structure_id", UUID.class), rs.getString("reference"), date(rs, "signed_on"), date(rs, "ends_on"));
    private static final RowMapper<Representative> REPRESENTATIVE = (rs, n) -> new Representative(
            rs.getObject("id", UUID.class), rs.getObject("structure_id", UUID.class), rs.getObject("person_id", UUID.class),
            RepresentativeRole.valueOf(rs.getString("role")), date(rs, "valid_from"), date(rs, "valid_until"));
    private static final RowMapper<Delegation> DELEGATION = (rs, n) -> new Delegation(rs.getObject("id", UUID.class),
            rs.getObject("structure_id", UUID.class), rs.getObject("editor_structure_id", UUID.class),
            rs.getObject("granted_by", UUID.class), instant(rs, "granted_at"), date(rs, "ends_on"), instant(rs, "revoked_at"));
    private static final RowMapper<Habilitation> HABILITATION = (rs, n) -> new Habilitation(rs.getObject("id", UUID.class),
            rs.getObject("structure_id", UUID.class), rs.getObject("person_id", UUID.class),
            Offer.valueOf(rs.getString("offer")), strings(rs.getArray("ssl_domains")), strings(rs.getArray("smime_domains")),
            rs.getString("dossier_reference"), instant(rs, "granted_at"), instant(rs, "revoked_at"));

    private final JdbcClient jdbc;
    private final JdbcTemplate statements;

    RegistryRepository(JdbcClient jdbc, JdbcTemplate statements) {
        this.jdbc = jdbc;
        this.statements = statements;
    }

    // ---- an order's reads, in one round trip -------------------------------------------------------

    /** The structure ordered for and its parent (the EJ of an EG), as sub-selects of the statements below. */
    private static final String ORDERED = "(select id from structure where id_nat_struct = :v)";
    private static final String PARENT = "(select parent_id from structure where id_nat_struct = :v)";
    /**
     * The five statements of {@link #prefetchOrderReads}: structures (the structure, its parent, its children),
     * contracts, the person, habilitations, delegations. Each has the filter, order and bound of the single reads it
     * stands for ({@link #structure}, {@link #children}, {@link #contractsOf}, {@link #person},
     * {@link #habilitationsOf}, {@link #habilitationsOn}, {@link #delegationsOf}).
     */
    private static final String ORDER_STRUCTURES = "select 'self' as memo_part, " + STRUCTURE_COLUMNS
            + " from structure s where s.id_nat_struct = :v"
            + " union all select 'parent', " + STRUCTURE_COLUMNS + " from structure s where s.id = " + PARENT
            + " union all select 'child', " + STRUCTURE_COLUMNS + " from structure s where s.parent_id = " + ORDERED
            + " order by memo_part, name";
    private static final String ORDER_CONTRACTS = "select * from (select * from contract where structure_id = "
            + ORDERED + " order by signed_on desc limit 200) c union all select * from (select * from contract"
            + " where structure_id = " + PARENT + " order by signed_on desc limit 200) p"
            + " order by structure_id, signed_on desc";
    private static final String ORDER_PERSON = "select " + PERSON_COLUMNS + " from person p where p.id = :p";
    private static final String ORDER_HABILITATIONS = "select * from (select 'of' as memo_part, h.* from (select *"
            + " from habilitation where person_id = :p and revoked_at is null order by granted_at limit 500) h"
            + " union all select 'on', h.* from (select * from habilitation where structure_id = " + ORDERED
            + " and revoked_at is null order by granted_at limit 500) h"
            + " union all select 'on', h.* from (select * from habilitation where structure_id = " + PARENT
            + " and revoked_at is null order by granted_at limit 500) h) u"
            + " order by memo_part, case when memo_part = 'on' then structure_id end, granted_at";
    private static final String ORDER_DELEGATIONS = "select * from (select * from delegation where structure_id = "
            + ORDERED + " order by granted_at desc limit 200) d union all select * from (select * from delegation"
            + " where structure_id = " + PARENT + " order by granted_at desc limit 200) p"
            + " order by structure_id, granted_at desc";

    /**
     * Reads, in one round trip, every registry row an order by {@code personId} for the structure
     * {@code idNatStruct} reads through this repository (structure, EJ, establishments, contracts, the person and its
     * habilitations, habilitations and delegations on the structure and its EJ) into the transaction's
     * {@link ReadMemo}, under the keys and with the values the single reads would memoise, with {@code alongside}
     * (other features' statements) in the same round trip. Without an open memo or a structure it runs nothing and
     * returns false.
     */
    boolean prefetchOrderReads(UUID personId, String idNatStruct, List<RoundTrip.Statement> alongside) {
        if (!ReadMemo.isOpen() || idNatStruct == null) {
            return false;
        }
        Map<String, Object> params = Map.of("v", idNatStruct, "p", personId);
        Map<String, Structure> structures = new HashMap<>();
        List<Structure> children = new ArrayList<>();
        Map<UUID, List<Contract>> contracts = new HashMap<>();
        List<Person> person = new ArrayList<>();
        List<Habilitation> ofPerson = new ArrayList<>();
        Map<UUID, List<Habilitation>> onStructure = new HashMap<>();
        Map<UUID, List<Delegation>> delegations = new HashMap<>();
        List<RoundTrip.Statement> reads = new ArrayList<>(List.of(
                RoundTrip.Statement.query(ORDER_STRUCTURES, params, rs -> eachWithPart(rs, STRUCTURE, (part, structure) -> {
                    if ("child".equals(part)) {
                        children.add(structure);
                    } else {
                        structures.put(part, structure);
                    }
                })),
                RoundTrip.Statement.query(ORDER_CONTRACTS, params, rs -> group(rs, CONTRACT, Contract::structureId, contracts)),
                RoundTrip.Statement.query(ORDER_PERSON, params, rs -> {
                    if (rs.next()) {
                        person.add(PERSON.mapRow(rs, 0));
                    }
                }),
                RoundTrip.Statement.query(ORDER_HABILITATIONS, params, rs -> eachWithPart(rs, HABILITATION, (part, habilitation) -> {
                    if ("of".equals(part)) {
                        ofPerson.add(habilitation);
                    } else {
                        onStructure.computeIfAbsent(habilitation.structureId(), k -> new ArrayList<>()).add(habilitation);
                    }
                })),
                RoundTrip.Statement.query(ORDER_DELEGATIONS, params,
                        rs -> group(rs, DELEGATION, Delegation::structureId, delegations))));
        reads.addAll(alongside);
        RoundTrip.run(statements, reads);
        Structure self = structures.get("self");
        ReadMemo.put(List.of("structureBy", "id_nat_struct", idNatStruct), Optional.ofNullable(self));
        ReadMemo.put(List.of("person", personId), person.stream().findFirst());
        ReadMemo.put(List.of("habilitationsOf", personId), ofPerson);
        if (self != null) {
            ReadMemo.put(List.of("children", self.id()), children);
        }
        for (Structure structure : structures.values()) {
            ReadMemo.put(List.of("structure", structure.id()), Optional.of(structure));
            ReadMemo.put(List.of("contracts", structure.id()), contracts.getOrDefault(structure.id(), List.of()));
            ReadMemo.put(List.of("habilitationsOn", structure.id()), onStructure.getOrDefault(structure.id(), List.of()));
            ReadMemo.put(List.of("delegationsOf", structure.id()), delegations.getOrDefault(structure.id(), List.of()));
        }
        return true;
    }

    /** Each row of a prefetch statement with the part of the memo it is for (its {@code memo_part} column). */
    private static <T> void eachWithPart(ResultSet rs, RowMapper<T> mapper, BiConsumer<String, T> sink)
            throws SQLException {
        for (int n = 0; rs.next(); n++) {
            T row = mapper.mapRow(rs, n);
            sink.accept(rs.getString("memo_part"), row);
        }
    }

    private static <T> void group(ResultSet rs, RowMapper<T> mapper, Function<T, UUID> key, Map<UUID, List<T>> into)
            throws SQLException {
        for (int n = 0; rs.next(); n++) {
            T row = mapper.mapRow(rs, n);
            into.computeIfAbsent(key.apply(row), k -> new ArrayList<>()).add(row);
        }
    }

    // ---- structures ---------------------------------------------------------------------------

    Optional<Structure> structure(UUID id) {
        return ReadMemo.get(List.of("structure", id), () -> jdbc.sql("select " + STRUCTURE_COLUMNS + " from structure s where s.id = :id").param("id", id)
                .query(STRUCTURE).optional());
    }

    Optional<Structure> structureBy(String column, String value) {
        if (!List.of("id_nat_struct", "finess", "siret", "rpps_rang").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        return ReadMemo.get(List.of("structureBy", column, String.valueOf(value)), () -> jdbc.sql("select "
                + STRUCTURE_COLUMNS + " from structure s where s." + column + " = :v").param("v", value)
                .query(STRUCTURE).optional());
    }

    List<Structure> children(UUID ejId) {
        return ReadMemo.get(List.of("children", ejId), () -> jdbc.sql("select " + STRUCTURE_COLUMNS + " from structure s where s.parent_id = :id order by s.name")
                .param("id", ejId).query(STRUCTURE).list());
    }

    /** Operator search over every structure. */
    List<Structure> searchStructures(String q, int limit, int offset) {
        return jdbc.sql("select " + STRUCTURE_COLUMNS + " from structure s where " + SEARCH + " order by s.name, s.id limit :limit offset :offset")
                .param("q", like(q)).param("limit", limit).param("offset", offset).query(STRUCTURE).list();
    }

    long countStructures(String q) {
        return jdbc.sql("select count(*) from structure s where " + SEARCH).param("q", like(q)).query(Long.class).single();
    }

    List<Structure> structuresInRegion(String region, String q, int limit, int offset) {
        return jdbc.sql("select " + STRUCTURE_COLUMNS + " from structure s where s.region = :region and " + SEARCH
                        + " order by s.name, s.id limit :limit offset :offset")
                .param("region", region).param("q", like(q)).param("limit", limit).param("offset", offset)
                .query(STRUCTURE).list();
    }

    /**
     * Structures a person is habilitated for, represents, or on which its card's structure (an editor) has an
     * active delegation — and the EG of each such EJ.
     */
    List<Structure> structuresRelatedTo(UUID personId, LocalDate today, String q, int limit, int offset) {
        return jdbc.sql("with direct as (" + DIRECT + ") select " + STRUCTURE_COLUMNS + " from structure s "
                        + "where (s.id in (select structure_id from direct) or s.parent_id in (select structure_id from direct)) and "
                        + SEARCH + " order by s.name, s.id limit :limit offset :offset")
                .param("person", personId).param("today", Date.valueOf(today)).param("q", like(q))
                .param("limit", limit).param("offset", offset).query(STRUCTURE).list();
    }

    private static final String SEARCH = """
            (:q = '%%' or lower(s.name) like :q or s.id_nat_struct like :q or coalesce(s.finess, '') like :q
             or coalesce(s.siret, '') like :q or lower(coalesce(s.city, '')) like :q)""";

    private static final String DIRECT = """
            select structure_id from habilitation where person_id = :person and revoked_at is null
            union select structure_id from structure_representative
                  where person_id = :person and valid_from <= :today and (valid_until is null or valid_until >= :today)
            union select d.structure_id from delegation d join person p on p.card_structure_id = d.editor_structure_id
                  where p.id = :person and d.revoked_at is null and d.ends_on >= :today""";

    void insertStructure(Structure s) {
        ReadMemo.forget();
        jdbc.sql("""
                insert into structure (id, kind, id_nat_struct, finess, siren, siret, rpps_rang, parent_id, name, address,
                                       postcode, city, departement, region, sector, may_order_under_ej, group_name)
                values (:id, :kind, :idNatStruct, :finess, :siren, :siret, :rppsRang, :parentId, :name, :address,
                        :postcode, :city, :departement, :region, :sector, :mayOrderUnderEj, :groupName)
                """).params(structureParams(s)).update();
    }

    void updateStructure(Structure s) {
        ReadMemo.forget();
        jdbc.sql("""
                update structure set kind = :kind, id_nat_struct = :idNatStruct, finess = :finess, siren = :siren,
                       siret = :siret, rpps_rang = :rppsRang, parent_id = :parentId, name = :name, address = :address,
                       postcode = :postcode, city = :city, departement = :departement, region = :region, sector = :sector,
                       may_order_under_ej = :mayOrderUnderEj, group_name = :groupName, updated_at = now()
                where id = :id
                """).params(structureParams(s)).update();
    }

    private static java.util.Map<String, Object> structureParams(Structure s) {
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        p.put("id", s.id());
        p.put("kind", s.kind().name());
        p.put("idNatStruct", s.idNatStruct());
        p.put("finess", s.finess());
        p.put("siren", s.siren());
        p.put("siret", s.siret());
        p.put("rppsRang", s.rppsRang());
        p.put("parentId", s.parentId());
        p.put("name", s.name());
        p.put("address", s.address());
        p.put("postcode", s.postcode());
        p.put("city", s.city());
        p.put("departement", s.departement());
        p.put("region", s.region());
        p.put("sector", s.sector().name());
        p.put("mayOrderUnderEj", s.mayOrderUnderEj());
        p.put("groupName", s.groupName());
        return p;
    }

    // ---- contracts ----------------------------------------------------------------------------

    List<Contract> contractsOf(UUID structureId) {
        return ReadMemo.get(List.of("contracts", structureId), () -> jdbc.sql("select * from contract where structure_id = :id order by signed_on desc limit 200")
                .param("id", structureId).query(CONTRACT).list());
    }

    boolean contractReferenceExists(String reference) {
        return jdbc.sql("select count(*) from contract where reference = :r").param("r", reference)
                .query(Integer.class).single() > 0;
    }

    void insertContract(Contract c) {
        ReadMemo.forget();
        jdbc.sql("insert into contract (id, structure_id, reference, signed_on, ends_on) values (:id, :s, :r, :signed, :ends)")
                .param("id", c.id()).param("s", c.structureId()).param("r", c.reference())
                .param("signed", Date.valueOf(c.signedOn())).param("ends", c.endsOn() == null ? null : Date.valueOf(c.endsOn()))
                .update();
    }

    // ---- persons ------------------------------------------------------------------------------

    Optional<Person> person(UUID id) {
        return ReadMemo.get(List.of("person", id), () -> jdbc.sql("select " + PERSON_COLUMNS + " from person p where p.id = :id").param("id", id).query(PERSON).optional());
    }

    Optional<Person> personBy(String column, String value) {
        if (!List.of("card_number", "id_nat_ps").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        return jdbc.sql("select " + PERSON_COLUMNS + " from person p where p." + column + " = :v").param("v", value)
                .query(PERSON).optional();
    }

    /**
     * What a login needs about a person, in one statement: the person, its platform roles (role, region; ordered by
     * role then region), the roles of its representations valid on {@code today}, whether a delegation to its card's
     * structure is active on {@code today} and whether it holds an unrevoked habilitation. Read afresh on every call
     * (no cache): a withdrawn role, habilitation or delegation counts from the next request on.
     */
    Optional<LoginView> loginView(String idNatPs, LocalDate today) {
        List<LoginView> found = new ArrayList<>(1);
        RoundTrip.run(statements, List.of(loginViewStatement(idNatPs, today, found::add)));
        return found.stream().findFirst();
    }

    /** {@link #loginView} as a statement to send with others; {@code found} gets the view if the person exists. */
    RoundTrip.Statement loginViewStatement(String idNatPs, LocalDate today, java.util.function.Consumer<LoginView> found) {
        return RoundTrip.Statement.query(LOGIN_VIEW, Map.of("v", idNatPs, "today", Date.valueOf(today)), rs -> {
            if (rs.next()) {
                found.accept(new LoginView(PERSON.mapRow(rs, 0), strings(rs.getArray("platform_roles")),
                        strings(rs.getArray("platform_regions")), strings(rs.getArray("representation_roles")),
                        rs.getBoolean("delegated"), rs.getBoolean("habilitated")));
            }
        });
    }

    private static final String LOGIN_VIEW = "select " + PERSON_COLUMNS + """
            ,
            array(select r.role from platform_role r where r.person_id = p.id order by r.role, r.region)
                as platform_roles,
            array(select r.region from platform_role r where r.person_id = p.id order by r.role, r.region)
                as platform_regions,
            array(select distinct sr.role from structure_representative sr where sr.person_id = p.id
                  and sr.valid_from <= :today and (sr.valid_until is null or sr.valid_until >= :today))
                as representation_roles,
            exists(select 1 from delegation d where d.editor_structure_id = p.card_structure_id
                   and d.revoked_at is null and d.ends_on >= :today) as delegated,
            exists(select 1 from habilitation h where h.person_id = p.id and h.revoked_at is null)
                as habilitated
            from person p where p.id_nat_ps = :v
            """;

    /** See {@link #loginView}; {@code platformRoles} and {@code platformRegions} are parallel lists. */
    record LoginView(Person person, List<String> platformRoles, List<String> platformRegions,
                     List<String> representationRoles, boolean delegated, boolean habilitated) {
    }

    List<Person> searchPersons(String q, int limit, int offset) {
        return jdbc.sql("select " + PERSON_COLUMNS + " from person p where (:q = '%%' or lower(p.last_name) like :q "
                        + "or lower(p.first_name) like :q or p.card_number like :q or lower(p.id_nat_ps) like :q) "
                        + "order by p.last_name, p.first_name, p.id limit :limit offset :offset")
                .param("q", like(q)).param("limit", limit).param("offset", offset).query(PERSON).list();
    }

    List<Person> personsOfCardStructure(UUID structureId) {
        return jdbc.sql("select " + PERSON_COLUMNS + " from person p where p.card_structure_id = :id order by p.last_name limit 500")
                .param("id", structureId).query(PERSON).list();
    }

    void insertPerson(Person p) {
        ReadMemo.forget();
        jdbc.sql("""
                insert into person (id, card_number, card_type, id_nat_ps, rpps, last_name, first_name, email, phone,
                                    profession, card_status, card_expires_on, card_structure_id)
                values (:id, :cardNumber, :cardType, :idNatPs, :rpps, :lastName, :firstName, :email, :phone,
                        :profession, :cardStatus, :cardExpiresOn, :cardStructureId)
                """).params(personParams(p)).update();
    }

    void updatePerson(Person p) {
        ReadMemo.forget();
        jdbc.sql("""
                update person set card_number = :cardNumber, card_type = :cardType, id_nat_ps = :idNatPs, rpps = :rpps,
                       last_name = :lastName, first_name = :firstName, email = :email, phone = :phone,
                       profession = :profession, card_status = :cardStatus, card_expires_on = :cardExpiresOn,
                       card_structure_id = :cardStructureId, updated_at = now()
                where id = :id
                """).params(personParams(p)).update();
    }

    private static java.util.Map<String, Object> personParams(Person p) {
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        m.put("id", p.id());
        m.put("cardNumber", p.cardNumber());
        m.put("cardType", p.cardType().name());
        m.put("idNatPs", p.idNatPs());
        m.put("rpps", p.rpps());
        m.put("lastName", p.lastName());
        m.put("firstName", p.firstName());
        m.put("email", p.email());
        m.put("phone", p.phone());
        m.put("profession", p.profession());
        m.put("cardStatus", p.cardStatus().name());
        m.put("cardExpiresOn", p.cardExpiresOn() == null ? null : Date.valueOf(p.cardExpiresOn()));
        m.put("cardStructureId", p.cardStructureId());
        return m;
    }

    // ---- representatives and platform roles ----------------------------------------------------

    List<Representative> representativesOf(UUID structureId) {
        return jdbc.sql("select * from structure_representative where structure_id = :id order by role, valid_from limit 200")
                .param("id", structureId).query(REPRESENTATIVE).list();
    }

    List<Representative> representationsOf(UUID personId) {
        return jdbc.sql("select * from structure_representative where person_id = :id limit 500")
                .param("id", personId).query(REPRESENTATIVE).list();
    }

    void insertRepresentative(Representative r) {
        ReadMemo.forget();
        jdbc.sql("""
                insert into structure_representative (id, structure_id, person_id, role, valid_from, valid_until)
                values (:id, :s, :p, :role, :from, :until)
                on conflict (structure_id, person_id, role) do update set valid_from = excluded.valid_from,
                    valid_until = excluded.valid_until
                """).param("id", r.id()).param("s", r.structureId()).param("p", r.personId()).param("role", r.role().name())
                .param("from", Date.valueOf(r.validFrom())).param("until", r.validUntil() == null ? null : Date.valueOf(r.validUntil()))
                .update();
    }

    List<String[]> platformRolesOf(UUID personId) {
        return jdbc.sql("select role, region from platform_role where person_id = :id order by role, region")
                .param("id", personId).query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
    }

    void insertPlatformRole(UUID personId, PlatformRole role, String region) {
        ReadMemo.forget();
        jdbc.sql("insert into platform_role (person_id, role, region) values (:p, :r, :region) on conflict do nothing")
                .param("p", personId).param("r", role.name()).param("region", region == null ? "" : region).update();
    }

    // ---- delegations --------------------------------------------------------------------------

    List<Delegation> delegationsOf(UUID structureId) {
        return ReadMemo.get(List.of("delegationsOf", structureId), () -> jdbc.sql("select * from delegation where structure_id = :id order by granted_at desc limit 200")
                .param("id", structureId).query(DELEGATION).list());
    }

    List<Delegation> delegationsTo(UUID editorId) {
        return jdbc.sql("select * from delegation where editor_structure_id = :id order by granted_at desc limit 500")
                .param("id", editorId).query(DELEGATION).list();
    }

    Optional<Delegation> delegation(UUID id) {
        return jdbc.sql("select * from delegation where id = :id").param("id", id).query(DELEGATION).optional();
    }

    void insertDelegation(Delegation d) {
        ReadMemo.forget();
        jdbc.sql("""
                insert into delegation (id, structure_id, editor_structure_id, granted_by, granted_at, ends_on)
                values (:id, :s, :e, :by, :at, :ends)
                """).param("id", d.id()).param("s", d.structureId()).param("e", d.editorStructureId())
                .param("by", d.grantedBy()).param("at", Timestamp.from(d.grantedAt())).param("ends", Date.valueOf(d.endsOn()))
                .update();
    }

    int revokeDelegation(UUID id, UUID by, Instant at) {
        ReadMemo.forget();
        return jdbc.sql("update delegation set revoked_at = :at, revoked_by = :by where id = :id and revoked_at is null")
                .param("at", Timestamp.from(at)).param("by", by).param("id", id).update();
    }

    // ---- habilitations ------------------------------------------------------------------------

    List<Habilitation> habilitationsOf(UUID personId) {
        return ReadMemo.get(List.of("habilitationsOf", personId), () -> jdbc.sql("select * from habilitation where person_id = :id and revoked_at is null order by granted_at limit 500")
                .param("id", personId).query(HABILITATION).list());
    }

    List<Habilitation> habilitationsOn(UUID structureId) {
        return ReadMemo.get(List.of("habilitationsOn", structureId), () -> jdbc.sql("select * from habilitation where structure_id = :id and revoked_at is null order by granted_at limit 500")
                .param("id", structureId).query(HABILITATION).list());
    }

    Optional<Habilitation> activeHabilitation(UUID structureId, UUID personId, Offer offer) {
        return jdbc.sql("select * from habilitation where structure_id = :s and person_id = :p and offer = :o and revoked_at is null")
                .param("s", structureId).param("p", personId).param("o", offer.name()).query(HABILITATION).optional();
    }

    void insertHabilitation(Habilitation h) {
        ReadMemo.forget();
        jdbc.sql("""
                insert into habilitation (id, structure_id, person_id, offer, ssl_domains, smime_domains, dossier_reference, granted_at)
                values (:id, :s, :p, :o, :ssl, :smime, :ref, :at)
                """).param("id", h.id()).param("s", h.structureId()).param("p", h.personId()).param("o", h.offer().name())
                .param("ssl", h.sslDomains().toArray(String[]::new)).param("smime", h.smimeDomains().toArray(String[]::new))
                .param("ref", h.dossierReference()).param("at", Timestamp.from(h.grantedAt())).update();
    }

    int revokeHabilitation(UUID id, Instant at) {
        ReadMemo.forget();
        return jdbc.sql("update habilitation set revoked_at = :at where id = :id and revoked_at is null")
                .param("at", Timestamp.from(at)).param("id", id).update();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static String like(String q) {
        String trimmed = q == null ? "" : q.strip().toLowerCase();
        return "%" + trimmed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static LocalDate date(ResultSet rs, String column) throws SQLException {
        Date value = rs.getDate(column);
        return value == null ? null : value.toLocalDate();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
