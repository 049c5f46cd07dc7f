package org.openigc.server.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openigc.server.registry.RegistryService;
import org.openigc.server.registry.Structure;
import org.openigc.server.registry.StructureInput;
import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Dashboards on a hand-built fixture in Bretagne (région 53, no demo structure there): every expected number below is
 * counted by hand from the certificates inserted in {@link #fixture}.
 */
class DashboardIT extends DashboardTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BORDEAUX_CLINIC = "330000068";
    private static Fixture fixture;

    record Fixture(Structure brest, Structure brestSite, Structure rennes) {
    }

    @Autowired
    RegistryService registry;

    static String finess(String departement) {
        while (true) {
            String body = departement + String.format("%05d", ThreadLocalRandom.current().nextInt(100_000));
            for (int key = 0; key < 10; key++) {
                if (luhn(body + key)) {
                    return body + key;
                }
            }
        }
    }

    private static boolean luhn(String digits) {
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    private UUID certificate(Structure structure, String offer, String usage, String environment, String service,
                             String status, OffsetDateTime notAfter, OffsetDateTime revokedAt, UUID renews) {
        UUID id = UUID.randomUUID();
        String ca = jdbc.sql("select name from ca_certificate order by name limit 1").query(String.class).single();
        jdbc.sql("""
                insert into certificate (id, serial_number, ca_name, profile, environment, status, subject, not_before,
                    not_after, public_key_sha256, structure_id, offer, usage, service_applicatif, revoked_at, renews)
                values (:id, :serial, :ca, 'fixture', :environment, :status, :subject, :notBefore, :notAfter, :key,
                    :structure, :offer, :usage, :service, :revokedAt, :renews)""")
                .param("id", id).param("serial", id.toString().replace("-", "")).param("ca", ca)
                .param("environment", environment).param("status", status).param("subject", "CN=" + service)
                .param("notBefore", notAfter.minusYears(3)).param("notAfter", notAfter).param("key", id.toString())
                .param("structure", structure.id()).param("offer", offer).param("usage", usage)
                .param("service", service).param("revokedAt", revokedAt).param("renews", renews).update();
        return id;
    }

    @BeforeEach
    void fixture() {
        if (fixture != null) {
            return;
        }
        String brestFiness = finess("290");
        Structure brest = registry.createStructure(new StructureInput("EJ", brestFiness, "", "", "", "",
                "DASH CHU BREST", "2 avenue Foch", "29200", "Brest", "", "HOSPITAL", true, ""));
        Structure site = registry.createStructure(new StructureInput("EG", finess("290"), "", "", "", brestFiness,
                "DASH CHU BREST - SITE MORVAN", "5 avenue Morvan", "29200", "Brest", "", "HOSPITAL", false, ""));
        Structure rennes = registry.createStructure(new StructureInput("EJ", finess("350"), "", "", "", "",
                "DASH EHPAD RENNES", "1 rue de Paris", "35000", "Rennes", "", "MEDICO_SOCIAL", false, ""));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        // brest: 3 active (PROD AUTH_CLI +200 d, PROD SIGN +20 d, TEST AUTH_CLI +50 d) → DMP pair, 30 d:1, 60 d:2, 90 d:2
        certificate(brest, "ORG", "AUTH_CLI", "PRODUCTION", "DMP AUTH", "ACTIVE", now.plusDays(200), null, null);
        certificate(brest, "ORG", "SIGN", "PRODUCTION", "DMP SIGN", "ACTIVE", now.plusDays(20), null, null);
        certificate(brest, "ORG", "AUTH_CLI", "TEST", "SVC TEST", "ACTIVE", now.plusDays(50), null, null);
        // expired 10 days ago, nothing replaces it → 1 expired without successor
        certificate(brest, "ORG", "AUTH_CLI", "PRODUCTION", "OLD SERVICE", "ACTIVE", now.minusDays(10), null, null);
        // expired, but the active DMP SIGN above (same usage, environment, service) succeeds it → not counted
        certificate(brest, "ORG", "SIGN", "PRODUCTION", "DMP SIGN", "ACTIVE", now.minusDays(100), null, null);
        // revoked 10 days ago → 1; revoked 120 days ago → not counted; neither is active
        certificate(brest, "ORG", "AUTH_CLI", "PRODUCTION", "REV", "REVOKED", now.plusDays(300), now.minusDays(10), null);
        certificate(brest, "ORG", "AUTH_CLI", "PRODUCTION", "REV OLD", "REVOKED", now.plusDays(300), now.minusDays(120), null);
        // site: SSL +80 d (90 d window only); AUTH_CLI expired 5 days ago, renewed under another name (+330 d)
        certificate(site, "SERV", "SSL_SERVEUR", "PRODUCTION", "www.brest.fr", "ACTIVE", now.plusDays(80), null, null);
        UUID expired = certificate(site, "ORG", "AUTH_CLI", "PRODUCTION", "GAM", "ACTIVE", now.minusDays(5), null, null);
        certificate(site, "ORG", "AUTH_CLI", "PRODUCTION", "GAM V2", "ACTIVE", now.plusDays(330), null, expired);
        // rennes: no certificate, one undeliverable address
        jdbc.sql("""
                insert into undeliverable_address (address, first_seen, last_seen, last_error, structure_id)
                values (:address, now(), now(), '550 no such user', :structure)""")
                .param("address", "dsi-" + UUID.randomUUID() + "@ehpad-rennes.fr").param("structure", rennes.id()).update();
        fixture = new Fixture(brest, site, rennes);
    }

    private static DashboardFilter bretagne(String usage) {
        return new DashboardFilter("53", null, null, usage, null, null, "name");
    }

    private static DashboardRow rowOf(List<DashboardRow> rows, Structure structure) {
        return rows.stream().filter(r -> r.structureId().equals(structure.id())).findFirst().orElseThrow();
    }

    @Test
    void indicatorsPerStructureMatchTheHandCount() {
        List<DashboardRow> rows = dashboards.rows(operator(), bretagne(null));
        assertThat(rows).extracting(DashboardRow::name)
                .containsExactly("DASH CHU BREST", "DASH CHU BREST - SITE MORVAN", "DASH EHPAD RENNES");

        DashboardRow brest = rowOf(rows, fixture.brest());
        assertThat(brest.activeTotal()).isEqualTo(3);
        assertThat(brest.active()).containsEntry("PRODUCTION.AUTH_CLI", 1L).containsEntry("PRODUCTION.SIGN", 1L)
                .containsEntry("TEST.AUTH_CLI", 1L).containsEntry("TEST.SIGN", 0L);
        assertThat(List.of(brest.expiringWithin30Days(), brest.expiringWithin60Days(), brest.expiringWithin90Days()))
                .containsExactly(1L, 2L, 2L);
        assertThat(brest.expiredWithoutSuccessor()).isEqualTo(1);
        assertThat(brest.revokedLast90Days()).isEqualTo(1);
        assertThat(brest.dmpReady()).isTrue();
        assertThat(brest.departement()).isEqualTo("29");
        assertThat(brest.region()).isEqualTo("53");

        DashboardRow site = rowOf(rows, fixture.brestSite());
        assertThat(site.parentFiness()).isEqualTo(fixture.brest().finess());
        assertThat(site.activeTotal()).isEqualTo(2);
        assertThat(site.active()).containsEntry("PRODUCTION.SSL_SERVEUR", 1L).containsEntry("PRODUCTION.AUTH_CLI", 1L);
        assertThat(List.of(site.expiringWithin30Days(), site.expiringWithin60Days(), site.expiringWithin90Days()))
                .containsExactly(0L, 0L, 1L);
        assertThat(site.expiredWithoutSuccessor()).isZero();
        assertThat(site.dmpReady()).isFalse();

        DashboardRow rennes = rowOf(rows, fixture.rennes());
        assertThat(rennes.activeTotal()).isZero();
        assertThat(rennes.undeliverableAddresses()).isEqualTo(1);

        // usage filter: only SIGN certificates are counted, the structures stay
        List<DashboardRow> sign = dashboards.rows(operator(), bretagne("SIGN"));
        assertThat(sign).hasSize(3);
        DashboardRow brestSign = rowOf(sign, fixture.brest());
        assertThat(brestSign.activeTotal()).isEqualTo(1);
        assertThat(brestSign.expiringWithin30Days()).isEqualTo(1);
        assertThat(brestSign.expiredWithoutSuccessor()).isZero();
        assertThat(brestSign.revokedLast90Days()).isZero();
        assertThat(rowOf(sign, fixture.brestSite()).activeTotal()).isZero();

        // département, sector and search filters
        assertThat(dashboards.rows(operator(), new DashboardFilter("53", "35", null, null, null, null, null)))
                .extracting(DashboardRow::structureId).containsExactly(fixture.rennes().id());
        assertThat(dashboards.rows(operator(), new DashboardFilter(null, null, "MEDICO_SOCIAL", null, null, "dash", null)))
                .extracting(DashboardRow::structureId).containsExactly(fixture.rennes().id());
        assertThat(dashboards.rows(operator(), new DashboardFilter(null, null, null, null, null, "brest", null)))
                .hasSize(2);
        assertThat(dashboards.rows(operator(), new DashboardFilter(null, null, null, null, null, fixture.brest().finess(), null)))
                .extracting(DashboardRow::structureId).containsExactly(fixture.brest().id());
        // sort by active, descending
        assertThat(dashboards.rows(operator(), new DashboardFilter("53", null, null, null, null, null, "-active")))
                .extracting(DashboardRow::activeTotal).containsExactly(3L, 2L, 0L);
    }

    @Test
    void chartsCountExpiriesPerMonthAndDmpCoverage() {
        Map<String, Map<String, Long>> months = dashboards.expiringPerMonth(operator(), bretagne(null));
        // active and ending within 12 months: +20 d SIGN, +50 d AUTH_CLI, +80 d SSL, +200 d AUTH_CLI, +330 d AUTH_CLI
        assertThat(months.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum()).isEqualTo(5);
        String signMonth = OffsetDateTime.now(ZoneOffset.UTC).plusDays(20).atZoneSameInstant(ZoneId.of("Europe/Paris"))
                .toLocalDate().toString().substring(0, 7);
        assertThat(months.get(signMonth)).containsEntry("SIGN", 1L);
        Map<String, long[]> coverage = DashboardService.coverageByRegion(dashboards.rows(operator(), bretagne(null)));
        assertThat(coverage.get("53")).containsExactly(1L, 2L);
        String svg = DashboardCharts.expiringPerMonth(months, java.time.YearMonth.now(ZoneId.of("Europe/Paris")));
        assertThat(svg).startsWith("<svg").contains("<rect").contains("SIGN");
    }

    @Test
    void xlsxAndCsvExportExactlyTheFilteredRows() throws Exception {
        HttpClient operator = personaClient("operator");
        HttpResponse<byte[]> xlsx = get(operator, https("/api/v1/dashboards/structures.xlsx?region=53&sort=name"));
        assertThat(xlsx.statusCode()).isEqualTo(200);
        assertThat(xlsx.headers().firstValue("Content-Type").orElseThrow()).contains("spreadsheetml");
        try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            List<Row> rows = workbook.getFirstSheet().read();
            assertThat(rows).hasSize(4);
            List<String> header = new ArrayList<>();
            for (int c = 0; c < rows.getFirst().getCellCount(); c++) {
                header.add(rows.getFirst().getCellText(c));
            }
            assertThat(header).startsWith("idNatStruct", "FINESS", "Nom");
            Row brest = rows.get(1);
            assertThat(brest.getCellText(1)).isEqualTo(fixture.brest().finess());
            assertThat(brest.getCellText(2)).isEqualTo("DASH CHU BREST");
            assertThat(brest.getCellAsNumber(header.indexOf("Actifs"))).contains(new BigDecimal(3));
            assertThat(brest.getCellAsNumber(header.indexOf("Actifs PRODUCTION.SIGN"))).contains(new BigDecimal(1));
            assertThat(brest.getCellAsNumber(header.indexOf("Expirent ≤ 60 j"))).contains(new BigDecimal(2));
            assertThat(brest.getCellAsNumber(header.indexOf("Expirés sans successeur"))).contains(BigDecimal.ONE);
            assertThat(brest.getCellText(header.indexOf("Paire DMP active"))).isEqualTo("oui");
            assertThat(rows.get(2).getCellText(header.indexOf("FINESS EJ"))).isEqualTo(fixture.brest().finess());
            assertThat(rows.get(3).getCellText(2)).isEqualTo("DASH EHPAD RENNES");
            assertThat(rows.get(3).getCellAsNumber(header.indexOf("Adresses non distribuables"))).contains(BigDecimal.ONE);
        }
        HttpResponse<byte[]> filtered = get(operator, https("/api/v1/dashboards/structures.xlsx?region=53&departement=35"));
        try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(filtered.body()))) {
            assertThat(workbook.getFirstSheet().read()).hasSize(2);
        }
        HttpResponse<byte[]> csv = get(operator, https("/api/v1/dashboards/structures.csv?region=53&sort=name"));
        String text = new String(csv.body(), StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).startsWith("\"1" + fixture.brest().finess() + "\";").contains(";3;");

        HttpResponse<String> json = getString(operator, https("/api/v1/dashboards/structures?region=53&usage=SIGN"));
        assertThat(json.statusCode()).isEqualTo(200);
        JsonNode rows = JSON.readTree(json.body());
        assertThat(rows.size()).isEqualTo(3);
        assertThat(rows.get(0).get("activeTotal").asLong()).isEqualTo(1);

        // pagination of the JSON rows: limit/offset over the sorted rows, exactly the slice of the full list
        JsonNode full = JSON.readTree(getString(operator, https("/api/v1/dashboards/structures?region=53&sort=name")).body());
        JsonNode slice = JSON.readTree(getString(operator,
                https("/api/v1/dashboards/structures?region=53&sort=name&limit=2&offset=1")).body());
        assertThat(slice.size()).isEqualTo(2);
        assertThat(slice.get(0)).isEqualTo(full.get(1));
        assertThat(slice.get(1)).isEqualTo(full.get(2));
        JsonNode bySort = JSON.readTree(getString(operator,
                https("/api/v1/dashboards/structures?region=53&sort=-active&limit=1&offset=2")).body());
        JsonNode fullBySort = JSON.readTree(getString(operator,
                https("/api/v1/dashboards/structures?region=53&sort=-active")).body());
        assertThat(bySort.size()).isEqualTo(1);
        assertThat(bySort.get(0)).isEqualTo(fullBySort.get(2));
        assertThat(JSON.readTree(getString(operator,
                https("/api/v1/dashboards/structures?region=53&offset=3")).body()).size()).isZero();
        HttpResponse<String> badPage = getString(operator, https("/api/v1/dashboards/structures?limit=0&offset=-1"));
        assertThat(badPage.statusCode()).isEqualTo(400);
        assertThat(badPage.body()).contains("limit").contains("offset");
        assertThat(getString(operator, https("/api/v1/dashboards/structures?limit=abc")).statusCode()).isEqualTo(400);

        HttpResponse<String> bad = getString(operator, https("/api/v1/dashboards/structures?region=99&usage=NOPE&level=county"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("region").contains("usage").contains("level");

        // roll-up export: one row per département of Bretagne, the structures column sums them
        HttpResponse<byte[]> byDepartement = get(operator, https("/api/v1/dashboards/structures.xlsx?region=53&level=departement&sort=departement"));
        try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(byDepartement.body()))) {
            List<Row> sheet = workbook.getFirstSheet().read();
            List<String> header = new ArrayList<>();
            for (int c = 0; c < sheet.getFirst().getCellCount(); c++) {
                header.add(sheet.getFirst().getCellText(c));
            }
            assertThat(sheet).hasSize(3);
            assertThat(sheet.get(1).getCellText(header.indexOf("Département"))).isEqualTo("29");
            assertThat(sheet.get(1).getCellText(header.indexOf("Nom"))).isEqualTo("Finistère");
            assertThat(sheet.get(1).getCellAsNumber(header.indexOf("Structures"))).contains(new BigDecimal(2));
            assertThat(sheet.get(1).getCellAsNumber(header.indexOf("Actifs"))).contains(new BigDecimal(5));
            assertThat(sheet.get(2).getCellText(header.indexOf("Niveau"))).isEqualTo("departement");
            assertThat(sheet.get(2).getCellAsNumber(header.indexOf("Adresses non distribuables"))).contains(BigDecimal.ONE);
        }
    }

    @Test
    void referentSeesOnlyItsRegionWhateverTheParameters() throws Exception {
        HttpClient referent = personaClient("referent-idf");
        JsonNode all = JSON.readTree(getString(referent, https("/api/v1/dashboards/structures")).body());
        assertThat(all.size()).isPositive();
        for (JsonNode row : all) {
            assertThat(row.get("region").asText()).isEqualTo("11");
        }
        assertThat(all.findValuesAsString("finess")).contains("750712184").doesNotContain(BORDEAUX_CLINIC, "330000076");
        // every roll-up level sums the référent's structures only: as many structures as the structure level lists
        for (String level : List.of("ej", "departement", "region", "national")) {
            JsonNode rows = JSON.readTree(getString(referent, https("/api/v1/dashboards/structures?level=" + level)).body());
            long structures = 0;
            for (JsonNode row : rows) {
                structures += row.get("structures").asLong();
                assertThat(row.get("level").asText()).isEqualTo(level);
                if (!level.equals("national")) {
                    assertThat(row.get("region").asText()).as(level).isEqualTo("11");
                }
            }
            assertThat(structures).as(level).isEqualTo(all.size());
        }
        for (String level : List.of("", "&level=structure", "&level=ej", "&level=departement", "&level=region",
                "&level=national")) {
            for (String query : List.of("region=75", "region=75&departement=33", "departement=33", "q=" + BORDEAUX_CLINIC,
                    "q=bordeaux", "region=53", "q=" + fixture.brest().finess(), "region=75&sort=-pending413",
                    "departement=29&sort=-oldestPending413")) {
                String url = query + level;
                HttpResponse<String> response = getString(referent, https("/api/v1/dashboards/structures?" + url));
                assertThat(response.statusCode()).as(url).isEqualTo(200);
                JsonNode rows = JSON.readTree(response.body());
                for (JsonNode row : rows) { // at most an empty national roll-up
                    assertThat(row.get("structures").asLong()).as(url).isZero();
                    assertThat(row.get("activeTotal").asLong()).as(url).isZero();
                }
                assertThat(response.body()).as(url).doesNotContain(BORDEAUX_CLINIC).doesNotContain("BORDEAUX")
                        .doesNotContain("BREST").doesNotContain("Gironde").doesNotContain("Bretagne");
                String csv = new String(get(referent, https("/api/v1/dashboards/structures.csv?" + url)).body(),
                        StandardCharsets.UTF_8);
                assertThat(csv).as(url).doesNotContain(BORDEAUX_CLINIC).doesNotContain("BORDEAUX").doesNotContain("BREST")
                        .doesNotContain("Gironde").doesNotContain("Bretagne");
                try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(
                        get(referent, https("/api/v1/dashboards/structures.xlsx?" + url)).body()))) {
                    assertThat(workbook.getFirstSheet().read()).as(url).hasSize(1 + rows.size());
                }
                String page = getString(referent, https("/app/dashboards?" + url)).body();
                // (the région drop-down lists every région by name; the charts name a région followed by " —")
                // (the search box echoes q, so the FINESS is looked for in the table only)
                assertThat(page.substring(page.indexOf("<tbody>"), page.indexOf("</tbody>"))).as(url)
                        .doesNotContain(BORDEAUX_CLINIC).doesNotContain(fixture.brest().finess());
                assertThat(page).as(url).doesNotContain("BORDEAUX").doesNotContain("BREST")
                        .doesNotContain("Gironde").doesNotContain("Bretagne —").doesNotContain("Nouvelle-Aquitaine —");
            }
        }
        assertThat(getString(referent, https("/app/dashboards")).body()).contains("CHU DEMO").doesNotContain("BORDEAUX");
        assertThat(getString(referent, https("/app/dashboards?level=region")).body()).contains("Île-de-France")
                .doesNotContain("Nouvelle-Aquitaine —");
    }

    @Test
    void legalRepresentativeSeesItsStructuresOthersAreRefused() throws Exception {
        JsonNode rows = JSON.readTree(getString(personaClient("legal-chu"), https("/api/v1/dashboards/structures")).body());
        assertThat(rows.findValuesAsString("finess")).containsExactlyInAnyOrder("750712184", "750100018", "920100047", "750100026");
        assertThat(getString(personaClient("admin-chu"), https("/api/v1/dashboards/structures")).statusCode()).isEqualTo(403);
        assertThat(get(personaClient("admin-chu"), https("/api/v1/dashboards/structures.xlsx")).statusCode()).isEqualTo(403);
        assertThat(getString(client(), https("/api/v1/dashboards/structures")).statusCode()).isEqualTo(401);
    }

    @Test
    void pageShowsFiltersTableAndServerSideCharts() {
        HttpResponse<String> page = getString(personaClient("operator"), https("/app/dashboards?region=53&sort=-active"));
        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body();
        assertThat(html).contains("DASH CHU BREST").contains("DASH EHPAD RENNES").doesNotContain("CHU DEMO -")
                .contains("<svg").contains("structures.xlsx?region=53").doesNotContain("cdn.");
        assertThat(html.indexOf("DASH CHU BREST<")).isLessThan(html.indexOf("DASH EHPAD RENNES<"));
        assertThat(getString(personaClient("admin-chu"), https("/app/dashboards")).statusCode()).isEqualTo(403);
    }
}
