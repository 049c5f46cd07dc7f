-- Dashboards (issue 7): filters by département and sector; the expiry-per-month chart reads active certificates by
-- end of validity. The per-structure aggregation uses certificate_structure_idx (V20).
create index structure_departement_idx on structure (departement);
create index structure_sector_idx on structure (sector);
create index certificate_active_not_after_idx on certificate (not_after, structure_id) where status = 'ACTIVE';
