-- Automation (SPEC §3.7): one-time EST enrollment tokens, stored hashed.
create table est_token (
    id                 uuid primary key,
    token_sha256       text not null unique,
    structure_id       uuid not null,
    id_nat_struct      text not null,
    environment        text not null,
    profile            text not null,
    service_applicatif text not null,
    actor_email        text not null,
    created_by         uuid not null,
    created_at         timestamptz not null,
    expires_at         timestamptz not null,
    used_at            timestamptz,
    certificate_id     uuid references certificate (id)
);
create index est_token_structure_idx on est_token (structure_id, created_at desc);
