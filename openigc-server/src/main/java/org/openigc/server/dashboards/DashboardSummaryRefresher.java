package org.openigc.server.dashboards;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code dashboard_summary} fresh in the background: structures made dirty by a certificate change (recorded
 * in the writer's transaction by the V61 triggers) or stale by the passing of time (an end of validity, a
 * 30/60/90-day threshold, a revocation leaving the 90-day window) are recomputed in batches. Safe on several
 * instances at once (one runs, the others skip: advisory lock). The dashboards never depend on it for correctness —
 * a stale row is recomputed on the fly by the request that reads it — only for speed.
 */
@Component
class DashboardSummaryRefresher {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardSummaryRefresher.class);
    static final int BATCH = 1000;

    private final DashboardRepository repository;

    DashboardSummaryRefresher(DashboardRepository repository) {
        this.repository = repository;
    }

    @Scheduled(initialDelayString = "${openigc.dashboards.refresh-interval:30s}",
            fixedDelayString = "${openigc.dashboards.refresh-interval:30s}")
    void scheduled() {
        try {
            int n = refreshAll(false);
            if (n > 0) {
                LOG.debug("dashboard summary: {} structure(s) recomputed", n);
            }
        } catch (RuntimeException e) {
            LOG.warn("dashboard summary refresh failed: {}", e.toString());
        }
    }

    /** Recomputes every stale row, batch after batch, waiting for another instance's run to end; returns how many. */
    int refreshAll() {
        return refreshAll(true);
    }

    /**
     * Recomputes stale rows batch after batch. With {@code wait}: waits for another instance's run and drains until
     * nothing is stale. Without: gives up if another instance is at it, and stops after the first batch that was not
     * full.
     */
    int refreshAll(boolean wait) {
        if (repository.slotsInDatabase() != DashboardRepository.SLOTS.size()) {
            throw new IllegalStateException("dashboard_summary_slots() differs from DashboardRepository.SLOTS: "
                    + "a migration must rebuild dashboard_summary");
        }
        int total = 0;
        int n;
        do {
            n = repository.refreshStale(BATCH, wait);
            total += n;
            // the scheduled run stops once a batch was not full: the backlog as of that batch is done, and what
            // writers dirtied since waits for the next run. Looping until nothing is dirty never ended under a
            // steady stream of orders: the busy structure was recomputed back to back (≈ 2 ms of database time per
            // order in the issuance benchmark, growing with the structure's certificates).
        } while (wait ? n > 0 : n >= BATCH);
        return total;
    }
}
