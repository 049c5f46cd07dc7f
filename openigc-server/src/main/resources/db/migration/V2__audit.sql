-- Audit trail: who did what, on which object, from where. Append-only and tamper-evident: each event carries the
-- SHA-256 of its canonical encoding and of the previous event's hash (see org.openigc.server.audit.AuditHash).

create table audit_event (
    id             bigserial primary key,
    occurred_at    timestamptz not null,
    actor          text not null,
    source_ip      text not null,
    action         text not null,
    object_type    text,
    object_id      text,
    details        jsonb not null default '{}'::jsonb,
    -- unique: two events can never follow the same one, so concurrent writers cannot fork the chain silently
    previous_hash  text not null unique check (previous_hash ~ '^[0-9a-f]{64}$'),
    hash           text not null unique check (hash ~ '^[0-9a-f]{64}$')
);

-- The auditor's filters, each newest first (keyset on id).
create index audit_event_actor_idx on audit_event (actor, id);
create index audit_event_action_idx on audit_event (action, id);
create index audit_event_object_idx on audit_event (object_type, object_id, id);
create index audit_event_occurred_at_idx on audit_event (occurred_at);

-- The application connects as the table owner, so REVOKE UPDATE/DELETE would not bind it: a trigger refuses instead.
-- (Only a superuser or the owner disabling the trigger can rewrite history, and `openigc audit verify` shows it.)
create function audit_event_append_only() returns trigger
    language plpgsql as $$
begin
    raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_event_no_update_or_delete
    before update or delete on audit_event
    for each row execute function audit_event_append_only();

create trigger audit_event_no_truncate
    before truncate on audit_event
    for each statement execute function audit_event_append_only();
