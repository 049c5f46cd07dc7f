-- ACME (RFC 8555): external account binding credentials, accounts, and which account obtained which certificate.
create table acme_eab (
    kid           text primary key,
    hmac_key      text not null,
    structure_id  uuid not null,
    id_nat_struct text not null,
    environment   text not null,
    actor_email   text,
    created_by    uuid not null,
    created_at    timestamptz not null,
    revoked_at    timestamptz,
    account_id    uuid
);
create table acme_account (
    id            uuid primary key,
    thumbprint    text not null unique,
    jwk           text not null,
    eab_kid       text not null references acme_eab (kid),
    contact       text,
    status        text not null,
    created_at    timestamptz not null
);
create table acme_certificate (
    certificate_id uuid primary key references certificate (id),
    account_id     uuid not null references acme_account (id)
);
