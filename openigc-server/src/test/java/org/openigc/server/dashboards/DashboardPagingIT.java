package org.openigc.server.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openigc.server.security.OpenIgcUser;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Pages of the dashboard table (the page's 100 rows, the API's limit/offset) are exactly the slices of the full sorted
 * table, whatever the sort: on a structure column the offset and limit are applied to the structures before any
 * indicator is read; on a certificate indicator only the candidate structures (best stored rows, stale rows, rows
 * never computed) are read. The fixture, in Corse (région 94, used by no other test), mixes the three kinds of
 * structures the candidates must cover: an exact stored summary, a stored summary made stale by a new certificate
 * (dirty) or by its validity having ended, and no stored summary at all; many ties on the indicators.
 */
class DashboardPagingIT extends DashboardTestSupport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STRUCTURES = 130;
    private static boolean loaded;


    @BeforeEach
    void fixture() {
        if (loaded) {
            return;
        }
        // 130 structures; names repeat every 40 (ties on the name sort, broken by id); i % 10 certificates each
        jdbc.sql("""
                insert into structure (id, kind, id_nat_struct, finess, name, departement, region, sector)
                select gen_random_uuid(), 'EJ', '1C' || lpad(i::text, 8, '0'), 'C' || lpad(i::text, 8, '0'),
                       'CORSE PAGE ' || lpad((i % 40)::text, 2, '0'), (array['2A','2B'])[1 + i % 2], '94',
                       (array['HOSPITAL','OFFICINE'])[1 + i % 2]
                from generate_series(1, :n) i""").param("n", STRUCTURES).update();
        insertCertificates("s.i % 10 <> 0", 0);
        refresher.refreshAll(); // exact stored rows for the structures with certificates; none for the others
        // dirty: a new certificate for every 7th structure, not refreshed
        insertCertificates("s.i % 7 = 0", 100_000);
        // past their validity: every 11th stored row
        jdbc.sql("""
                update dashboard_summary set valid_until = now() - interval '1 second' where structure_id in (
                    select id from structure where id_nat_struct like '1C%' and substr(id_nat_struct, 3)::int % 11 = 0)""")
                .update();
        loaded = true;
    }

    /** i % 10 + 1 certificates for each fixture structure number i matching {@code which} (SQL on s.i). */
    private void insertCertificates(String which, int serialBase) {
        jdbc.sql("""
                with s as (select id, substr(id_nat_struct, 3)::int as i from structure where id_nat_struct like '1C%'),
                     ca as (select name from ca_certificate order by name limit 1)
                insert into certificate (id, serial_number, ca_name, profile, environment, status, subject,
                    not_before, not_after, public_key_sha256, structure_id, offer, usage, service_applicatif, revoked_at)
                select gen_random_uuid(), 'corse' || (:base + s.i * 100 + k), ca.name, 'fixture',
                       case when k % 3 = 0 then 'TEST' else 'PRODUCTION' end,
                       case when k % 5 = 4 then 'REVOKED' else 'ACTIVE' end, 'CN=corse',
                       now() - interval '2 years', now() + ((s.i * 37 + k * 53) % 400 - 100) * interval '1 day',
                       'corse' || (:base + s.i * 100 + k), s.id, 'ORG', (array['AUTH_CLI','SIGN','CONF','AUTH'])[1 + k % 4],
                       'SVC ' || (k % 3), case when k % 5 = 4 then now() - (k * 13 % 150) * interval '1 day' end
                from s cross join ca cross join lateral generate_series(0, s.i % 10) k
                where\s""" + which).param("base", serialBase).update();
    }

    private static List<String> ids(List<DashboardRow> rows) {
        return rows.stream().map(r -> r.idNatStruct() + " " + r.activeTotal() + " " + r.expiringWithin30Days() + " "
                + r.expiringWithin90Days() + " " + r.expiredWithoutSuccessor() + " " + r.revokedLast90Days() + " "
                + r.active()).toList();
    }

    @Test
    void everyPageIsTheSliceOfTheFullSortedTable() {
        OpenIgcUser operator = operator();
        List<String> sorts = new ArrayList<>();
        sorts.add(null);
        for (String sort : DashboardFilter.SORTS) {
            sorts.add(sort);
            sorts.add("-" + sort);
        }
        for (String usage : new String[] {null, "SIGN"}) {
            for (String sort : sorts) {
                if (usage != null && (sort == null || sort.contains("name") || sort.contains("finess")
                        || sort.contains("departement") || sort.contains("region") || sort.contains("413"))) {
                    continue; // the usage filter only changes the certificate indicators
                }
                DashboardFilter filter = new DashboardFilter("94", null, null, usage, usage == null ? null : "PRODUCTION",
                        null, sort);
                List<DashboardRow> full = dashboards.rows(operator, filter); // no limit: every indicator read
                assertThat(full).as("sort %s", sort).hasSize(STRUCTURES);
                List<DashboardRow> paged = new ArrayList<>();
                for (int offset = 0; offset < STRUCTURES + 19; offset += 19) {
                    List<DashboardRow> page = dashboards.rows(operator, filter, 19, offset);
                    assertThat(page.size()).as("sort %s offset %d", sort, offset).isLessThanOrEqualTo(19);
                    paged.addAll(page);
                }
                assertThat(ids(paged)).as("sort %s usage %s", sort, usage).containsExactlyElementsOf(ids(full));
            }
        }
    }

    /**
     * Without any filter, a page sorted on a certificate indicator reads its first candidates from the indicator's
     * index in the page's order (V82, both directions): page by page, the whole national table (this fixture's exact rows with
     * many ties, dirty, expired and absent rows, and whatever the other tests stored) equals the unpaged table.
     */
    @Test
    void nationalIndicatorSortedPagesAreTheSlicesOfTheFullTable() {
        OpenIgcUser operator = operator();
        for (String sort : List.of("active", "expiring30", "expiring90", "expiredWithoutSuccessor", "revokedLast90Days")) {
            for (String direction : List.of("", "-")) {
                DashboardFilter national = new DashboardFilter(null, null, null, null, null, null, direction + sort);
                List<DashboardRow> full = dashboards.rows(operator, national);
                assertThat(full.size()).isGreaterThan(STRUCTURES);
                List<DashboardRow> paged = new ArrayList<>();
                for (int offset = 0; offset < full.size() + 19; offset += 19) {
                    paged.addAll(dashboards.rows(operator, national, 19, offset));
                }
                assertThat(ids(paged)).as("national sort %s%s", direction, sort).containsExactlyElementsOf(ids(full));
            }
        }
    }

    @Test
    void thePageShowsOneHundredRowsWithLinksToTheNextAndPreviousPages() throws Exception {
        HttpClient operator = personaClient("operator");
        List<DashboardRow> full = dashboards.rows(operator(), new DashboardFilter("94", null, null, null, null, null, "-active"));
        String first = body(operator, "/app/dashboards?region=94&sort=-active");
        assertThat(rowCount(first)).isEqualTo(DashboardPageController.PAGE_SIZE);
        assertThat(first).contains("id=\"page-next\"").doesNotContain("id=\"page-previous\"")
                .contains("Lignes 1 à 100");
        assertThat(first).contains(">" + full.getFirst().idNatStruct() + "<");
        String second = body(operator, "/app/dashboards?region=94&sort=-active&page=2");
        assertThat(rowCount(second)).isEqualTo(STRUCTURES - DashboardPageController.PAGE_SIZE);
        assertThat(second).contains("id=\"page-previous\"").doesNotContain("id=\"page-next\"")
                .contains("Lignes 101 à 130");
        // the first row of page 2 is the 101st of the sorted table; the links keep the filters and the sort
        int firstRow = second.indexOf("<tbody>");
        assertThat(second.substring(firstRow)).contains(">" + full.get(DashboardPageController.PAGE_SIZE).idNatStruct() + "<");
        assertThat(second).contains("region=94&amp;sort=-active&amp;page=1");
        // English bundle
        HttpResponse<String> english = operator.send(HttpRequest.newBuilder(URI.create(https(
                "/app/dashboards?region=94&sort=-active&page=2"))).header("Accept-Language", "en").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(english.body()).contains("Rows 101 to 130").contains("Previous page");
        // the page number cannot widen a referent's scope: Corse is not Île-de-France
        HttpResponse<String> referent = personaClient("referent-idf").send(HttpRequest.newBuilder(URI.create(https(
                "/app/dashboards?region=94&page=2"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(referent.statusCode()).isEqualTo(200);
        assertThat(referent.body()).doesNotContain("CORSE PAGE").doesNotContain("1C000");
        HttpResponse<String> referentJson = personaClient("referent-idf").send(HttpRequest.newBuilder(URI.create(https(
                "/api/v1/dashboards/structures?region=94&limit=100000"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(referentJson.body()).size()).isZero();
        // a bad page number: 400 naming the field, not a 500
        for (String bad : new String[] {"0", "abc", "-1", "99999999999"}) {
            HttpResponse<String> response = operator.send(HttpRequest.newBuilder(URI.create(https(
                    "/app/dashboards?region=94&page=" + bad))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.body()).as(bad).contains("page");
        }
    }

    @Test
    void theJsonIsStreamedAsOneArrayEqualToTheRows() throws Exception {
        HttpClient operator = personaClient("operator");
        HttpResponse<String> response = operator.send(HttpRequest.newBuilder(URI.create(https(
                "/api/v1/dashboards/structures?region=94&sort=name&limit=100000"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode rows = JSON.readTree(response.body());
        List<DashboardRow> full = dashboards.rows(operator(), new DashboardFilter("94", null, null, null, null, null, "name"));
        assertThat(rows.size()).isEqualTo(full.size());
        for (int i = 0; i < full.size(); i++) {
            DashboardRow row = full.get(i);
            JsonNode json = rows.get(i);
            assertThat(json.get("idNatStruct").asString()).isEqualTo(row.idNatStruct());
            assertThat(json.get("activeTotal").asLong()).isEqualTo(row.activeTotal());
            assertThat(json.get("active").get("PRODUCTION.SIGN").asLong()).isEqualTo(row.active().get("PRODUCTION.SIGN"));
            assertThat(json.get("expiringWithin90Days").asLong()).isEqualTo(row.expiringWithin90Days());
            assertThat(json.get("level").asString()).isEqualTo("structure");
        }
        // the OpenAPI document still describes the streamed body as an array of rows, with the paging parameters
        JsonNode api = JSON.readTree(operator.send(HttpRequest.newBuilder(URI.create(https("/v3/api-docs"))).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        JsonNode get = api.get("paths").get("/api/v1/dashboards/structures").get("get");
        assertThat(get.get("responses").get("200").get("content").get("application/json").get("schema").toString())
                .contains("array").contains("DashboardRow");
        assertThat(get.get("parameters").toString()).contains("\"limit\"").contains("\"offset\"");
        // an empty result is an empty array
        HttpResponse<String> none = operator.send(HttpRequest.newBuilder(URI.create(https(
                "/api/v1/dashboards/structures?region=94&q=nothing-matches-this"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(none.body()).isArray()).isTrue();
        assertThat(JSON.readTree(none.body()).size()).isZero();
    }

    private String body(HttpClient client, String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(https(path))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static int rowCount(String html) {
        String body = html.substring(html.indexOf("<tbody>"), html.indexOf("</tbody>"));
        Matcher m = Pattern.compile("<tr>").matcher(body);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
