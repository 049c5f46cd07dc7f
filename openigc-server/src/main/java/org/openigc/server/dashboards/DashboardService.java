package org.openigc.server.dashboards;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.openigc.server.security.OpenIgcUser;
import org.openigc.server.security.Role;
import org.openigc.server.web.ForbiddenException;
import org.springframework.stereotype.Service;

/**
 * Who sees what, decided here and never by the caller's parameters: an operator every structure, a regional referent
 * those of its région only (asking for another région gives no row), a legal representative or mandataire the
 * structures it represents and their EG; anyone else is refused (403). Roll-ups (EJ, département, région, national)
 * only ever sum the structures of that scope.
 */
@Service
public class DashboardService {
    private final DashboardRepository repository;

    DashboardService(DashboardRepository repository) {
        this.repository = repository;
    }

    /** The filter narrowed to the user's scope, and the person whose representations bound it (or null). */
    record Scoped(DashboardFilter filter, UUID person, boolean empty) {
    }

    Scoped scope(OpenIgcUser user, DashboardFilter requested) {
        DashboardFilter filter = requested.validated();
        if (user.isOperator()) {
            return new Scoped(filter, null, false);
        }
        if (user.has(Role.REFERENT) && user.region() != null) {
            boolean other = filter.region() != null && !filter.region().equals(user.region());
            return new Scoped(filter.withRegion(user.region()), null, other);
        }
        if (user.has(Role.LEGAL_REPRESENTATIVE) || user.has(Role.MANDATAIRE)) {
            return new Scoped(filter, user.personId(), false);
        }
        throw new ForbiddenException("dashboards.forbidden", "Dashboards are for operators, regional referents and legal representatives");
    }

    /** Streams the rows (for exports). */
    public void rows(OpenIgcUser user, DashboardFilter filter, Consumer<DashboardRow> sink) {
        rows(user, filter, null, sink);
    }

    /** Streams at most {@code limit} rows (null: every row). */
    public void rows(OpenIgcUser user, DashboardFilter filter, Integer limit, Consumer<DashboardRow> sink) {
        Scoped scoped = scope(user, filter);
        if (!scoped.empty()) {
            repository.rows(scoped.filter(), scoped.person(), limit, sink);
        }
    }

    public List<DashboardRow> rows(OpenIgcUser user, DashboardFilter filter) {
        List<DashboardRow> rows = new ArrayList<>();
        rows(user, filter, rows::add);
        return rows;
    }

    public List<DashboardRow> rows(OpenIgcUser user, DashboardFilter filter, int limit) {
        List<DashboardRow> rows = new ArrayList<>();
        rows(user, filter, limit, rows::add);
        return rows;
    }

    /** One page of rows: at most {@code limit} after the first {@code offset} of the sorted rows. */
    public List<DashboardRow> rows(OpenIgcUser user, DashboardFilter filter, int limit, long offset) {
        List<DashboardRow> rows = new ArrayList<>();
        rows(user, filter, limit, offset, rows::add);
        return rows;
    }

    /** Streams one page of rows, each as it is read from the database cursor (the JSON API). */
    public void rows(OpenIgcUser user, DashboardFilter filter, int limit, long offset, Consumer<DashboardRow> sink) {
        Scoped scoped = scope(user, filter);
        if (!scoped.empty()) {
            repository.rows(scoped.filter(), scoped.person(), limit, offset, sink);
        }
    }

    /**
     * One row per région of the filtered scope with the indicators' sums (the per environment × usage active counts
     * are left at 0): the page's totals row and coverage chart.
     */
    public List<DashboardRow> regionTotals(OpenIgcUser user, DashboardFilter filter) {
        Scoped scoped = scope(user, filter);
        return scoped.empty() ? List.of() : repository.regionTotals(scoped.filter(), scoped.person());
    }

    public Map<String, Map<String, Long>> expiringPerMonth(OpenIgcUser user, DashboardFilter filter) {
        Scoped scoped = scope(user, filter);
        return scoped.empty() ? Map.of() : repository.expiringPerMonth(scoped.filter(), scoped.person());
    }

    DashboardRepository.ProcessingTimes processingTimes(OpenIgcUser user, DashboardFilter filter) {
        Scoped scoped = scope(user, filter);
        int n = DashboardRepository.PROCESSING_BUCKETS.length + 1;
        return scoped.empty() ? new DashboardRepository.ProcessingTimes(new long[n], new long[n], null)
                : repository.processingTimes(scoped.filter(), scoped.person());
    }

    /** Région INSEE code → [structures with an active DMP pair, structures without], from région-level rows. */
    public static Map<String, long[]> coverageByRegion(List<DashboardRow> rows) {
        Map<String, long[]> coverage = new LinkedHashMap<>();
        rows.stream().sorted(java.util.Comparator.comparing(r -> r.region() == null ? "~" : r.region()))
                .forEach(row -> {
                    long[] c = coverage.computeIfAbsent(row.region() == null ? "" : row.region(), r -> new long[2]);
                    c[0] += row.dmpReadyStructures();
                    c[1] += row.structures() - row.dmpReadyStructures();
                });
        return coverage;
    }
}
