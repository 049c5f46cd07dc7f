-- Dashboards (issue 7 point 6), fifth pass.
-- Indicator sorts of the national table without usage or environment filter: the first page of stored rows in the
-- order of an indicator total is read from an index instead of sorting every row (expressions as in
-- DashboardRepository.sum: coalesce(totals[k], 0), k = 1 active, 2 ≤ 30 d, 4 ≤ 90 d, 5 expired without successor,
-- 6 revoked in the last 90 days).
create index dashboard_summary_active_idx on dashboard_summary ((coalesce(totals[1], 0)));
create index dashboard_summary_expiring30_idx on dashboard_summary ((coalesce(totals[2], 0)));
create index dashboard_summary_expiring90_idx on dashboard_summary ((coalesce(totals[4], 0)));
create index dashboard_summary_expired_idx on dashboard_summary ((coalesce(totals[5], 0)));
create index dashboard_summary_revoked90_idx on dashboard_summary ((coalesce(totals[6], 0)));

-- The table's default order (DashboardRepository.scopeLimit: région, département, name, id): a deep page of the
-- national table skips its offset along this index instead of sorting the first limit + offset structures.
create index structure_dashboard_order_idx on structure (region, departement, lower(name), id);
