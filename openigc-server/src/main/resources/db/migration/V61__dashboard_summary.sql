-- Dashboards (issue 7 point 6): a per-structure summary of the certificate indicators, so that a dashboard reads one
-- row per structure instead of aggregating every certificate on each request.
--
-- Each array holds one counter per (environment, usage) slot, in the order of DashboardRepository.SLOTS
-- (PRODUCTION × [AUTH_CLI, AUTH, SIGN, CONF, SSL_SERVEUR, SMIME, no usage], then TEST × the same); the refresher
-- refuses to run if its slot list does not have the length recorded by dashboard_summary_slots().
--
-- A row is exact for instants in [computed_at, valid_until) as long as no certificate of the structure has changed
-- since: valid_until is the next instant at which one of the structure's time-dependent indicators changes by itself
-- (an end of validity, or 30/60/90 days before it, or 90 days after a revocation), and any change to a certificate
-- appends the structure to dashboard_summary_dirty in the writer's transaction (statement-level triggers below).
-- Readers recompute stale or dirty structures on the fly from the certificates; DashboardSummaryRefresher rewrites
-- them in the background and removes the dirty entries it has taken into account. Writers never lock a summary row
-- (the dirty table is append-only), so certificate writes never wait on one another or on the refresher here.
create table dashboard_summary (
    structure_id   uuid primary key,   -- no foreign key: a certificate may name a structure the registry lacks
    computed_at    timestamptz not null,
    valid_until    timestamptz not null,
    active         integer[] not null,
    expiring30     integer[] not null,
    expiring60     integer[] not null,
    expiring90     integer[] not null,
    expired_no_successor integer[] not null,
    revoked90      integer[] not null,
    -- the six indicators summed over every slot (the view without usage or environment filter), in the order above
    totals         integer[] not null,
    dmp_ready      boolean not null
);
-- The refresher's work list for time: rows whose next boundary has passed.
create index dashboard_summary_valid_until_idx on dashboard_summary (valid_until);

-- Structures whose certificates changed since their summary row was computed (several entries per structure allowed).
create table dashboard_summary_dirty (
    id            bigint generated always as identity primary key,
    structure_id  uuid not null
);
create index dashboard_summary_dirty_structure_idx on dashboard_summary_dirty (structure_id);

create function dashboard_summary_slots() returns integer language sql immutable as 'select 14';

create function dashboard_summary_invalidate() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into dashboard_summary_dirty (structure_id)
        select distinct structure_id from new_rows where structure_id is not null;
    elsif tg_op = 'DELETE' then
        insert into dashboard_summary_dirty (structure_id)
        select distinct structure_id from old_rows where structure_id is not null;
    else
        insert into dashboard_summary_dirty (structure_id)
        select structure_id from (
            select n.structure_id from new_rows n join old_rows o on o.id = n.id
            where (o.status, o.not_after, o.revoked_at, o.structure_id, o.usage, o.environment, o.offer,
                   o.service_applicatif, o.renews)
                  is distinct from (n.status, n.not_after, n.revoked_at, n.structure_id, n.usage, n.environment,
                   n.offer, n.service_applicatif, n.renews)
            union
            select o.structure_id from new_rows n join old_rows o on o.id = n.id
            where o.structure_id is distinct from n.structure_id
        ) changed where structure_id is not null;
    end if;
    return null;
end $$;

create trigger certificate_dashboard_insert after insert on certificate
    referencing new table as new_rows for each statement execute function dashboard_summary_invalidate();
create trigger certificate_dashboard_update after update on certificate
    referencing old table as old_rows new table as new_rows for each statement execute function dashboard_summary_invalidate();
create trigger certificate_dashboard_delete after delete on certificate
    referencing old table as old_rows for each statement execute function dashboard_summary_invalidate();

-- Certificates issued before this migration: their structures start dirty, the refresher computes them.
insert into dashboard_summary_dirty (structure_id)
select distinct structure_id from certificate where structure_id is not null;

-- Form 413 indicators: pending dossiers per structure and the oldest one's age (the queue index is on status first).
create index habilitation_dossier_pending_structure_idx on habilitation_dossier (structure_id, acknowledged_at)
    where status in ('SUBMITTED', 'ACKNOWLEDGED');
-- 413 processing-time chart: decided dossiers by decision date.
create index habilitation_dossier_decided_idx on habilitation_dossier (decided_at) where decided_at is not null;

-- Expiry chart: an index-only scan of active certificates by end of validity, with what the chart groups and joins
-- on (supersedes V60's certificate_active_not_after_idx).
drop index certificate_active_not_after_idx;
create index certificate_active_expiry_idx on certificate (not_after) include (structure_id, usage, environment)
    where status = 'ACTIVE';
