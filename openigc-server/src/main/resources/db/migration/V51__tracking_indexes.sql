-- Tracking (suivi) at a million certificates: every filter, sort and search of the list is served by an index
-- (plans and figures in docs/benchmarks.md, "Tracking at 1,000,000 certificates").

-- Search by service applicatif (or subject text): substring search, so trigram indexes; pg_trgm is a trusted
-- contrib extension (PostgreSQL 13+), created by the database owner.
create extension if not exists pg_trgm;
create index certificate_service_trgm_idx on certificate using gin (service_applicatif gin_trgm_ops);
create index certificate_subject_trgm_idx on certificate using gin (subject gin_trgm_ops);

-- The other two sorts of the list ("most recent", "service applicatif"), with the id tie-break of the query.
create index certificate_not_before_idx on certificate (not_before desc, id);
create index certificate_service_sort_idx on certificate (service_applicatif, id);
