package org.openigc.server.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.registry.RegistryService;
import org.openigc.server.registry.Structure;
import org.openigc.server.registry.StructureInput;
import org.openigc.server.security.OpenIgcUser;
import org.openigc.server.security.Role;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Form 413 indicators, the processing-time chart, the roll-ups EG → EJ → département → région → national and the
 * per-structure summary, on a hand-built fixture in Centre-Val de Loire (région 24, no other test or demo structure
 * there). Every expected number is counted by hand from {@link #fixture}.
 */
class DashboardRollupIT extends ServerTestSupport {
    private static Fixture fixture;

    /** EJ "a" (Loiret, 45) with EG a1 (45) and a2 (Indre-et-Loire, 37); EJ "b" (37) without EG. */
    record Fixture(Structure a, Structure a1, Structure a2, Structure b) {
    }

    @Autowired
    RegistryService registry;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DashboardService dashboards;
    @Autowired
    DashboardRepository repository;
    @Autowired
    DashboardSummaryRefresher refresher;

    private UUID certificate(Structure structure, String offer, String usage, String environment, String service,
                             String status, OffsetDateTime notAfter, OffsetDateTime revokedAt) {
        UUID id = UUID.randomUUID();
        String ca = jdbc.sql("select name from ca_certificate order by name limit 1").query(String.class).single();
        jdbc.sql("""
                insert into certificate (id, serial_number, ca_name, profile, environment, status, subject, not_before,
                    not_after, public_key_sha256, structure_id, offer, usage, service_applicatif, revoked_at)
                values (:id, :serial, :ca, 'fixture', :environment, :status, :subject, :notBefore, :notAfter, :key,
                    :structure, :offer, :usage, :service, :revokedAt)""")
                .param("id", id).param("serial", id.toString().replace("-", "")).param("ca", ca)
                .param("environment", environment).param("status", status).param("subject", "CN=" + service)
                .param("notBefore", notAfter.minusYears(3)).param("notAfter", notAfter).param("key", id.toString())
                .param("structure", structure.id()).param("offer", offer).param("usage", usage)
                .param("service", service).param("revokedAt", revokedAt).update();
        return id;
    }

    private void dossier(Structure structure, String status, OffsetDateTime submitted, OffsetDateTime acknowledged,
                         OffsetDateTime decided) {
        UUID person = jdbc.sql("select id from person order by id limit 1").query(UUID.class).single();
        jdbc.sql("""
                insert into habilitation_dossier (id, reference, status, structure_id, submitted_by, structure_name,
                    finess, signatory_role, signatory_last_name, signatory_first_names, signatory_phone,
                    signatory_email, signatory_card_number, usage_description, offers, submitted_at, acknowledged_at,
                    decided_at, updated_at)
                values (:id, '413-1999-' || lpad(nextval('habilitation_dossier_seq')::text, 6, '0'), :status,
                    :structure, :person, :name, :finess, 'LEGAL_REPRESENTATIVE', 'TEST', 'T', '0100000000',
                    't@example.org', '8000000000', 'fixture', array['ORG'], :submitted, :acknowledged, :decided, now())""")
                .param("id", UUID.randomUUID()).param("status", status).param("structure", structure.id())
                .param("person", person).param("name", structure.name()).param("finess", structure.finess())
                .param("submitted", submitted).param("acknowledged", acknowledged).param("decided", decided).update();
    }

    private void undeliverable(Structure structure) {
        jdbc.sql("""
                insert into undeliverable_address (address, first_seen, last_seen, last_error, structure_id)
                values (:address, now(), now(), '550 no such user', :structure)""")
                .param("address", "x-" + UUID.randomUUID() + "@centre.example").param("structure", structure.id()).update();
    }

    @BeforeEach
    void fixture() {
        if (fixture != null) {
            return;
        }
        String aFiness = DashboardIT.finess("450");
        Structure a = registry.createStructure(new StructureInput("EJ", aFiness, "", "", "", "",
                "ROLL CHR ORLEANS", "1 rue Porte Madeleine", "45000", "Orléans", "", "HOSPITAL", true, ""));
        Structure a1 = registry.createStructure(new StructureInput("EG", DashboardIT.finess("450"), "", "", "", aFiness,
                "ROLL CHR ORLEANS - SITE SOURCE", "14 avenue de l'Hôpital", "45100", "Orléans", "", "HOSPITAL", false, ""));
        Structure a2 = registry.createStructure(new StructureInput("EG", DashboardIT.finess("370"), "", "", "", aFiness,
                "ROLL CHR ORLEANS - ANTENNE TOURS", "2 boulevard Tonnellé", "37000", "Tours", "", "HOSPITAL", false, ""));
        Structure b = registry.createStructure(new StructureInput("EJ", DashboardIT.finess("370"), "", "", "", "",
                "ROLL EHPAD TOURS", "3 rue Nationale", "37000", "Tours", "", "MEDICO_SOCIAL", false, ""));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // a: PROD ORG AUTH_CLI +100 d, PROD ORG SIGN +10 d → DMP pair; ≤30: 1, ≤60: 1, ≤90: 1
        certificate(a, "ORG", "AUTH_CLI", "PRODUCTION", "DMP AUTH", "ACTIVE", now.plusDays(100), null);
        certificate(a, "ORG", "SIGN", "PRODUCTION", "DMP SIGN", "ACTIVE", now.plusDays(10), null);
        // a1: SSL +45 d (≤60 and ≤90); AUTH expired 3 days ago, nothing replaces it → 1 expired without successor
        certificate(a1, "SERV", "SSL_SERVEUR", "PRODUCTION", "www.chr-orleans.fr", "ACTIVE", now.plusDays(45), null);
        certificate(a1, "ORG", "AUTH", "PRODUCTION", "OLD", "ACTIVE", now.minusDays(3), null);
        // a2: TEST AUTH_CLI +400 d; one revoked 5 days ago
        certificate(a2, "ORG", "AUTH_CLI", "TEST", "RECETTE", "ACTIVE", now.plusDays(400), null);
        certificate(a2, "ORG", "SIGN", "PRODUCTION", "REV", "REVOKED", now.plusDays(300), now.minusDays(5));
        // b: PROD ORG AUTH_CLI +80 d (≤90), PROD ORG SIGN +200 d → DMP pair
        certificate(b, "ORG", "AUTH_CLI", "PRODUCTION", "DMP AUTH", "ACTIVE", now.plusDays(80), null);
        certificate(b, "ORG", "SIGN", "PRODUCTION", "DMP SIGN", "ACTIVE", now.plusDays(200), null);
        // 413: a has 2 pending (acknowledged 10 days ago; submitted 2 days ago, not yet acknowledged);
        // a2 1 pending (acknowledged 40 days ago); a1 approved after 5 days; b rejected after 50 days, one waiting for
        // the submitter's information (not pending for the operator), one decided 400 days ago (out of the chart)
        dossier(a, "ACKNOWLEDGED", now.minusDays(12), now.minusDays(10), null);
        dossier(a, "SUBMITTED", now.minusDays(2), null, null);
        dossier(a2, "ACKNOWLEDGED", now.minusDays(41), now.minusDays(40), null);
        dossier(a1, "APPROVED", now.minusDays(20), now.minusDays(20), now.minusDays(15));
        dossier(b, "REJECTED", now.minusDays(100), now.minusDays(100), now.minusDays(50));
        dossier(b, "INFORMATION_REQUESTED", now.minusDays(30), now.minusDays(30), null);
        dossier(b, "APPROVED", now.minusDays(420), now.minusDays(420), now.minusDays(400));
        // undeliverable addresses: a1 two, b one
        undeliverable(a1);
        undeliverable(a1);
        undeliverable(b);
        fixture = new Fixture(a, a1, a2, b);
    }

    private static OpenIgcUser operator() {
        return new OpenIgcUser(UUID.randomUUID(), "Op", "0", "0", java.util.Set.of(Role.OPERATOR), null, true);
    }

    private static DashboardFilter centre(String level) {
        return new DashboardFilter("24", null, null, null, null, null, null, level);
    }

    /** [structures, active, ≤30, ≤60, ≤90, expired without successor, revoked 90 d, undeliverable, DMP-ready structures, pending 413] */
    private static List<Long> figures(DashboardRow r) {
        return List.of(r.structures(), r.activeTotal(), r.expiringWithin30Days(), r.expiringWithin60Days(),
                r.expiringWithin90Days(), r.expiredWithoutSuccessor(), r.revokedLast90Days(), r.undeliverableAddresses(),
                r.dmpReadyStructures(), r.pending413Dossiers());
    }

    private static <K> Map<K, DashboardRow> by(List<DashboardRow> rows, Function<DashboardRow, K> key) {
        return rows.stream().collect(Collectors.toMap(key, r -> r));
    }

    @Test
    void structureRowsCarry413PendingTheirAgeAndUndeliverableAddresses() {
        Map<UUID, DashboardRow> rows = by(dashboards.rows(operator(), centre(null)), DashboardRow::structureId);
        assertThat(rows).hasSize(4);
        DashboardRow a = rows.get(fixture.a().id()), a1 = rows.get(fixture.a1().id()),
                a2 = rows.get(fixture.a2().id()), b = rows.get(fixture.b().id());
        assertThat(figures(a)).containsExactly(1L, 2L, 1L, 1L, 1L, 0L, 0L, 0L, 1L, 2L);
        assertThat(a.oldestPending413Days()).isEqualTo(10L);
        assertThat(figures(a1)).containsExactly(1L, 1L, 0L, 1L, 1L, 1L, 0L, 2L, 0L, 0L);
        assertThat(a1.oldestPending413Days()).isNull();
        assertThat(figures(a2)).containsExactly(1L, 1L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 1L);
        assertThat(a2.oldestPending413Days()).isEqualTo(40L);
        assertThat(figures(b)).containsExactly(1L, 2L, 0L, 0L, 1L, 0L, 0L, 1L, 1L, 0L);
        assertThat(b.oldestPending413Days()).isNull();
        assertThat(a.level()).isEqualTo("structure");
        // sort by pending 413, then by the oldest pending first
        assertThat(dashboards.rows(operator(), new DashboardFilter("24", null, null, null, null, null, "-pending413")))
                .extracting(DashboardRow::pending413Dossiers).containsExactly(2L, 1L, 0L, 0L);
        assertThat(dashboards.rows(operator(), new DashboardFilter("24", null, null, null, null, null, "-oldestPending413")))
                .extracting(DashboardRow::structureId).startsWith(fixture.a2().id(), fixture.a().id());
    }

    @Test
    void rollUpFromEgToEjDepartementRegionAndNational() {
        Map<UUID, DashboardRow> ej = by(dashboards.rows(operator(), centre("ej")), DashboardRow::structureId);
        assertThat(ej).containsOnlyKeys(fixture.a().id(), fixture.b().id());
        // a + a1 + a2
        assertThat(figures(ej.get(fixture.a().id()))).containsExactly(3L, 4L, 1L, 2L, 2L, 1L, 1L, 2L, 1L, 3L);
        assertThat(ej.get(fixture.a().id()).oldestPending413Days()).isEqualTo(40L);
        assertThat(ej.get(fixture.a().id()).finess()).isEqualTo(fixture.a().finess());
        assertThat(ej.get(fixture.a().id()).active()).containsEntry("PRODUCTION.AUTH_CLI", 1L)
                .containsEntry("PRODUCTION.SIGN", 1L).containsEntry("PRODUCTION.SSL_SERVEUR", 1L)
                .containsEntry("TEST.AUTH_CLI", 1L);
        assertThat(figures(ej.get(fixture.b().id()))).containsExactly(1L, 2L, 0L, 0L, 1L, 0L, 0L, 1L, 1L, 0L);

        Map<String, DashboardRow> departements = by(dashboards.rows(operator(), centre("departement")),
                DashboardRow::departement);
        assertThat(departements).containsOnlyKeys("45", "37");
        // 45: a + a1; 37: a2 + b
        assertThat(figures(departements.get("45"))).containsExactly(2L, 3L, 1L, 2L, 2L, 1L, 0L, 2L, 1L, 2L);
        assertThat(departements.get("45").oldestPending413Days()).isEqualTo(10L);
        assertThat(departements.get("45").name()).isEqualTo("Loiret");
        assertThat(figures(departements.get("37"))).containsExactly(2L, 3L, 0L, 0L, 1L, 0L, 1L, 1L, 1L, 1L);

        List<DashboardRow> regions = dashboards.rows(operator(), centre("region"));
        assertThat(regions).hasSize(1);
        assertThat(regions.getFirst().name()).isEqualTo("Centre-Val de Loire");
        assertThat(figures(regions.getFirst())).containsExactly(4L, 6L, 1L, 2L, 3L, 1L, 1L, 3L, 2L, 3L);
        assertThat(regions.getFirst().dmpReady()).isFalse();

        List<DashboardRow> national = dashboards.rows(operator(), centre("national"));
        assertThat(national).hasSize(1);
        assertThat(figures(national.getFirst())).containsExactly(4L, 6L, 1L, 2L, 3L, 1L, 1L, 3L, 2L, 3L);
        assertThat(national.getFirst().level()).isEqualTo("national");

        // usage filter at région level: SIGN only → a SIGN (+10 d) and b SIGN (+200 d); the revoked one is a2's SIGN
        DashboardRow sign = dashboards.rows(operator(), new DashboardFilter("24", null, null, "SIGN", null, null, null,
                "region")).getFirst();
        assertThat(List.of(sign.activeTotal(), sign.expiringWithin30Days(), sign.expiringWithin90Days(),
                sign.revokedLast90Days(), sign.expiredWithoutSuccessor())).containsExactly(2L, 1L, 1L, 1L, 0L);
        // département filter then EJ level: in 37 the EJ row of a gathers a2 only
        Map<UUID, DashboardRow> ej37 = by(dashboards.rows(operator(),
                new DashboardFilter("24", "37", null, null, null, null, null, "ej")), DashboardRow::structureId);
        assertThat(ej37).containsOnlyKeys(fixture.a2().id(), fixture.b().id());
        assertThat(ej37.get(fixture.a2().id()).structures()).isEqualTo(1);
    }

    @Test
    void pageRegionTotalsEqualTheSumOfTheStructureRows() {
        for (DashboardFilter filter : List.of(centre(null), new DashboardFilter("24", null, null, "SIGN", null, null, null),
                new DashboardFilter("24", "37", null, null, "PRODUCTION", null, null),
                new DashboardFilter(null, null, null, null, null, "roll chr orleans", null), DashboardFilter.none())) {
            List<DashboardRow> structures = dashboards.rows(operator(), filter);
            List<DashboardRow> totals = dashboards.regionTotals(operator(), filter);
            long[] expected = new long[10];
            for (DashboardRow r : structures) {
                List<Long> f = figures(r);
                for (int i = 0; i < expected.length; i++) {
                    expected[i] += f.get(i);
                }
            }
            long[] actual = new long[10];
            for (DashboardRow r : totals) {
                assertThat(r.level()).isEqualTo("region");
                List<Long> f = figures(r);
                for (int i = 0; i < actual.length; i++) {
                    actual[i] += f.get(i);
                }
            }
            assertThat(actual).as(filter.toString()).containsExactly(expected);
            // and région by région, the same as the full région roll-up
            Map<String, DashboardRow> byRegion = by(dashboards.rows(operator(), filter.withLevel("region")), DashboardRow::region);
            assertThat(by(totals, DashboardRow::region)).hasSameSizeAs(byRegion);
            for (DashboardRow r : totals) {
                assertThat(figures(r)).as(filter + " " + r.region()).isEqualTo(figures(byRegion.get(r.region())));
                assertThat(r.oldestPending413Days()).isEqualTo(byRegion.get(r.region()).oldestPending413Days());
            }
        }
        assertThat(figures(dashboards.regionTotals(operator(), centre(null)).getFirst()))
                .containsExactly(4L, 6L, 1L, 2L, 3L, 1L, 1L, 3L, 2L, 3L);
    }

    /** dashboard_rollup (V62) equals the stored summary rows summed per key, every key: 0 differences. */
    private long rollupDifferences() {
        return jdbc.sql("""
                with expected as (
                    select coalesce(s.region, '') as r, s.departement, s.sector, count(*) as n,
                        sum(coalesce(d.dmp_ready::int, 0)) as dmp,
                        dashboard_array_add(array_fill(0::bigint, array[14]), dashboard_array_sum(coalesce(d.active::bigint[], '{}')), 1) as a,
                        dashboard_array_add(array_fill(0::bigint, array[14]), dashboard_array_sum(coalesce(d.expired_no_successor::bigint[], '{}')), 1) as e,
                        dashboard_array_add(array_fill(0::bigint, array[6]), dashboard_array_sum(coalesce(d.totals::bigint[], '{}')), 1) as t
                    from structure s left join dashboard_summary d on d.structure_id = s.id group by 1, 2, 3
                ), actual as (
                    select coalesce(region, '') as r, departement, sector, structures as n, dmp_ready as dmp,
                        dashboard_array_add(array_fill(0::bigint, array[14]), active, 1) as a,
                        dashboard_array_add(array_fill(0::bigint, array[14]), expired_no_successor, 1) as e,
                        dashboard_array_add(array_fill(0::bigint, array[6]), totals, 1) as t
                    from dashboard_rollup where structures <> 0
                )
                select (select count(*) from (select * from expected except select * from actual) x)
                     + (select count(*) from (select * from actual except select * from expected) y)""")
                .query(Long.class).single();
    }

    private void assertRegionTotalsEqualStructureSums(DashboardFilter filter) {
        long[] expected = new long[10];
        for (DashboardRow r : dashboards.rows(operator(), filter)) {
            List<Long> f = figures(r);
            for (int i = 0; i < expected.length; i++) {
                expected[i] += f.get(i);
            }
        }
        long[] actual = new long[10];
        for (DashboardRow r : dashboards.regionTotals(operator(), filter)) {
            List<Long> f = figures(r);
            for (int i = 0; i < actual.length; i++) {
                actual[i] += f.get(i);
            }
        }
        assertThat(actual).as(filter.toString()).containsExactly(expected);
    }

    private static List<Long> minus(List<Long> a, List<Long> b) {
        return java.util.stream.IntStream.range(0, a.size()).mapToObj(i -> a.get(i) - b.get(i)).toList();
    }

    @Test
    void rollupFollowsSummaryRefreshesStaleRowsAndStructureMoves() {
        // Bourgogne-Franche-Comté (27), Côte-d'Or (21); figures compared with those before the structure
        DashboardFilter bfc = new DashboardFilter("27", null, null, null, null, null, null);
        List<DashboardRow> before = dashboards.regionTotals(operator(), bfc);
        List<Long> base = before.isEmpty() ? List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L) : figures(before.getFirst());
        Structure c = registry.createStructure(new StructureInput("EJ", DashboardIT.finess("210"), "", "", "", "",
                "ROLLUP CH DIJON", "1 rue Dijon", "21000", "Dijon", "", "HOSPITAL", false, ""));
        assertThat(rollupDifferences()).isZero();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        certificate(c, "ORG", "AUTH_CLI", "PRODUCTION", "DMP AUTH", "ACTIVE", now.plusDays(20), null);
        certificate(c, "ORG", "SIGN", "PRODUCTION", "DMP SIGN", "ACTIVE", now.plusDays(70), null);
        certificate(c, "ORG", "AUTH", "TEST", "OLD", "ACTIVE", now.minusDays(2), null);
        // dirty, not refreshed: the stored row (none) is corrected by the live computation
        assertRegionTotalsEqualStructureSums(bfc);
        assertThat(minus(figures(dashboards.regionTotals(operator(), bfc).getFirst()), base))
                .containsExactly(1L, 2L, 1L, 1L, 2L, 1L, 0L, 0L, 1L, 0L);
        refresher.refreshAll();
        assertThat(rollupDifferences()).isZero();
        assertRegionTotalsEqualStructureSums(bfc);
        assertRegionTotalsEqualStructureSums(new DashboardFilter("27", "21", "HOSPITAL", "AUTH_CLI", "PRODUCTION", null, null));
        // a stored row past its validity: subtracted and recomputed at read time
        jdbc.sql("update dashboard_summary set valid_until = now() - interval '1 second', totals = '{9,9,9,9,9,9}', "
                + "dmp_ready = false where structure_id = :id").param("id", c.id()).update();
        assertThat(rollupDifferences()).isZero();
        assertRegionTotalsEqualStructureSums(bfc);
        assertThat(minus(figures(dashboards.regionTotals(operator(), bfc).getFirst()), base))
                .containsExactly(1L, 2L, 1L, 1L, 2L, 1L, 0L, 0L, 1L, 0L);
        refresher.refreshAll();
        // the structure moves to the Nièvre (58): its structure count and sums move with it
        jdbc.sql("update structure set departement = '58' where id = :id").param("id", c.id()).update();
        assertThat(rollupDifferences()).isZero();
        assertThat(dashboards.regionTotals(operator(), new DashboardFilter("27", "21", null, null, null, null, null))).isEmpty();
        assertRegionTotalsEqualStructureSums(new DashboardFilter("27", "58", null, null, null, null, null));
        assertThat(dashboards.regionTotals(operator(), new DashboardFilter("27", "58", null, null, null, null, null))
                .getFirst().activeTotal()).isEqualTo(2L);
        jdbc.sql("update structure set departement = '21' where id = :id").param("id", c.id()).update();
        assertThat(rollupDifferences()).isZero();
    }

    @Test
    void processingTimesChartCountsDecidedAndPendingDossiersByDuration() {
        DashboardRepository.ProcessingTimes times = dashboards.processingTimes(operator(), centre(null));
        // decided within 365 days: a1 after 5 days (3–7), b after 50 days (≥ 30); the one decided 400 days ago is out
        assertThat(times.decided()).containsExactly(0, 0, 1, 0, 0, 1);
        // pending: a submitted 2 days ago (1–3), a acknowledged 10 days ago (7–15), a2 acknowledged 40 days ago (≥ 30)
        assertThat(times.pending()).containsExactly(0, 1, 0, 1, 0, 1);
        assertThat(times.medianDays()).isCloseTo(27.5, org.assertj.core.data.Offset.offset(0.01));
        String svg = DashboardCharts.processingTimes(times.decided(), times.pending());
        assertThat(svg).startsWith("<svg").contains("≥ 30 j — traités : 1").contains("7 à 15 j — en attente : 1");
    }

    @Test
    void summaryRowsEqualTheLiveComputationAndFollowCertificateChanges() {
        // dirty entries force the on-the-fly computation from the certificates, whatever the refresher has done
        for (Structure s : List.of(fixture.a(), fixture.a1(), fixture.a2(), fixture.b())) {
            jdbc.sql("insert into dashboard_summary_dirty (structure_id) values (:id)").param("id", s.id()).update();
        }
        List<DashboardRow> live = dashboards.rows(operator(), centre(null));
        refresher.refreshAll();
        assertThat(jdbc.sql("""
                select count(*) from dashboard_summary d where structure_id in (:ids) and valid_until > now()
                    and not exists (select 1 from dashboard_summary_dirty x where x.structure_id = d.structure_id)""")
                .param("ids", List.of(fixture.a().id(), fixture.a1().id(), fixture.a2().id(), fixture.b().id()))
                .query(Long.class).single()).isEqualTo(4);
        assertThat(dashboards.rows(operator(), centre(null))).isEqualTo(live);
        assertThat(repository.slotsInDatabase()).isEqualTo(DashboardRepository.SLOTS.size());

        // a new certificate marks the structure dirty in the writer's transaction and is counted at once
        Structure extra = registry.createStructure(new StructureInput("EJ", DashboardIT.finess("210"), "", "", "", "",
                "ROLL CLINIQUE DIJON", "1 place Darcy", "21000", "Dijon", "", "HOSPITAL", false, ""));
        UUID id = certificate(extra, "ORG", "SIGN", "PRODUCTION", "S", "ACTIVE",
                OffsetDateTime.now(ZoneOffset.UTC).plusDays(20), null);
        refresher.refreshAll();
        assertThat(row(extra).expiringWithin30Days()).isEqualTo(1);
        jdbc.sql("update certificate set status = 'REVOKED', revoked_at = now() where id = :id").param("id", id).update();
        assertThat(jdbc.sql("select count(*) from dashboard_summary_dirty where structure_id = :id")
                .param("id", extra.id()).query(Long.class).single()).isPositive();
        DashboardRow revoked = row(extra);
        assertThat(List.of(revoked.activeTotal(), revoked.expiringWithin30Days(), revoked.revokedLast90Days()))
                .containsExactly(0L, 0L, 1L);
    }

    private DashboardRow row(Structure structure) {
        return dashboards.rows(operator(), new DashboardFilter(null, null, null, null, null, structure.finess(), null))
                .getFirst();
    }

    @Test
    void aTimeBoundaryMakesTheSummaryStaleAndTheReadStaysExact() throws Exception {
        Structure s = registry.createStructure(new StructureInput("EJ", DashboardIT.finess("890"), "", "", "", "",
                "ROLL CH AUXERRE", "2 boulevard de Verdun", "89000", "Auxerre", "", "HOSPITAL", false, ""));
        OffsetDateTime end = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(4).withNano(0);
        certificate(s, "ORG", "AUTH_CLI", "PRODUCTION", "SHORT", "ACTIVE", end, null);
        refresher.refreshAll();
        // the next change of this structure's figures is the end of validity (30/60/90 days before it are past)
        assertThat(jdbc.sql("select valid_until from dashboard_summary where structure_id = :id").param("id", s.id())
                .query(OffsetDateTime.class).single().toInstant()).isEqualTo(end.toInstant());
        assertThat(List.of(row(s).activeTotal(), row(s).expiringWithin30Days(), row(s).expiredWithoutSuccessor()))
                .containsExactly(1L, 1L, 0L);
        while (OffsetDateTime.now(ZoneOffset.UTC).isBefore(end.plusNanos(200_000_000))) {
            Thread.sleep(200);
        }
        // no refresh in between: the stale row is recomputed by the read itself
        DashboardRow after = row(s);
        assertThat(List.of(after.activeTotal(), after.expiringWithin30Days(), after.expiredWithoutSuccessor()))
                .containsExactly(0L, 0L, 1L);
    }
}
