-- CertDC's own schema (migrated by CertDC's own Flyway instance, history table certdc_schema_history).
-- Nominative patient data is only ever stored encrypted (AES-256-GCM, key outside the database) and purged 96 h
-- after reception.

create table account (
    id                    uuid primary key,
    login                 text not null unique,            -- lower case; SI managers: generated, doctors: RPPS
    kind                  text not null check (kind in ('SI_MANAGER', 'DOCTOR', 'ADMIN')),
    display_name          text not null,
    email                 text,
    idnat_ps              text unique,                     -- card holders (doctors, administrators by card)
    password_hash         text,                            -- {argon2}… / {bcrypt}…; null: card only
    must_change_password  boolean not null default true,   -- one-time initial password
    failed_attempts       integer not null default 0,
    locked_at             timestamptz,
    enabled               boolean not null default true,
    password_changed_at   timestamptz,
    last_login_at         timestamptz,
    created_at            timestamptz not null
);
create index account_kind_idx on account (kind, created_at);

-- Single-use mailed links: only the SHA-256 of the token is stored.
create table account_token (
    token_hash  text primary key,
    account_id  uuid not null references account (id) on delete cascade,
    purpose     text not null check (purpose in ('PASSWORD_RESET', 'UNLOCK')),
    expires_at  timestamptz not null,
    used_at     timestamptz,
    created_at  timestamptz not null
);
create index account_token_account_idx on account_token (account_id, purpose);

-- An SI connection request and, once validated, the SI's transfer mode.
create table information_system (
    id                       uuid primary key,
    reference                text not null unique,
    status                   text not null check (status in ('PENDING', 'VALIDATED', 'REJECTED')),
    mode                     text not null default 'SANDBOX' check (mode in ('SANDBOX', 'PRODUCTION')),
    production_requested_at  timestamptz,
    structure                text not null,                -- idNatStruct of its legal establishment (EJ)
    requester_last_name      text not null,
    requester_first_name     text not null,
    requester_function       text not null,
    requester_email          text not null,
    requester_phone          text not null,
    requester_address        text not null,
    requester_postcode       text not null,
    requester_town           text not null,
    si_name                  text not null,
    si_version               text not null,
    comments                 text,
    consent_at               timestamptz not null,
    manager_account_id       uuid not null references account (id),
    rejection_reason         text,
    sandbox_confirmed_at     timestamptz,
    instructed_at            timestamptz,
    instructed_by            text,
    created_at               timestamptz not null,
    updated_at               timestamptz not null
);
create index information_system_status_idx on information_system (status, created_at desc);
create index information_system_structure_idx on information_system (structure);
create index information_system_manager_idx on information_system (manager_account_id);

create table si_establishment (
    si_id            uuid not null references information_system (id) on delete cascade,
    position         integer not null,
    identifier       text not null,                       -- FINESS (9) or SIRET (14), as deposits name it
    identifier_type  text not null check (identifier_type in ('FINESS', 'SIRET')),
    kind             text not null check (kind in ('EJ', 'EG')),
    name             text,
    id_nat_struct    text not null,                       -- 1+FINESS or 3+SIRET: the OU of its certificates
    primary key (si_id, identifier)
);
create index si_establishment_idnat_idx on si_establishment (id_nat_struct);

-- CertDC's own link between declaring doctors and establishments.
create table doctor_establishment (
    account_id     uuid not null references account (id) on delete cascade,
    establishment  text not null,
    primary key (account_id, establishment)
);
create index doctor_establishment_establishment_idx on doctor_establishment (establishment);

create table deposit (
    id                  uuid primary key,
    si_id               uuid not null references information_system (id),
    establishment       text not null,
    mode                text not null check (mode in ('SANDBOX', 'PRODUCTION')),
    received_at         timestamptz not null,
    expires_at          timestamptz not null,              -- received_at + 96 h: purged then
    ipp_index           text not null,                     -- HMAC-SHA256 of the IPP (keyed; the IPP is in payload)
    payload             bytea not null,                    -- AES-256-GCM: IPP, identity traits, death
    idempotency_key     text,
    request_digest      text not null,                     -- HMAC of the canonical body (idempotency conflicts)
    certificate_serial  text not null,
    unique (si_id, idempotency_key)
);
create index deposit_ipp_idx on deposit (ipp_index, establishment);
create index deposit_establishment_idx on deposit (establishment, mode, expires_at);
create index deposit_expires_idx on deposit (expires_at);

-- A doctor's death-certificate draft, prefilled from a deposit; its content is purged with the deposit.
create table certificate_draft (
    id             uuid primary key,
    deposit_id     uuid references deposit (id) on delete set null,
    account_id     uuid not null references account (id),
    establishment  text not null,
    mode           text not null check (mode in ('SANDBOX', 'PRODUCTION')),
    profile        text not null,
    status         text not null check (status in ('DRAFT', 'COMPLETED', 'EXPIRED')),
    content        bytea,                                  -- AES-256-GCM: identity copy + medical part; null once purged
    expires_at     timestamptz not null,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    completed_at   timestamptz
);
create index certificate_draft_account_idx on certificate_draft (account_id, updated_at desc);
create index certificate_draft_deposit_idx on certificate_draft (deposit_id);
create index certificate_draft_expires_idx on certificate_draft (expires_at) where content is not null;

-- The server certificate last seen, to mail every SI manager when it is renewed.
create table server_certificate (
    name                text primary key,
    fingerprint_sha256  text not null,
    not_after           timestamptz not null,
    seen_at             timestamptz not null
);
