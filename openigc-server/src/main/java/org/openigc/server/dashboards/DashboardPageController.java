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
                @RequestParam(required = false) String sort, Model model) {
        OpenIgcUser user = currentUser.require();
        DashboardFilter filter = new DashboardFilter(region, departement, sector, usage, environment, q, sort);
        List<DashboardRow> rows = service.rows(user, filter);
        model.addAttribute("filter", filter);
        model.addAttribute("total", rows.size());
        model.addAttribute("rows", rows.size() > MAX_ROWS_SHOWN ? rows.subList(0, MAX_ROWS_SHOWN) : rows);
        model.addAttribute("truncated", rows.size() > MAX_ROWS_SHOWN);
        model.addAttribute("totals", totals(rows));
        model.addAttribute("referentRegion", user.isOperator() ? null : user.region());
        model.addAttribute("regions", Arrays.asList(Region.values()));
        model.addAttribute("sectors", Arrays.asList(Sector.values()));
        model.addAttribute("usages", Arrays.asList(Usage.values()));
        YearMonth thisMonth = YearMonth.now(clock.withZone(ZoneId.of("Europe/Paris")));
        model.addAttribute("expiryChart", DashboardCharts.expiringPerMonth(service.expiringPerMonth(user, filter), thisMonth));
        model.addAttribute("coverageChart", DashboardCharts.coverageByRegion(DashboardService.coverageByRegion(rows)));
        String query = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("sort").build().getQuery();
        model.addAttribute("query", query == null ? "" : query);
        model.addAttribute("exportQuery", ServletUriComponentsBuilder.fromCurrentRequest().build().getQuery());
        return "dashboards/structures";
    }

    /** Sums of the indicators over every filtered row (the national, régional or département roll-up). */
    private static long[] totals(List<DashboardRow> rows) {
        long[] t = new long[7];
        for (DashboardRow r : rows) {
            t[0] += r.activeTotal();
            t[1] += r.expiringWithin30Days();
            t[2] += r.expiringWithin60Days();
            t[3] += r.expiringWithin90Days();
            t[4] += r.expiredWithoutSuccessor();
            t[5] += r.revokedLast90Days();
            t[6] += r.dmpReady() ? 1 : 0;
        }
        return t;
    }
}
