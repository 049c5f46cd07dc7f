package org.openigc.server.dashboards;

import java.util.Map;
import java.util.UUID;

/**
 * One structure of a dashboard with its indicators. {@code active} maps "ENVIRONMENT.USAGE" (e.g.
 * "PRODUCTION.AUTH_CLI") to the number of active, unexpired certificates; expiringWithinN counts active certificates
 * whose end of validity falls in the next N days (30 ⊂ 60 ⊂ 90); expiredWithoutSuccessor counts expired, unrevoked
 * certificates for which no active certificate of the same structure, usage, environment and service (or renewal)
 * exists; dmpReady: an active PRODUCTION ORG AUTH_CLI and ORG SIGN pair.
 */
public record DashboardRow(UUID structureId, String idNatStruct, String finess, String name, String kind,
                           String parentFiness, String departement, String region, String sector, long activeTotal,
                           Map<String, Long> active, long expiringWithin30Days, long expiringWithin60Days,
                           long expiringWithin90Days, long expiredWithoutSuccessor, long revokedLast90Days,
                           long undeliverableAddresses, boolean dmpReady) {
}
