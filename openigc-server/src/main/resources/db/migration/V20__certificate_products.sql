-- Ordering: the product information of a certificate (portal, EST and ACME alike).
alter table certificate
    add column structure_id        uuid,
    add column offer               text,
    add column usage               text,
    add column service_applicatif  text,
    add column dns_names           text[] not null default '{}',
    add column actor_email         text,
    add column cc_email            text,
    add column requested_by        uuid,
    add column revocation_code_hash text,
    add column terms_accepted_at   timestamptz,
    add column renews              uuid references certificate (id),
    add column key_generated_online boolean not null default false,
    add column revoked_by          text;

-- Tracking lists the certificates of the structures a user manages, newest end of validity first.
create index certificate_structure_idx on certificate (structure_id, not_after desc, id);
create index certificate_renews_idx on certificate (renews) where renews is not null;
create index certificate_structure_product_idx on certificate (structure_id, usage, environment, service_applicatif);
