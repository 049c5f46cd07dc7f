-- Tracking (suivi) keyset pagination: every sort of the list is a total order "(key, id)" with the id in the key's
-- direction, served by one ascending b-tree index on (key, id) read forward or backward, so that the cursor's row
-- comparison "(key, id) > (:key, :id)" (or "<") is an index condition and a page costs the same at any depth
-- (docs/benchmarks.md, "Tracking at 1,000,000 certificates").

-- end of validity, both directions (replaces V1's single-column index, which the expiry scans also use as a prefix)
create index certificate_not_after_id_idx on certificate (not_after, id);
drop index certificate_not_after_idx;

-- "most recent first" is now not_before desc, id desc: an ascending (not_before, id) index read backward
-- (replaces V51's (not_before desc, id), whose mixed directions a row comparison cannot use)
create index certificate_not_before_id_idx on certificate (not_before, id);
drop index certificate_not_before_idx;

-- "service applicatif" keeps V51's certificate_service_sort_idx (service_applicatif, id).
