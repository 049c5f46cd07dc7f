package org.openigc.server.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A page sorted on a certificate indicator reads its candidate structures by primary key: the candidates must be
 * exactly the structures of the filter (the lookup does not apply the filters again), with hand-computed indicators.
 * Fixture in Martinique (région 02, used by no other test): in département 972, A has 2 active certificates ending
 * within 30 days and 1 revoked (exact stored row), B 1 ending within 30 days plus 1 added after the refresh (dirty:
 * computed live, 2), C none (no stored row, 0); in département 973 (outside the filter), D has 5 ending within 30
 * days (exact stored row) and E 3 added after the refresh (dirty): they would head the page if they leaked in.
 */
class DashboardCandidateScopeIT extends DashboardTestSupport {
    private static boolean loaded;


    @BeforeEach
    void fixture() {
        if (loaded) {
            return;
        }
        structure("A", "972");
        structure("B", "972");
        structure("C", "972");
        structure("D", "973");
        structure("E", "973");
        certificates("A", 2, "ACTIVE", 10);
        certificates("A", 1, "REVOKED", 10);
        certificates("B", 1, "ACTIVE", 20);
        certificates("D", 5, "ACTIVE", 10);
        refresher.refreshAll();
        certificates("B", 1, "ACTIVE", 5); // dirty: not refreshed
        certificates("E", 3, "ACTIVE", 10); // dirty: not refreshed
        loaded = true;
    }

    private void structure(String letter, String departement) {
        jdbc.sql("""
                insert into structure (id, kind, id_nat_struct, finess, name, departement, region, sector)
                values (gen_random_uuid(), 'EJ', :idnat, :finess, :name, :departement, '02', 'HOSPITAL')""")
                .param("idnat", "1M0000000" + letter).param("finess", "M0000000" + letter)
                .param("name", "MARTINIQUE " + letter).param("departement", departement).update();
    }

    private void certificates(String letter, int n, String status, int days) {
        jdbc.sql("""
                with ca as (select name from ca_certificate order by name limit 1)
                insert into certificate (id, serial_number, ca_name, profile, environment, status, subject,
                    not_before, not_after, public_key_sha256, structure_id, offer, usage, service_applicatif, revoked_at)
                select gen_random_uuid(), 'martinique-' || gen_random_uuid(), ca.name, 'fixture', 'PRODUCTION',
                       :status, 'CN=martinique', now() - interval '1 year', now() + :days * interval '1 day',
                       'martinique-' || gen_random_uuid(), s.id, 'ORG', 'SIGN', 'SVC ' || k,
                       case when :status = 'REVOKED' then now() - interval '1 day' end
                from structure s cross join ca cross join generate_series(1, :n) k
                where s.id_nat_struct = :idnat""")
                .param("status", status).param("days", days).param("n", n).param("idnat", "1M0000000" + letter)
                .update();
    }

    private static List<String> rows(List<DashboardRow> rows) {
        return rows.stream().map(r -> r.name() + " " + r.activeTotal() + " " + r.expiringWithin30Days()).toList();
    }

    @Test
    void anIndicatorSortedPageHoldsOnlyTheFilteredStructuresWithTheirExactIndicators() {
        DashboardFilter dept972 = new DashboardFilter("02", "972", null, null, null, null, "-expiring30");
        assertThat(rows(dashboards.rows(operator(), dept972, 2, 0)))
                .containsExactly("MARTINIQUE A 2 2", "MARTINIQUE B 2 2");
        assertThat(rows(dashboards.rows(operator(), dept972, 2, 2))).containsExactly("MARTINIQUE C 0 0");
        assertThat(rows(dashboards.rows(operator(), new DashboardFilter("02", "972", null, null, null, null, "expiring30"), 1, 0)))
                .containsExactly("MARTINIQUE C 0 0");
        assertThat(rows(dashboards.rows(operator(), new DashboardFilter("02", "972", null, null, null, null, "-revokedLast90Days"), 1, 0)))
                .containsExactly("MARTINIQUE A 2 2");
        // the whole région: the other département's stored and dirty rows are candidates too
        DashboardFilter region = new DashboardFilter("02", null, null, null, null, null, "-expiring30");
        assertThat(rows(dashboards.rows(operator(), region, 3, 0)))
                .containsExactly("MARTINIQUE D 5 5", "MARTINIQUE E 3 3", "MARTINIQUE A 2 2");
        // a name search narrows the candidates the same way
        DashboardFilter search = new DashboardFilter("02", null, null, null, null, "martinique e", "-expiring30");
        assertThat(rows(dashboards.rows(operator(), search, 100, 0))).containsExactly("MARTINIQUE E 3 3");
    }
}
