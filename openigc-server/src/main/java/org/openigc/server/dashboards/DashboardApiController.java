package org.openigc.server.dashboards;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;

import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.openigc.server.security.CurrentUser;
import org.openigc.server.security.OpenIgcUser;
import org.openigc.server.web.FieldError;
import org.openigc.server.web.ValidationException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/dashboards/structures[.xlsx|.csv]}: one row per structure in the caller's scope, or with
 * {@code level=ej|departement|region|national} one row per roll-up of those structures.
 */
@RestController
class DashboardApiController {
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private final DashboardService service;
    private final CurrentUser currentUser;
    private final JsonMapper json;

    DashboardApiController(DashboardService service, CurrentUser currentUser, JsonMapper json) {
        this.service = service;
        this.currentUser = currentUser;
        this.json = json;
    }

    static DashboardFilter filter(String region, String departement, String sector, String usage, String environment,
                                  String q, String sort, String level) {
        return new DashboardFilter(region, departement, sector, usage, environment, q, sort, level);
    }

    /**
     * The rows as a JSON array written as they are read from the database cursor (fetch size 1,000): nothing is
     * materialised, the first rows leave as soon as the query produces them. Errors in the parameters or the scope
     * are reported (problem+json) before the first byte.
     */
    @GetMapping(path = "/api/v1/dashboards/structures", produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "200", description = "One row per structure (or per roll-up with level), sorted, "
            + "at most limit rows after offset; streamed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    array = @ArraySchema(schema = @Schema(implementation = DashboardRow.class))))
    void structures(@RequestParam(required = false) String region,
                                  @RequestParam(required = false) String departement,
                                  @RequestParam(required = false) String sector,
                                  @RequestParam(required = false) String usage,
                                  @RequestParam(required = false) String environment,
                                  @RequestParam(required = false) String q,
                                  @RequestParam(required = false) String sort,
                                  @Parameter(description = "Roll-up level: structure (default, one row per EJ and EG), "
                                          + "ej (an EJ with its EG in scope), departement, region or national")
                                  @RequestParam(required = false) String level,
                                  @Parameter(description = "Rows per response (1 to " + MAX_LIMIT + ", default "
                                          + DEFAULT_LIMIT + "); a response shorter than limit is the last page. "
                                          + "The .xlsx and .csv exports always contain every row")
                                  @RequestParam(required = false) String limit,
                                  @Parameter(description = "Rows of the sorted result to skip (default 0)")
                                  @RequestParam(required = false) String offset,
                                  HttpServletResponse response) throws IOException {
        OpenIgcUser user = currentUser.require();
        DashboardFilter filter = filter(region, departement, sector, usage, environment, q, sort, level);
        List<FieldError> errors = new ArrayList<>();
        long rowLimit = number(limit, DEFAULT_LIMIT, 1, MAX_LIMIT, "limit", errors);
        long rowOffset = number(offset, 0, 0, Integer.MAX_VALUE, "offset", errors);
        ValidationException.throwIfAny(errors);
        service.scope(user, filter); // refuse before the first byte
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        // no flush per row (the generator and the response buffers fill and go); on an error in the middle the array
        // is deliberately left unclosed: the client sees a broken body, never a well-formed but partial list
        SequenceWriter array = json.writerFor(DashboardRow.class).without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                .writeValuesAsArray(response.getOutputStream());
        service.rows(user, filter, (int) rowLimit, rowOffset, array::write);
        array.close();
    }

    /** Default and maximum page size of the JSON rows: the national table has 50,000 structures. */
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 100_000;

    private static long number(String value, long fallback, long min, long max, String field, List<FieldError> errors) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(FieldError.of(field, "dashboards." + field + ".invalid", "An integer from " + min + " to " + max, value));
        return fallback;
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
