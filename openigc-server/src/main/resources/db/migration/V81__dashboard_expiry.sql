-- Dashboards (issue 7 point 6): the expiry chart (active certificates ending per month over the next 12 months,
-- stacked by usage) pre-aggregated, so that the national chart reads a few thousand rows instead of an index scan of
-- every active certificate ending within a year.
--
-- Per structure, dashboard_summary now also holds its ACTIVE certificates counted per month of end of validity
-- (Europe/Paris calendar month) and slot (environment × usage, DashboardRepository.SLOTS), for every month from the
-- month of computed_at on: three parallel arrays (expiry_month[i], expiry_slot[i]) → expiry_n[i]. These counts do not
-- depend on the time of reading (only on the certificates), so a stored row is exact for every month from the reader's
-- month on as long as it has no dirty entry and was not computed after the reader's instant. The refresher writes
-- them in the same statement as the other indicators.
--
-- dashboard_expiry_rollup is exactly the sum of those stored arrays over the registry's structures, per (région,
-- département, sector, month, slot): statement-level triggers on dashboard_summary and structure add the difference
-- in the writer's transaction, as dashboard_rollup (V62) does. The chart reads it for the whole months of the window,
-- corrects it for the dirty structures (stored counts subtracted, live counts added) and counts the two partial months
-- at the ends of the window (the rest of the current month, and the start of the 13th) from the certificates.
alter table dashboard_summary
    add column expiry_month date[] not null default '{}',
    add column expiry_slot smallint[] not null default '{}',
    add column expiry_n integer[] not null default '{}';

create table dashboard_expiry_rollup (
    region       text,
    departement  text not null,
    sector       text not null,
    month        date not null,
    slot         smallint not null,
    n            bigint not null
);
create unique index dashboard_expiry_rollup_key_idx
    on dashboard_expiry_rollup (coalesce(region, ''), departement, sector, month, slot);
create index dashboard_expiry_rollup_month_idx on dashboard_expiry_rollup (month);

-- Adds to dashboard_expiry_rollup the rows (region, departement, sector, month, slot, n) that the query text gives.
create function dashboard_expiry_rollup_add(delta text) returns text language sql immutable as $f$
    select format($q$
        insert into dashboard_expiry_rollup as r (region, departement, sector, month, slot, n)
        select region, departement, sector, month, slot, sum(n) from (%s) d
        group by region, departement, sector, month, slot having sum(n) <> 0
        on conflict (coalesce(region, ''), departement, sector, month, slot) do update set n = r.n + excluded.n$q$, delta)
$f$;

-- The stored expiry counts of summary rows d (alias) of structures s (alias), with sign k.
create function dashboard_expiry_contribution(k text) returns text language sql immutable as $$
    select format('s.region, s.departement, s.sector, u.month, u.slot, %s * u.n::bigint as n', k)
$$;

create function dashboard_expiry_summary_changed() returns trigger language plpgsql as $$
begin
    if tg_op in ('INSERT', 'UPDATE') then
        execute dashboard_expiry_rollup_add('select ' || dashboard_expiry_contribution('1')
            || ' from dashboard_expiry_new d join structure s on s.id = d.structure_id'
            || ' cross join unnest(d.expiry_month, d.expiry_slot, d.expiry_n) u(month, slot, n)');
    end if;
    if tg_op in ('DELETE', 'UPDATE') then
        execute dashboard_expiry_rollup_add('select ' || dashboard_expiry_contribution('-1')
            || ' from dashboard_expiry_old d join structure s on s.id = d.structure_id'
            || ' cross join unnest(d.expiry_month, d.expiry_slot, d.expiry_n) u(month, slot, n)');
    end if;
    return null;
end $$;

create function dashboard_expiry_structure_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' then
        if not exists (select 1 from dashboard_expiry_new s join dashboard_expiry_old o on o.id = s.id
                where (s.region, s.departement, s.sector) is distinct from (o.region, o.departement, o.sector)) then
            return null; -- no structure changed key: nothing to move, no lock
        end if;
    end if;
    perform pg_advisory_xact_lock(15005284356096); -- DashboardRepository.REFRESH_LOCK
    if tg_op = 'INSERT' then
        execute dashboard_expiry_rollup_add('select ' || dashboard_expiry_contribution('1')
            || ' from dashboard_expiry_new s join dashboard_summary d on d.structure_id = s.id'
            || ' cross join unnest(d.expiry_month, d.expiry_slot, d.expiry_n) u(month, slot, n)');
    elsif tg_op = 'DELETE' then
        execute dashboard_expiry_rollup_add('select ' || dashboard_expiry_contribution('-1')
            || ' from dashboard_expiry_old s join dashboard_summary d on d.structure_id = s.id'
            || ' cross join unnest(d.expiry_month, d.expiry_slot, d.expiry_n) u(month, slot, n)');
    else
        execute dashboard_expiry_rollup_add('select ' || dashboard_expiry_contribution('1')
            || ' from dashboard_expiry_new s join dashboard_expiry_old o on o.id = s.id'
            || ' join dashboard_summary d on d.structure_id = s.id'
            || ' cross join unnest(d.expiry_month, d.expiry_slot, d.expiry_n) u(month, slot, n)'
            || ' where (s.region, s.departement, s.sector) is distinct from (o.region, o.departement, o.sector)'
            || ' union all select ' || dashboard_expiry_contribution('-1')
            || ' from dashboard_expiry_old s join dashboard_expiry_new nn on nn.id = s.id'
            || ' join dashboard_summary d on d.structure_id = s.id'
            || ' cross join unnest(d.expiry_month, d.expiry_slot, d.expiry_n) u(month, slot, n)'
            || ' where (s.region, s.departement, s.sector) is distinct from (nn.region, nn.departement, nn.sector)');
    end if;
    return null;
end $$;

create trigger dashboard_summary_expiry_insert after insert on dashboard_summary
    referencing new table as dashboard_expiry_new for each statement execute function dashboard_expiry_summary_changed();
create trigger dashboard_summary_expiry_update after update on dashboard_summary
    referencing old table as dashboard_expiry_old new table as dashboard_expiry_new
    for each statement execute function dashboard_expiry_summary_changed();
create trigger dashboard_summary_expiry_delete after delete on dashboard_summary
    referencing old table as dashboard_expiry_old for each statement execute function dashboard_expiry_summary_changed();
create trigger structure_expiry_insert after insert on structure
    referencing new table as dashboard_expiry_new for each statement execute function dashboard_expiry_structure_changed();
create trigger structure_expiry_update after update on structure
    referencing old table as dashboard_expiry_old new table as dashboard_expiry_new
    for each statement execute function dashboard_expiry_structure_changed();
create trigger structure_expiry_delete after delete on structure
    referencing old table as dashboard_expiry_old for each statement execute function dashboard_expiry_structure_changed();

-- Existing rows have no expiry counts yet: their structures are dirty until the refresher has recomputed them (the
-- dashboards recompute dirty structures on the fly meanwhile, so the figures stay exact).
insert into dashboard_summary_dirty (structure_id) select structure_id from dashboard_summary;
