package org.openigc.server.dashboards;

import java.util.List;

import jakarta.servlet.http.HttpServletResponse;

import io.swagger.v3.oas.annotations.Parameter;

import org.openigc.server.security.CurrentUser;
import org.openigc.server.security.OpenIgcUser;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/dashboards/structures[.xlsx|.csv]}: one row per structure in the caller's scope, or with
 * {@code level=ej|departement|region|national} one row per roll-up of those structures.
 */
@RestController
class DashboardApiController {
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private final DashboardService service;
    private final CurrentUser currentUser;

    DashboardApiController(DashboardService service, CurrentUser currentUser) {
        this.service = service;
        this.currentUser = currentUser;
    }

    static DashboardFilter filter(String region, String departement, String sector, String usage, String environment,
                                  String q, String sort, String level) {
        return new DashboardFilter(region, departement, sector, usage, environment, q, sort, level);
    }

    @GetMapping(path = "/api/v1/dashboards/structures", produces = MediaType.APPLICATION_JSON_VALUE)
    List<DashboardRow> structures(@RequestParam(required = false) String region,
                                  @RequestParam(required = false) String departement,
                                  @RequestParam(required = false) String sector,
                                  @RequestParam(required = false) String usage,
                                  @RequestParam(required = false) String environment,
                                  @RequestParam(required = false) String q,
                                  @RequestParam(required = false) String sort,
                                  @Parameter(description = "Roll-up level: structure (default, one row per EJ and EG), "
                                          + "ej (an EJ with its EG in scope), departement, region or national")
                                  @RequestParam(required = false) String level) {
        return service.rows(currentUser.require(), filter(region, departement, sector, usage, environment, q, sort, level));
    }

    @GetMapping("/api/v1/dashboards/structures.xlsx")
    void xlsx(@RequestParam(required = false) String region, @RequestParam(required = false) String departement,
              @RequestParam(required = false) String sector, @RequestParam(required = false) String usage,
              @RequestParam(required = false) String environment, @RequestParam(required = false) String q,
              @RequestParam(required = false) String sort, @RequestParam(required = false) String level,
              HttpServletResponse response) throws Exception {
        OpenIgcUser user = currentUser.require();
        DashboardFilter filter = filter(region, departement, sector, usage, environment, q, sort, level);
        service.scope(user, filter); // refuse before the first byte
        response.setContentType(XLSX);
        response.setHeader("Content-Disposition", "attachment; filename=\"openigc-deploiement.xlsx\"");
        DashboardExports.xlsx(response.getOutputStream(), sink -> service.rows(user, filter, sink));
    }

    @GetMapping("/api/v1/dashboards/structures.csv")
    void csv(@RequestParam(required = false) String region, @RequestParam(required = false) String departement,
             @RequestParam(required = false) String sector, @RequestParam(required = false) String usage,
             @RequestParam(required = false) String environment, @RequestParam(required = false) String q,
             @RequestParam(required = false) String sort, @RequestParam(required = false) String level,
             HttpServletResponse response) throws Exception {
        OpenIgcUser user = currentUser.require();
        DashboardFilter filter = filter(region, departement, sector, usage, environment, q, sort, level);
        service.scope(user, filter);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"openigc-deploiement.csv\"");
        DashboardExports.csv(response.getOutputStream(), sink -> service.rows(user, filter, sink));
    }
}
