-- The latest CRL of each CA, with its monotonic number; rows are locked while a new CRL is built.
create table crl (
    ca_name      text primary key references ca_certificate (name),
    crl_number   bigint not null,
    this_update  timestamptz not null,
    next_update  timestamptz not null,
    entries      integer not null,
    der          bytea not null
);

-- OCSP and CRL look revoked certificates up per CA; nodes poll recent revocations to refresh their caches.
create index certificate_revoked_idx on certificate (ca_name, revoked_at) where status = 'REVOKED';
create index certificate_revoked_at_idx on certificate (revoked_at) where revoked_at is not null;
