package org.openigc.server.dashboards;

import java.util.Map;
import java.util.UUID;

/**
 * One row of a dashboard with its indicators: a structure ({@code level} "structure"), or the roll-up of the
 * structures in scope of an EJ, a département, a région or the whole country ({@code level} "ej", "departement",
 * "region", "national"; {@code structures} says how many structures the row sums; {@code structureId} is the EJ's
 * for "ej" and null above).
 * {@code active} maps "ENVIRONMENT.USAGE" (e.g. "PRODUCTION.AUTH_CLI") to the number of active, unexpired
 * certificates; expiringWithinN counts active certificates whose end of validity falls in the next N days
 * (30 ⊂ 60 ⊂ 90); expiredWithoutSuccessor counts expired, unrevoked certificates for which no active certificate of
 * the same structure, usage, environment and service (or renewal) exists; dmpReady: an active PRODUCTION ORG
 * AUTH_CLI and ORG SIGN pair (for a roll-up: every structure of the row has one; dmpReadyStructures counts them);
 * pending413Dossiers: form 413 dossiers waiting for an operator (SUBMITTED or ACKNOWLEDGED), oldestPending413Days the
 * age in whole days of the oldest of them since its last acknowledgement (null when none is pending).
 */
public record DashboardRow(String level, UUID structureId, String idNatStruct, String finess, String name, String kind,
                           String parentFiness, String departement, String region, String sector, long structures,
                           long activeTotal, Map<String, Long> active, long expiringWithin30Days,
                           long expiringWithin60Days, long expiringWithin90Days, long expiredWithoutSuccessor,
                           long revokedLast90Days, long undeliverableAddresses, boolean dmpReady,
                           long dmpReadyStructures, long pending413Dossiers, Long oldestPending413Days) {
}
