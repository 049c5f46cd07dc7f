package org.openigc.server.dashboards;

import java.util.Set;
import java.util.UUID;

import org.openigc.server.ServerTestSupport;
import org.openigc.server.security.OpenIgcUser;
import org.openigc.server.security.Role;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What the dashboard tests share: the service, its refresher, SQL access and an operator to call the service as. */
abstract class DashboardTestSupport extends ServerTestSupport {
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DashboardService dashboards;
    @Autowired
    DashboardSummaryRefresher refresher;

    static OpenIgcUser operator() {
        return new OpenIgcUser(UUID.randomUUID(), "Op", "0", "0", Set.of(Role.OPERATOR), null, true);
    }
}
