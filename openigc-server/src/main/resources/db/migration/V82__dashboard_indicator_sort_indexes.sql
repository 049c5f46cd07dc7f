-- Dashboards (issue 7 point 6), fifth pass: indicator sorts of the national table (no filter at all) read the first
-- page of exact stored rows from an index instead of sorting every row.
--
-- The page's order is (indicator, then lower(name), then id), and an indicator takes few distinct values (tens of
-- thousands of structures tie), so the index holds the name too: dashboard_summary.sort_name is lower(structure.name)
-- as the refresher read it. A structure that is renamed (or enters the registry with a stored row already there) is
-- marked dirty in the writer's transaction, so a stored row whose sort_name is not the structure's current name is
-- never read as exact (readers recompute dirty structures, and take them as candidates of every indicator sort).
alter table dashboard_summary add column sort_name text;

-- Two indexes per sortable indicator total (expressions as in DashboardRepository.sum: coalesce(totals[k], 0), k = 1
-- active, 2 ≤ 30 d, 4 ≤ 90 d, 5 expired without successor, 6 revoked in the last 90 days), one in the order of a
-- descending sort and one of an ascending sort: both orders put the name ascending after the indicator, so a
-- backward scan of one cannot serve the other (tens of thousands of structures tie at 0, ordered by name).
create index dashboard_summary_active_idx on dashboard_summary ((coalesce(totals[1], 0)) desc, sort_name, structure_id);
create index dashboard_summary_expiring30_idx on dashboard_summary ((coalesce(totals[2], 0)) desc, sort_name, structure_id);
create index dashboard_summary_expiring90_idx on dashboard_summary ((coalesce(totals[4], 0)) desc, sort_name, structure_id);
create index dashboard_summary_expired_idx on dashboard_summary ((coalesce(totals[5], 0)) desc, sort_name, structure_id);
create index dashboard_summary_revoked90_idx on dashboard_summary ((coalesce(totals[6], 0)) desc, sort_name, structure_id);
create index dashboard_summary_active_asc_idx on dashboard_summary ((coalesce(totals[1], 0)), sort_name, structure_id);
create index dashboard_summary_expiring30_asc_idx on dashboard_summary ((coalesce(totals[2], 0)), sort_name, structure_id);
create index dashboard_summary_expiring90_asc_idx on dashboard_summary ((coalesce(totals[4], 0)), sort_name, structure_id);
create index dashboard_summary_expired_asc_idx on dashboard_summary ((coalesce(totals[5], 0)), sort_name, structure_id);
create index dashboard_summary_revoked90_asc_idx on dashboard_summary ((coalesce(totals[6], 0)), sort_name, structure_id);

create function dashboard_summary_structure_named() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into dashboard_summary_dirty (structure_id)
        select n.id from dashboard_named_new n where exists (select 1 from dashboard_summary d where d.structure_id = n.id);
    else
        insert into dashboard_summary_dirty (structure_id)
        select n.id from dashboard_named_new n join dashboard_named_old o on o.id = n.id
        where lower(n.name) is distinct from lower(o.name)
          and exists (select 1 from dashboard_summary d where d.structure_id = n.id);
    end if;
    return null;
end $$;
create trigger structure_dashboard_name_insert after insert on structure
    referencing new table as dashboard_named_new for each statement execute function dashboard_summary_structure_named();
create trigger structure_dashboard_name_update after update on structure
    referencing old table as dashboard_named_old new table as dashboard_named_new
    for each statement execute function dashboard_summary_structure_named();

-- Existing rows have no sort_name yet: V81 has already marked every stored row dirty, so the refresher writes it.

-- The table's default order (DashboardRepository.scopeLimit: région, département, name, id): a deep page of the
-- national table skips its offset along this index instead of sorting the first limit + offset structures (name
-- included so that the scan is index-only: PostgreSQL does not return a column from an expression of the index).
create index structure_dashboard_order_idx on structure (region, departement, lower(name), id) include (name);
