-- Dashboards (issue 7 point 6): a per-structure summary of the certificate indicators, so that a dashboard reads one
-- row per structure instead of aggregating every certificate on each request.
--
-- Each array holds one counter per (environment, usage) slot, in the order of DashboardRepository.SLOTS
-- (PRODUCTION × [AUTH_CLI, AUTH, SIGN, CONF, SSL_SERVEUR, SMIME, no usage], then TEST × the same); the application
-- checks at start-up that its slot list has the length recorded by dashboard_summary_slots().
--
-- A row is exact for instants in [computed_at, valid_until): valid_until is the next instant at which one of the
-- structure's time-dependent indicators changes by itself (an end of validity, or 30/60/90 days before it, or 90 days
-- after a revocation). Any change to a certificate of the structure sets valid_until to -infinity in the same
-- transaction (statement-level triggers below), so a stale row is never read as exact: readers recompute stale rows on
-- the fly from the certificates, and DashboardSummaryRefresher rewrites them in the background.
create table dashboard_summary (
    structure_id   uuid primary key,   -- no foreign key: a certificate may name a structure the registry lacks
    computed_at    timestamptz not null default '-infinity',
    valid_until    timestamptz not null default '-infinity',
    active         integer[] not null default '{}',
    expiring30     integer[] not null default '{}',
    expiring60     integer[] not null default '{}',
    expiring90     integer[] not null default '{}',
    expired_no_successor integer[] not null default '{}',
    revoked90      integer[] not null default '{}',
    dmp_ready      boolean not null default false
);
-- The refresher's work list: rows that are stale (or were never computed).
create index dashboard_summary_valid_until_idx on dashboard_summary (valid_until);

create function dashboard_summary_slots() returns integer language sql immutable as 'select 14';

-- Marks the structures of the changed certificates stale, in the writer's transaction. Rows are upserted in
-- structure order so that two multi-structure statements lock them in the same order.
create function dashboard_summary_invalidate() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into dashboard_summary (structure_id)
        select distinct structure_id from new_rows where structure_id is not null order by 1
        on conflict (structure_id) do update set valid_until = '-infinity';
    elsif tg_op = 'DELETE' then
        update dashboard_summary d set valid_until = '-infinity'
        where d.structure_id in (select structure_id from old_rows);
    else
        insert into dashboard_summary (structure_id)
        select structure_id from (
            select n.structure_id from new_rows n join old_rows o on o.id = n.id
            where (o.status, o.not_after, o.revoked_at, o.structure_id, o.usage, o.environment, o.offer,
                   o.service_applicatif, o.renews)
                  is distinct from (n.status, n.not_after, n.revoked_at, n.structure_id, n.usage, n.environment,
                   n.offer, n.service_applicatif, n.renews)
            union
            select o.structure_id from new_rows n join old_rows o on o.id = n.id
            where o.structure_id is distinct from n.structure_id
        ) changed where structure_id is not null order by 1
        on conflict (structure_id) do update set valid_until = '-infinity';
    end if;
    return null;
end $$;

create trigger certificate_dashboard_insert after insert on certificate
    referencing new table as new_rows for each statement execute function dashboard_summary_invalidate();
create trigger certificate_dashboard_update after update on certificate
    referencing old table as old_rows new table as new_rows for each statement execute function dashboard_summary_invalidate();
create trigger certificate_dashboard_delete after delete on certificate
    referencing old table as old_rows for each statement execute function dashboard_summary_invalidate();

-- Certificates issued before this migration: their structures start stale, the refresher computes them.
insert into dashboard_summary (structure_id)
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
