package org.openigc.server.dashboards;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

import org.openigc.ca.Usage;
import org.openigc.identifiers.Region;
import org.openigc.server.registry.Sector;
import org.openigc.server.security.CurrentUser;
import org.openigc.server.security.OpenIgcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** {@code /app/dashboards}: filters, sortable table (server-side sort links), SVG charts, export links. */
@Controller
class DashboardPageController {
    static final int MAX_ROWS_SHOWN = 500;

    private final DashboardService service;
    private final CurrentUser currentUser;
    private final Clock clock;

    DashboardPageController(DashboardService service, CurrentUser currentUser, Clock clock) {
        this.service = service;
        this.currentUser = currentUser;
        this.clock = clock;
    }

    @GetMapping("/app/dashboards")
    String page(@RequestParam(required = false) String region, @RequestParam(required = false) String departement,
                @RequestParam(required = false) String sector, @RequestParam(required = false) String usage,
                @RequestParam(required = false) String environment, @RequestParam(required = false) String q,
                @RequestParam(required = false) String sort, @RequestParam(required = false) String level,
                Model model) {
        OpenIgcUser user = currentUser.require();
        DashboardFilter filter = new DashboardFilter(region, departement, sector, usage, environment, q, sort, level);
        service.scope(user, filter); // validation errors and refusals before any query
        // the four reads are independent: run on their own connections at once, the page waits for the slowest
        List<DashboardRow> rows;
        List<DashboardRow> byRegion;
        java.util.Map<String, java.util.Map<String, Long>> expiring;
        DashboardRepository.ProcessingTimes times;
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var rowsTask = executor.submit(() -> service.rows(user, filter, MAX_ROWS_SHOWN + 1));
            // the région roll-up feeds the totals row (national roll-up of the filtered scope) and the coverage chart
            var regionTask = executor.submit(() -> service.regionTotals(user, filter));
            var expiringTask = executor.submit(() -> service.expiringPerMonth(user, filter));
            var timesTask = executor.submit(() -> service.processingTimes(user, filter));
            rows = result(rowsTask);
            byRegion = result(regionTask);
            expiring = result(expiringTask);
            times = result(timesTask);
        }
        long[] totals = totals(byRegion);
        model.addAttribute("filter", filter);
        model.addAttribute("levels", DashboardFilter.LEVELS);
        model.addAttribute("total", totals[9]);
        model.addAttribute("rows", rows.size() > MAX_ROWS_SHOWN ? rows.subList(0, MAX_ROWS_SHOWN) : rows);
        model.addAttribute("truncated", rows.size() > MAX_ROWS_SHOWN);
        model.addAttribute("totals", totals);
        model.addAttribute("referentRegion", user.isOperator() ? null : user.region());
        model.addAttribute("regions", Arrays.asList(Region.values()));
        model.addAttribute("sectors", Arrays.asList(Sector.values()));
        model.addAttribute("usages", Arrays.asList(Usage.values()));
        YearMonth thisMonth = YearMonth.now(clock.withZone(ZoneId.of("Europe/Paris")));
        model.addAttribute("expiryChart", DashboardCharts.expiringPerMonth(expiring, thisMonth));
        model.addAttribute("coverageChart", DashboardCharts.coverageByRegion(DashboardService.coverageByRegion(byRegion)));
        model.addAttribute("processingChart", DashboardCharts.processingTimes(times.decided(), times.pending()));
        model.addAttribute("processingMedian", times.medianDays() == null ? null
                : String.format(java.util.Locale.FRANCE, "%.1f", times.medianDays()));
        String query = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("sort").build().getQuery();
        model.addAttribute("query", query == null ? "" : query);
        model.addAttribute("exportQuery", ServletUriComponentsBuilder.fromCurrentRequest().build().getQuery());
        return "dashboards/structures";
    }

    private static <T> T result(java.util.concurrent.Future<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Sums of the région roll-ups: the indicators of every structure of the filtered scope (national, régional or
     * département total): active, ≤30, ≤60, ≤90, expired without successor, revoked 90 d, undeliverable, structures
     * with a DMP pair, pending 413, structures.
     */
    private static long[] totals(List<DashboardRow> regions) {
        long[] t = new long[10];
        for (DashboardRow r : regions) {
            t[0] += r.activeTotal();
            t[1] += r.expiringWithin30Days();
            t[2] += r.expiringWithin60Days();
            t[3] += r.expiringWithin90Days();
            t[4] += r.expiredWithoutSuccessor();
            t[5] += r.revokedLast90Days();
            t[6] += r.undeliverableAddresses();
            t[7] += r.dmpReadyStructures();
            t[8] += r.pending413Dossiers();
            t[9] += r.structures();
        }
        return t;
    }
}
