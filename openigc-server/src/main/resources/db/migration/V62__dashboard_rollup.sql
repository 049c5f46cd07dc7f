-- Dashboards (issue 7 point 6): dashboard_summary pre-aggregated per (région, département, sector) of the registry,
-- so that the page's totals row and coverage chart (one row per région of the filtered scope) read a few hundred
-- rows instead of one per structure.
--
-- dashboard_rollup is exactly the sum of the STORED dashboard_summary rows of the registry's structures, grouped by
-- the structure's (region, departement, sector), plus the number of structures per key: statement-level triggers on
-- dashboard_summary (written only by DashboardSummaryRefresher) and on structure add the difference in the writer's
-- transaction. A reader corrects it for the summary rows that are stale at the time of reading (past their validity
-- or dirty) by subtracting their stored values and adding their live computation, so the figures stay exact.
-- A structure change takes the refresher's advisory lock (DashboardRepository.REFRESH_LOCK) so that it never
-- interleaves with a refresh of the same structure's summary row.
create table dashboard_rollup (
    region       text,
    departement  text not null,
    sector       text not null,
    structures   bigint not null,
    dmp_ready    bigint not null,
    active       bigint[] not null,
    expiring30   bigint[] not null,
    expiring60   bigint[] not null,
    expiring90   bigint[] not null,
    expired_no_successor bigint[] not null,
    revoked90    bigint[] not null,
    totals       bigint[] not null
);
create unique index dashboard_rollup_key_idx on dashboard_rollup (coalesce(region, ''), departement, sector);

-- Readers look for rows computed "in the future" (a clock moved back) as well as rows past their validity.
create index dashboard_summary_computed_at_idx on dashboard_summary (computed_at);

-- a + k × b, element-wise (a missing element counts as 0)
create function dashboard_array_add(a bigint[], b bigint[], k bigint) returns bigint[] language sql immutable as $$
    select coalesce(array_agg(coalesce(x, 0) + k * coalesce(y, 0) order by i), '{}')
    from unnest(a, b) with ordinality as u(x, y, i)
$$;
create function dashboard_array_sum_step(a bigint[], b bigint[]) returns bigint[] language sql immutable as
    'select dashboard_array_add(a, b, 1)';
create aggregate dashboard_array_sum(bigint[]) (sfunc = dashboard_array_sum_step, stype = bigint[], initcond = '{}');

-- Adds to dashboard_rollup the contribution rows that the query text delta gives, summed per key.
-- (SQL text run by the triggers themselves: transition tables are visible only in the trigger function)
create function dashboard_rollup_add(delta text) returns text language sql immutable as $f$
    select format($q$
        insert into dashboard_rollup as r (region, departement, sector, structures, dmp_ready, active, expiring30,
            expiring60, expiring90, expired_no_successor, revoked90, totals)
        select region, departement, sector, sum(structures), sum(dmp_ready), dashboard_array_sum(active),
            dashboard_array_sum(expiring30), dashboard_array_sum(expiring60), dashboard_array_sum(expiring90),
            dashboard_array_sum(expired_no_successor), dashboard_array_sum(revoked90), dashboard_array_sum(totals)
        from (%s) d group by region, departement, sector
        on conflict (coalesce(region, ''), departement, sector) do update set
            structures = r.structures + excluded.structures, dmp_ready = r.dmp_ready + excluded.dmp_ready,
            active = dashboard_array_add(r.active, excluded.active, 1),
            expiring30 = dashboard_array_add(r.expiring30, excluded.expiring30, 1),
            expiring60 = dashboard_array_add(r.expiring60, excluded.expiring60, 1),
            expiring90 = dashboard_array_add(r.expiring90, excluded.expiring90, 1),
            expired_no_successor = dashboard_array_add(r.expired_no_successor, excluded.expired_no_successor, 1),
            revoked90 = dashboard_array_add(r.revoked90, excluded.revoked90, 1),
            totals = dashboard_array_add(r.totals, excluded.totals, 1)$q$, delta)
$f$;

-- One contribution row of a summary row d (alias) for structure s (alias) with sign k and structure count n.
create function dashboard_rollup_contribution(k text, n text) returns text language sql immutable as $$
    select format('s.region, s.departement, s.sector, %2$s::bigint as structures,
        %1$s * coalesce(d.dmp_ready::int, 0)::bigint as dmp_ready,
        dashboard_array_add(''{}'', d.active::bigint[], %1$s) as active,
        dashboard_array_add(''{}'', d.expiring30::bigint[], %1$s) as expiring30,
        dashboard_array_add(''{}'', d.expiring60::bigint[], %1$s) as expiring60,
        dashboard_array_add(''{}'', d.expiring90::bigint[], %1$s) as expiring90,
        dashboard_array_add(''{}'', d.expired_no_successor::bigint[], %1$s) as expired_no_successor,
        dashboard_array_add(''{}'', d.revoked90::bigint[], %1$s) as revoked90,
        dashboard_array_add(''{}'', d.totals::bigint[], %1$s) as totals', k, n)
$$;

create function dashboard_rollup_summary_changed() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        execute dashboard_rollup_add('select ' || dashboard_rollup_contribution('1', '0')
            || ' from dashboard_rollup_new d join structure s on s.id = d.structure_id');
    end if;
    if tg_op in ('DELETE', 'UPDATE') then
        execute dashboard_rollup_add('select ' || dashboard_rollup_contribution('-1', '0')
            || ' from dashboard_rollup_old d join structure s on s.id = d.structure_id');
    end if;
    return null;
end $$;

create function dashboard_rollup_structure_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        if not exists (select 1 from dashboard_rollup_new s join dashboard_rollup_old o on o.id = s.id
                where (s.region, s.departement, s.sector) is distinct from (o.region, o.departement, o.sector)) then
            return null; -- no structure changed key: nothing to move, no lock
        end if;
    end if;
    perform pg_advisory_xact_lock(15005284356096); -- DashboardRepository.REFRESH_LOCK
    if tg_op = 'INSERT' then
        execute dashboard_rollup_add('select ' || dashboard_rollup_contribution('1', '1')
            || ' from dashboard_rollup_new s left join dashboard_summary d on d.structure_id = s.id');
    elsif tg_op = 'DELETE' then
        execute dashboard_rollup_add('select ' || dashboard_rollup_contribution('-1', '-1')
            || ' from dashboard_rollup_old s left join dashboard_summary d on d.structure_id = s.id');
    else
        execute dashboard_rollup_add('select ' || dashboard_rollup_contribution('1', '1')
            || ' from dashboard_rollup_new s join dashboard_rollup_old o on o.id = s.id'
            || ' left join dashboard_summary d on d.structure_id = s.id'
            || ' where (s.region, s.departement, s.sector) is distinct from (o.region, o.departement, o.sector)'
            || ' union all select ' || dashboard_rollup_contribution('-1', '-1')
            || ' from dashboard_rollup_old s join dashboard_rollup_new nn on nn.id = s.id'
            || ' left join dashboard_summary d on d.structure_id = s.id'
            || ' where (s.region, s.departement, s.sector) is distinct from (nn.region, nn.departement, nn.sector)');
    end if;
    return null;
end $$;

create trigger dashboard_summary_rollup_insert after insert on dashboard_summary
    referencing new table as dashboard_rollup_new for each statement execute function dashboard_rollup_summary_changed();
create trigger dashboard_summary_rollup_update after update on dashboard_summary
    referencing old table as dashboard_rollup_old new table as dashboard_rollup_new
    for each statement execute function dashboard_rollup_summary_changed();
create trigger dashboard_summary_rollup_delete after delete on dashboard_summary
    referencing old table as dashboard_rollup_old for each statement execute function dashboard_rollup_summary_changed();
create trigger structure_rollup_insert after insert on structure
    referencing new table as dashboard_rollup_new for each statement execute function dashboard_rollup_structure_changed();
create trigger structure_rollup_update after update on structure
    referencing old table as dashboard_rollup_old new table as dashboard_rollup_new
    for each statement execute function dashboard_rollup_structure_changed();
create trigger structure_rollup_delete after delete on structure
    referencing old table as dashboard_rollup_old for each statement execute function dashboard_rollup_structure_changed();

-- Existing data.
do $$ begin execute dashboard_rollup_add('select ' || dashboard_rollup_contribution('1', '1')
    || ' from structure s left join dashboard_summary d on d.structure_id = s.id'); end $$;
