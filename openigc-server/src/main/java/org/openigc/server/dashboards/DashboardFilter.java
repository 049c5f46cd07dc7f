package org.openigc.server.dashboards;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.openigc.ca.Usage;
import org.openigc.identifiers.Departements;
import org.openigc.identifiers.Region;
import org.openigc.server.registry.Sector;
import org.openigc.server.web.FieldError;
import org.openigc.server.web.ValidationException;

/**
 * The filters of the dashboards, as typed (blank = no filter). Région and département are INSEE codes ("11", "75");
 * usage and environment restrict which certificates are counted, the others which structures are listed.
 */
public record DashboardFilter(String region, String departement, String sector, String usage, String environment,
                              String q, String sort, String level) {
    static final Set<String> SORTS = Set.of("name", "finess", "departement", "region", "active", "expiring30",
            "expiring90", "expiredWithoutSuccessor", "revokedLast90Days", "pending413", "oldestPending413");
    /** Roll-up levels: one row per structure (default), per EJ (the EJ and its EG in scope), département, région, or one national row. */
    static final List<String> LEVELS = List.of("structure", "ej", "departement", "region", "national");

    public DashboardFilter(String region, String departement, String sector, String usage, String environment,
                           String q, String sort) {
        this(region, departement, sector, usage, environment, q, sort, null);
    }

    public DashboardFilter {
        level = blankToNull(level) == null ? "structure" : level.strip();
        region = blankToNull(region);
        departement = blankToNull(departement);
        sector = blankToNull(sector);
        usage = blankToNull(usage);
        environment = blankToNull(environment);
        q = blankToNull(q);
        sort = blankToNull(sort);
    }

    public static DashboardFilter none() {
        return new DashboardFilter(null, null, null, null, null, null, null, null);
    }

    /** @throws ValidationException naming every unknown value */
    DashboardFilter validated() {
        List<FieldError> errors = new ArrayList<>();
        if (region != null && Region.byInseeCode(region).isEmpty()) {
            errors.add(FieldError.of("region", "dashboards.region.unknown", "Unknown région INSEE code", region));
        }
        if (departement != null && Departements.nameOf(departement).isEmpty()) {
            errors.add(FieldError.of("departement", "dashboards.departement.unknown", "Unknown département", departement));
        }
        if (sector != null && !isEnum(Sector.class, sector)) {
            errors.add(FieldError.of("sector", "dashboards.sector.unknown", "Unknown sector", sector));
        }
        if (usage != null && !isEnum(Usage.class, usage)) {
            errors.add(FieldError.of("usage", "dashboards.usage.unknown", "Unknown usage", usage));
        }
        if (environment != null && !environment.equals("TEST") && !environment.equals("PRODUCTION")) {
            errors.add(FieldError.of("environment", "dashboards.environment.unknown", "TEST or PRODUCTION", environment));
        }
        if (!LEVELS.contains(level)) {
            errors.add(FieldError.of("level", "dashboards.level.unknown", "structure, ej, departement, region or national", level));
        }
        if (sort != null && !SORTS.contains(sort.startsWith("-") ? sort.substring(1) : sort)) {
            errors.add(FieldError.of("sort", "dashboards.sort.unknown", "Unknown sort column", sort));
        }
        ValidationException.throwIfAny(errors);
        return this;
    }

    DashboardFilter withRegion(String newRegion) {
        return new DashboardFilter(newRegion, departement, sector, usage, environment, q, sort, level);
    }

    DashboardFilter withLevel(String newLevel) {
        return new DashboardFilter(region, departement, sector, usage, environment, q, sort, newLevel);
    }

    private static <E extends Enum<E>> boolean isEnum(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
