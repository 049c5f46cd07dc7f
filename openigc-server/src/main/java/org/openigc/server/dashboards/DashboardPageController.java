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
import org.openigc.server.web.FieldError;
import org.openigc.server.web.ValidationException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.HtmlUtils;

/** {@code /app/dashboards}: filters, sortable table (server-side sort links), SVG charts, export links. */
@Controller
class DashboardPageController {
    /** Rows per page of the table: the national table (50,000 structures) is read and rendered one page at a time. */
    static final int PAGE_SIZE = 100;
    /** Pages beyond this are refused (400 naming {@code page}): 50,000 structures are 500 pages. */
    static final int MAX_PAGE = 1_000_000;

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
                @RequestParam(required = false) String page, Model model) {
        OpenIgcUser user = currentUser.require();
        DashboardFilter filter = new DashboardFilter(region, departement, sector, usage, environment, q, sort, level);
        int pageNumber = pageNumber(page);
        service.scope(user, filter); // validation errors and refusals before any query
        long offset = (long) (pageNumber - 1) * PAGE_SIZE;
        // the four reads are independent: run on their own connections at once, the page waits for the slowest
        List<DashboardRow> rows;
        List<DashboardRow> byRegion;
        java.util.Map<String, java.util.Map<String, Long>> expiring;
        DashboardRepository.ProcessingTimes times;
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var rowsTask = executor.submit(() -> service.rows(user, filter, PAGE_SIZE + 1, offset));
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
        boolean hasNext = rows.size() > PAGE_SIZE;
        List<DashboardRow> shown = hasNext ? rows.subList(0, PAGE_SIZE) : rows;
        model.addAttribute("rows", shown);
        model.addAttribute("details", shown.stream().map(DashboardPageController::detail).toList());
        model.addAttribute("page", pageNumber);
        model.addAttribute("firstRow", shown.isEmpty() ? 0 : offset + 1);
        model.addAttribute("lastRow", offset + shown.size());
        model.addAttribute("previousPage", pageNumber > 1 ? pageNumber - 1 : null);
        model.addAttribute("nextPage", hasNext ? pageNumber + 1 : null);
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
        // sorting starts again at page 1; the page links keep the sort; the exports have every row (no page)
        String query = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("sort")
                .replaceQueryParam("page").build().getQuery();
        model.addAttribute("query", query == null ? "" : query);
        String pageQuery = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("page").build().getQuery();
        model.addAttribute("pageQuery", pageQuery == null ? "" : pageQuery);
        model.addAttribute("exportQuery", pageQuery);
        return "dashboards/structures";
    }

    private static int pageNumber(String page) {
        if (page == null || page.isBlank()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(page.strip());
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ValidationException(FieldError.of("page", "dashboards.page.invalid", "An integer from 1 to " + MAX_PAGE, page));
    }

    /**
     * The "by environment and usage" cell, built once per row in Java ("PRODUCTION.AUTH_CLI : 3" lines, HTML-escaped,
     * joined by line breaks) rather than by a nested loop and condition per entry in the template.
     */
    static String detail(DashboardRow row) {
        StringBuilder cell = new StringBuilder();
        for (var entry : row.active().entrySet()) {
            if (entry.getValue() != null && entry.getValue() > 0) {
                if (!cell.isEmpty()) {
                    cell.append("<br>");
                }
                cell.append(HtmlUtils.htmlEscape(entry.getKey())).append(" : ").append(entry.getValue());
            }
        }
        return cell.toString();
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
