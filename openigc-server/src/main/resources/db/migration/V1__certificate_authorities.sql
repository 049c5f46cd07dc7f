-- Foundation: the CA hierarchies and every certificate the platform signs.

create table ca_certificate (
    name         text primary key,                -- short name used in URLs: prod-organisations, test-root…
    environment  text not null check (environment in ('TEST', 'PRODUCTION')),
    role         text not null check (role in ('ROOT', 'ORGANISATIONS', 'PERSONNES')),
    subject      text not null,
    der          bytea not null,
    not_after    timestamptz not null,
    created_at   timestamptz not null default now(),
    unique (environment, role)
);

-- A row is written before the signature and completed after it: nothing is signed without being recorded.
create table certificate (
    id                  uuid primary key,
    serial_number       text not null unique,      -- lower-case hex, no leading zeros
    ca_name             text not null references ca_certificate (name),
    profile             text not null,
    environment         text not null check (environment in ('TEST', 'PRODUCTION')),
    channel             text not null default 'PORTAL' check (channel in ('PORTAL', 'EST', 'ACME', 'SYSTEM', 'DEMO')),
    status              text not null check (status in ('ISSUING', 'ACTIVE', 'REVOKED', 'FAILED')),
    subject             text not null,
    not_before          timestamptz not null,
    not_after           timestamptz not null,
    der                 bytea,
    fingerprint_sha256  text,
    public_key_sha256   text not null,
    revoked_at          timestamptz,
    revocation_reason   text,
    created_at          timestamptz not null default now()
);

create index certificate_ca_status_idx on certificate (ca_name, status);
create index certificate_not_after_idx on certificate (not_after);
create index certificate_public_key_idx on certificate (public_key_sha256);
