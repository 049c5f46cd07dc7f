package org.openigc.server.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Tracking (suivi) at the volume: 1,000,000 certificates (generated in SQL into the real schema), 5,000 of
 * them on the demo CHU, measured through the real HTTPS API: first page, filters by structure, status and usage, sort
 * by end date, search by service applicatif, a deep page, and the CSV exports. Every list and count query is
 * EXPLAINed and must not scan the certificate table sequentially. Opt-in (minutes of data generation): its name keeps
 * it out of the test run; run it with {@code -Dtest=TrackingScaleBenchmark}. Prints the figures of docs/benchmarks.md.
 */
class TrackingScaleBenchmark extends ServerTestSupport {
    private static final int RUNS = 5;
    private static final String CHU = "1750712184";

    @Autowired
    JdbcClient jdbc;
    @Autowired
    CertificateRepository repository;

    private static long millis(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Median of {@link #RUNS} timed calls after one warm-up call. */
    private static long median(Runnable action) {
        action.run();
        long[] times = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            times[i] = millis(action);
        }
        Arrays.sort(times);
        return times[RUNS / 2];
    }

    private static Runnable fetch(HttpClient client, String path) {
        return () -> {
            HttpResponse<String> response = getString(client, https(path));
            assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        };
    }

    private static long download(HttpClient client, String path) {
        try (InputStream in = client.send(HttpRequest.newBuilder(URI.create(https(path))).build(),
                HttpResponse.BodyHandlers.ofInputStream()).body()) {
            return in.transferTo(OutputStream.nullOutputStream());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void oneMillionCertificates() {
        UUID chu = jdbc.sql("select id from structure where id_nat_struct = :id").param("id", CHU).query(UUID.class).single();
        long generation = millis(() -> {
            jdbc.sql("""
                    insert into structure (id, kind, id_nat_struct, finess, name, departement, region, sector)
                    select gen_random_uuid(), 'EJ', '1T' || lpad(i::text, 8, '0'), 'T' || lpad(i::text, 8, '0'),
                           'TRACKING BENCH ' || i, (array['75','92','33','69','13','29','59','67','31','44'])[1 + i % 10],
                           (array['11','11','75','84','93','53','32','44','76','52'])[1 + i % 10], 'HOSPITAL'
                    from generate_series(1, 2000) i""").update();
            // a realistic spread: end dates from 600 days ago to 1,200 days ahead, 5 % revoked, 20 % TEST,
            // four usages, one service applicatif name per certificate; rows 0..4,999 belong to the demo CHU
            jdbc.sql("""
                    with s as (select id, row_number() over (order by id) - 1 as n from structure
                               where id_nat_struct like '1T%'),
                         ca as (select name from ca_certificate order by name limit 1)
                    insert into certificate (id, serial_number, ca_name, profile, environment, status, subject,
                        not_before, not_after, public_key_sha256, structure_id, offer, usage, service_applicatif,
                        actor_email, revoked_at, revocation_reason)
                    select gen_random_uuid(), 'ab' || to_hex(i), ca.name, 'ORG_SIGN',
                           case when i % 5 = 0 then 'TEST' else 'PRODUCTION' end,
                           case when i % 20 = 0 then 'REVOKED' else 'ACTIVE' end,
                           'CN=Portail ' || i || ',OU=' || case when i < 5000 then :chu else '1T' || lpad((i % 2000 + 1)::text, 8, '0') end || ',C=FR',
                           now() - interval '3 years' + (i % 900) * interval '1 day',
                           now() + ((i::bigint * 7919) % 1800 - 600) * interval '1 day', 'tk' || i,
                           case when i < 5000 then :chuId else s.id end,
                           'ORG', (array['AUTH_CLI','SIGN','CONF','AUTH'])[1 + i % 4], 'Portail ' || i,
                           'pki-' || (i % 2000) || '@bench.example',
                           case when i % 20 = 0 then now() - (i % 200) * interval '1 day' end,
                           case when i % 20 = 0 then 'superseded' end
                    from generate_series(0, 999999) i join s on s.n = i % 2000 cross join ca""")
                    .param("chu", CHU).param("chuId", chu).update();
            // steady state of a live database: autovacuum has merged the GIN pending lists and set the visibility map
            jdbc.sql("vacuum analyze certificate").update();
            jdbc.sql("analyze structure").update();
        });
        long rows = jdbc.sql("select count(*) from certificate").query(Long.class).single();
        assertThat(rows).isGreaterThanOrEqualTo(1_000_000);

        HttpClient operator = personaClient("operator");
        HttpClient admin = personaClient("admin-chu");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("operator, first page (50, by end date)", "/api/v1/certificates");
        cases.put("operator, structure filter", "/api/v1/certificates?structure=1T00000777");
        cases.put("operator, status=ACTIVE", "/api/v1/certificates?status=ACTIVE");
        cases.put("operator, usage=SIGN", "/api/v1/certificates?usage=SIGN");
        cases.put("operator, status+usage+environment, latest end first",
                "/api/v1/certificates?status=ACTIVE&usage=CONF&environment=PRODUCTION&sort=-notAfter");
        cases.put("operator, expiring within 30 days", "/api/v1/certificates?expiringWithinDays=30");
        cases.put("operator, search service applicatif", "/api/v1/certificates?q=Portail%20777777");
        cases.put("operator, sort by service applicatif", "/api/v1/certificates?sort=serviceApplicatif");
        cases.put("operator, most recent first", "/api/v1/certificates?sort=-notBefore");
        cases.put("operator, deep page (page 2000 of 50 = offset 100,000)", "/api/v1/certificates?page=2000");
        cases.put("operator, deep page (page 10000 of 50 = offset 500,000)", "/api/v1/certificates?page=10000");
        // keyset (cursor) pages at the same depth as the deep offset page, one per sort, and backward
        cases.put("operator, cursor at depth 500,000 (by end date)", "/api/v1/certificates?cursor="
                + cursorAt(CertificateRepository.Sort.NOT_AFTER, 500_000, false));
        cases.put("operator, previous-page cursor at depth 500,000", "/api/v1/certificates?cursor="
                + cursorAt(CertificateRepository.Sort.NOT_AFTER, 500_000, true));
        cases.put("operator, cursor at depth 500,000, latest end first", "/api/v1/certificates?sort=-notAfter&cursor="
                + cursorAt(CertificateRepository.Sort.NOT_AFTER_DESC, 500_000, false));
        cases.put("operator, cursor at depth 500,000, by service applicatif",
                "/api/v1/certificates?sort=serviceApplicatif&cursor="
                        + cursorAt(CertificateRepository.Sort.SERVICE_APPLICATIF, 500_000, false));
        cases.put("operator, cursor at depth 500,000, most recent first", "/api/v1/certificates?sort=-notBefore&cursor="
                + cursorAt(CertificateRepository.Sort.NOT_BEFORE_DESC, 500_000, false));
        cases.put("operator, cursor at depth 999,950 (last page)", "/api/v1/certificates?cursor="
                + cursorAt(CertificateRepository.Sort.NOT_AFTER, 999_950, false));
        cases.put("operator, search unselective \"Portail\"", "/api/v1/certificates?q=Portail");
        cases.put("operator, search an exact serial", "/api/v1/certificates?q=ab" + Integer.toHexString(777_777));
        cases.put("admin-chu, own structures (5,000 rows)", "/api/v1/certificates");
        cases.put("admin-chu, usage=SIGN + status=ACTIVE", "/api/v1/certificates?usage=SIGN&status=ACTIVE");
        cases.put("admin-chu, search service applicatif", "/api/v1/certificates?q=Portail%204242");
        cases.put("admin-chu, last page", "/api/v1/certificates?page=99");
        cases.put("admin-chu, cursor at depth 4,950 (last page)", "/api/v1/certificates?cursor=" + cursorAt(
                CertificateRepository.Sort.NOT_AFTER, 4_950, false, List.of(chu)));
        StringBuilder report = new StringBuilder("TRACKING BENCHMARK rows=" + rows + " generation=" + generation + " ms\n");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpClient client = c.getKey().startsWith("admin") ? admin : operator;
            report.append(String.format("  %-58s %6d ms  %s%n", c.getKey(), median(fetch(client, c.getValue())), c.getValue()));
        }
        long[] bytes = new long[1];
        long chuCsv = median(() -> bytes[0] = download(admin, "/api/v1/certificates.csv"));
        report.append(String.format("  %-58s %6d ms  (%d bytes)%n", "admin-chu, CSV export (5,000 rows)", chuCsv, bytes[0]));
        long structureCsv = median(() -> bytes[0] = download(operator, "/api/v1/certificates.csv?status=ACTIVE&usage=SIGN&expiringWithinDays=90"));
        report.append(String.format("  %-58s %6d ms  (%d bytes)%n", "operator, CSV export ACTIVE SIGN expiring in 90 days",
                structureCsv, bytes[0]));
        long fullCsv = millis(() -> bytes[0] = download(operator, "/api/v1/certificates.csv"));
        report.append(String.format("  %-58s %6d ms  (%d bytes, one run)%n", "operator, CSV export of all 1,000,000 rows",
                fullCsv, bytes[0]));
        System.out.print(report);

        // the plans: no sequential scan of the certificate table for a page; a count is bounded (10,000 rows past
        // the page) whatever plan reads it
        Instant now = Instant.now();
        List<UUID> chuOnly = List.of(chu);
        List<CertificateRepository.Filter> filters = List.of(
                filter(null, null, null, null, null, 0),
                filter(null, "ACTIVE", null, null, null, 0),
                filter(null, null, "SIGN", null, null, 0),
                filter(null, "ACTIVE", "CONF", null, "-notAfter", 0),
                filter(null, null, null, "Portail 777777", null, 0),
                filter(null, null, null, null, "serviceApplicatif", 0),
                filter(null, null, null, null, "-notBefore", 0),
                filter(null, null, null, null, null, 10_000),
                filter(chuOnly, null, null, null, null, 0),
                filter(chuOnly, "ACTIVE", "SIGN", null, null, 0),
                filter(chuOnly, null, null, "Portail 4242", null, 0),
                filter(null, null, null, "Portail", null, 0),
                keyset(null, CertificateRepository.Sort.NOT_AFTER, 500_000, false),
                keyset(null, CertificateRepository.Sort.NOT_AFTER, 500_000, true),
                keyset(null, CertificateRepository.Sort.NOT_AFTER_DESC, 500_000, false),
                keyset(null, CertificateRepository.Sort.SERVICE_APPLICATIF, 500_000, false),
                keyset(null, CertificateRepository.Sort.NOT_BEFORE_DESC, 500_000, false),
                keyset(chuOnly, CertificateRepository.Sort.NOT_AFTER, 4_950, false));
        List<String> seqScans = new ArrayList<>();
        for (CertificateRepository.Filter f : filters) {
            for (boolean count : new boolean[] {false, true}) {
                List<String> plan = repository.explain(f, now, count);
                System.out.println("EXPLAIN " + (count ? "count " : "page ") + f);
                plan.forEach(line -> System.out.println("    " + line));
                boolean seqScan = plan.stream().anyMatch(line -> line.contains("Seq Scan on certificate"));
                boolean bounded = plan.stream().anyMatch(line -> line.strip().startsWith("->  Limit")
                        || line.strip().startsWith("Limit"));
                if (count ? seqScan && !bounded : seqScan) {
                    seqScans.add((count ? "count " : "page ") + f);
                }
            }
        }
        assertThat(seqScans).as("queries scanning the whole certificate table").isEmpty();

        // where the substring search spends its time: each branch of the OR alone
        for (String branch : List.of("c.service_applicatif ilike '%Portail 777777%'", "c.subject ilike '%Portail 777777%'",
                "c.serial_number = 'portail 777777'")) {
            System.out.println("EXPLAIN search branch " + branch);
            jdbc.sql("explain (analyze, buffers) select c.id from certificate c where " + branch)
                    .query(String.class).list().forEach(line -> System.out.println("    " + line));
        }
    }

    /** The row at {@code depth} (0-based) of the unfiltered list of {@code structures}, found by offset (not timed). */
    private CertificateRepository.Stored rowAt(CertificateRepository.Sort sort, int depth, List<UUID> structures) {
        String order = switch (sort) {
            case NOT_AFTER -> "not_after, id";
            case NOT_AFTER_DESC -> "not_after desc, id desc";
            case SERVICE_APPLICATIF -> "service_applicatif, id";
            case NOT_BEFORE_DESC -> "not_before desc, id desc";
        };
        Map<String, Object> row = jdbc.sql("select id, not_after, not_before, service_applicatif from certificate"
                        + " where status in ('ACTIVE', 'REVOKED') and structure_id is not null"
                        + (structures == null ? "" : " and structure_id = any(:structures)")
                        + " order by " + order + " offset :depth limit 1")
                .params(structures == null ? Map.of("depth", depth)
                        : Map.of("depth", depth, "structures", structures.toArray(UUID[]::new)))
                .query().singleRow();
        return new CertificateRepository.Stored((UUID) row.get("id"), null, null, null, null, null, null, null,
                (String) row.get("service_applicatif"), List.of(), null, instant(row.get("not_before")),
                instant(row.get("not_after")), null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static Instant instant(Object value) {
        return value instanceof java.sql.Timestamp t ? t.toInstant()
                : value instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) value;
    }

    private String cursorAt(CertificateRepository.Sort sort, int depth, boolean backward) {
        return cursorAt(sort, depth, backward, null);
    }

    /** The cursor a walk of the unfiltered list would hold at {@code depth} (the API checks its filters). */
    private String cursorAt(CertificateRepository.Sort sort, int depth, boolean backward, List<UUID> structures) {
        CertificateRepository.Stored row = rowAt(sort, depth, structures);
        return new TrackingCursor(backward, sort, depth / 50, TrackingCursor.fingerprint(null, null, null, null, null, null),
                row.id(), sort.key(row)).encode();
    }

    private CertificateRepository.Filter keyset(List<UUID> structures, CertificateRepository.Sort sort, int depth,
                                                boolean backward) {
        CertificateRepository.Stored row = rowAt(sort, depth, structures);
        return new CertificateRepository.Filter(structures, null, null, null, null, sort.parameter(), 0, 50, null,
                new CertificateRepository.Keyset(sort.key(row), row.id(), backward));
    }

    private static CertificateRepository.Filter filter(List<UUID> structures, String status, String usage, String q,
                                                       String sort, int page) {
        return new CertificateRepository.Filter(structures, status, null, null, q, sort, page, 50, usage);
    }
}
