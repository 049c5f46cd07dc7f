-- Group commit of the audit trail. An event is written here, in the transaction of the change it records (so the
-- two still commit or roll back together), without any lock; the chainer (org.openigc.server.audit.AuditChainer)
-- then moves pending events into the hash chain in batches: one cluster-wide lock, one hash walk and one insert
-- per batch instead of a lock held by every business transaction until its commit.
create table audit_pending (
    pending_id   bigserial primary key,
    occurred_at  timestamptz not null,
    actor        text not null,
    source_ip    text not null,
    action       text not null,
    object_type  text,
    object_id    text,
    details      jsonb not null default '{}'::jsonb
);

-- A pending event is inserted, then deleted by the chainer in the transaction that chains it; never edited.
create trigger audit_pending_no_update
    before update on audit_pending
    for each row execute function audit_event_append_only();
