-- ACME (RFC 8555) state shared by every node: single-use nonces, orders, authorizations with their http-01 challenge.
create table acme_nonce (
    nonce      text primary key,
    expires_at timestamptz not null
);
create index acme_nonce_expiry_idx on acme_nonce (expires_at);

create table acme_order (
    id             text primary key,
    account_id     uuid not null references acme_account (id),
    label          text not null,
    names          text[] not null,
    status         text not null check (status in ('pending', 'ready', 'processing', 'valid', 'invalid')),
    created_at     timestamptz not null,
    expires_at     timestamptz not null,
    certificate_id uuid references certificate (id),
    processing_at  timestamptz,
    error          text
);
create index acme_order_expiry_idx on acme_order (expires_at);

create table acme_authz (
    id               text primary key,
    order_id         text not null references acme_order (id) on delete cascade,
    position         int not null,
    account_id       uuid not null references acme_account (id),
    name             text not null,
    status           text not null check (status in ('pending', 'valid', 'invalid', 'deactivated', 'expired', 'revoked')),
    expires_at       timestamptz not null,
    challenge_token  text not null,
    challenge_status text not null check (challenge_status in ('pending', 'processing', 'valid', 'invalid')),
    validated_at     timestamptz,
    error            text
);
create index acme_authz_order_idx on acme_authz (order_id, position);

-- accounts deactivated by their holder or by an administrator in the portal
alter table acme_account add column deactivated_at timestamptz;

-- revocable EST tokens and EAB credentials
alter table est_token add column revoked_at timestamptz;

-- certificates ordered through the REST API are told apart from the portal's pages
alter table certificate drop constraint if exists certificate_channel_check;
alter table certificate add constraint certificate_channel_check
    check (channel in ('PORTAL', 'API', 'EST', 'ACME', 'SYSTEM', 'DEMO'));
