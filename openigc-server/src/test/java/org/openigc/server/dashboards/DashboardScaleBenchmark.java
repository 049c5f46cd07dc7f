package org.openigc.server.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.openigc.server.security.OpenIgcUser;
import org.openigc.server.security.Role;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The volume: 50,000 structures and 1,000,000 certificates, generated in SQL. Opt-in (minutes of data
 * generation): its name keeps it out of the test run; run it with -Dtest=DashboardScaleBenchmark. Prints the timings recorded in docs/benchmarks.md.
 */
class DashboardScaleBenchmark extends ServerTestSupport {
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DashboardService dashboards;

    private static long millis(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void fiftyThousandStructuresAndOneMillionCertificates() throws Exception {

        long generation = millis(() -> {
            jdbc.sql("""
                    insert into structure (id, kind, id_nat_struct, finess, name, departement, region, sector)
                    select gen_random_uuid(), 'EJ', '1B' || lpad(i::text, 8, '0'), 'B' || lpad(i::text, 8, '0'),
                           'BENCH STRUCTURE ' || i, (array['75','92','33','69','13','29','59','67','31','44'])[1 + i % 10],
                           (array['11','11','75','84','93','53','32','44','76','52'])[1 + i % 10],
                           (array['HOSPITAL','MEDICO_SOCIAL','OFFICINE','BIOLOGIE'])[1 + i % 4]
                    from generate_series(1, 50000) i""").update();
            jdbc.sql("""
                    with s as (select id, row_number() over (order by id) - 1 as n from structure
                               where id_nat_struct like '1B%'),
                         ca as (select name from ca_certificate order by name limit 1)
                    insert into certificate (id, serial_number, ca_name, profile, environment, status, subject,
                        not_before, not_after, public_key_sha256, structure_id, offer, usage, service_applicatif, revoked_at)
                    select gen_random_uuid(), 'bench' || i, ca.name, 'bench',
                           case when i % 5 = 0 then 'TEST' else 'PRODUCTION' end,
                           case when i % 20 = 0 then 'REVOKED' else 'ACTIVE' end, 'CN=bench',
                           now() - interval '3 years', now() + ((i % 1800) - 600) * interval '1 day', 'bk' || i, s.id,
                           'ORG', (array['AUTH_CLI','SIGN','CONF','AUTH'])[1 + i % 4], 'SVC ' || (i % 7),
                           case when i % 20 = 0 then now() - (i % 200) * interval '1 day' end
                    from generate_series(0, 999999) i join s on s.n = i % 50000 cross join ca""").update();
            jdbc.sql("analyze").update();
        });
        OpenIgcUser operator = new OpenIgcUser(UUID.randomUUID(), "Op", "0", "0", java.util.Set.of(Role.OPERATOR), null, true);
        dashboards.rows(operator, DashboardFilter.none()); // warm-up
        int[] count = new int[1];
        long national = millis(() -> count[0] = dashboards.rows(operator, DashboardFilter.none()).size());
        long region = millis(() -> dashboards.rows(operator, new DashboardFilter("75", null, null, null, null, null, null)));
        long departement = millis(() -> dashboards.rows(operator, new DashboardFilter(null, "29", null, "SIGN", "PRODUCTION", null, "-active")));
        long months = millis(() -> dashboards.expiringPerMonth(operator, DashboardFilter.none()));
        long[] bytes = new long[1];
        long xlsx = millis(() -> {
            try (InputStream in = personaClient("operator").send(HttpRequest.newBuilder(
                    URI.create(https("/api/v1/dashboards/structures.xlsx"))).build(),
                    HttpResponse.BodyHandlers.ofInputStream()).body()) {
                bytes[0] = in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        System.out.printf("DASHBOARD BENCHMARK generation=%d ms rows=%d national=%d ms region=%d ms "
                        + "departement+usage=%d ms expiringPerMonth=%d ms xlsx=%d ms (%d bytes)%n",
                generation, count[0], national, region, departement, months, xlsx, bytes[0]);
        assertThat(count[0]).isGreaterThanOrEqualTo(50_000);
        assertThat(xlsx).isLessThan(20_000);
    }
}
