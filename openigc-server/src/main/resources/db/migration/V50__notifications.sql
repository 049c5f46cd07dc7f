-- Expiry notifications (SPEC §3.5). One row per certificate and threshold, inserted in the same transaction as the
-- outbox mail: the primary key makes the notice exactly-once across restarts and nodes. SKIPPED: a threshold passed
-- while a more urgent one was due too (downtime), recorded so it is never sent late.
create table expiry_notice (
    certificate_id uuid not null references certificate (id),
    threshold_days integer not null,
    outcome        text not null check (outcome in ('SENT', 'SKIPPED')),
    recorded_at    timestamptz not null,
    primary key (certificate_id, threshold_days)
);

-- The scan reads a range of end dates among active certificates of a structure: an index range scan, never a full scan.
create index certificate_expiry_scan_idx on certificate (not_after) where status = 'ACTIVE' and structure_id is not null;

-- Undeliverable addresses are traced back to the certificates naming them.
create index certificate_actor_email_idx on certificate (lower(actor_email)) where actor_email is not null;
create index certificate_cc_email_idx on certificate (lower(cc_email)) where cc_email is not null;

-- Per-user choice: one daily digest instead of one mail per certificate.
create table notification_preference (
    person_id uuid primary key,
    digest    boolean not null default false,
    updated_at timestamptz not null
);

-- Notices waiting for a digest user's next daily mail.
create table notification_digest_item (
    person_id      uuid not null,
    certificate_id uuid not null references certificate (id),
    threshold_days integer not null,
    created_at     timestamptz not null,
    sent_at        timestamptz,
    primary key (person_id, certificate_id, threshold_days)
);
create index notification_digest_pending_idx on notification_digest_item (person_id) where sent_at is null;

-- The legal representatives of a structure are told once per undeliverable address.
create table undeliverable_notice (
    address      text not null,
    structure_id uuid not null,
    notified_at  timestamptz not null,
    primary key (address, structure_id)
);
