-- Registry: structures, contracts, persons, representatives, platform roles, delegations, habilitations.
-- Identifiers are validated by the application (check digits) before they reach these tables; the checks here
-- only keep shapes honest if someone writes SQL by hand.

create table structure (
    id                  uuid primary key,
    kind                text not null check (kind in ('EJ', 'EG', 'CABINET', 'COMPANY')),
    id_nat_struct       text not null unique,              -- type digit + identifier: 1+FINESS, 2+SIREN, 3+SIRET, 4+RPPS rang
    finess              text unique check (finess ~ '^[0-9A-Z]{9}$'),
    siren               text check (siren ~ '^[0-9]{9}$'),
    siret               text unique check (siret ~ '^[0-9]{14}$'),
    rpps_rang           text unique check (rpps_rang ~ '^[0-9]{14}$'),
    parent_id           uuid references structure (id),    -- an EG's EJ
    name                text not null check (length(name) between 1 and 200),
    address             text,
    postcode            text,
    city                text,
    departement         text not null,
    region              text,                              -- INSEE code; null only for Saint-Pierre-et-Miquelon (975)
    sector              text not null check (sector in ('HOSPITAL', 'MEDICO_SOCIAL', 'OFFICINE', 'BIOLOGIE',
                                                         'RADIOLOGIE', 'MEDECINE_DE_VILLE', 'EDITOR')),
    may_order_under_ej  boolean not null default false,    -- EJ/EG doctrine: public hospitals, dialysis, organismes gestionnaires
    group_name          text,                              -- GHT or group of clinics: informative, never one certificate for the group
    created_at          timestamptz not null default now(),
    updated_at          timestamptz not null default now(),
    check ((kind = 'EG') = (parent_id is not null)),
    check (kind not in ('EJ', 'EG') or finess is not null)
);
create index structure_parent_idx on structure (parent_id);
create index structure_region_idx on structure (region);
create index structure_name_idx on structure (lower(name));

create table contract (
    id            uuid primary key,
    structure_id  uuid not null references structure (id),
    reference     text not null unique,
    signed_on     date not null,
    ends_on       date,
    created_at    timestamptz not null default now(),
    check (ends_on is null or ends_on >= signed_on)
);
create index contract_structure_idx on contract (structure_id);

create table person (
    id                 uuid primary key,
    card_number        text not null unique check (card_number ~ '^[0-9]{10}$'),
    card_type          text not null check (card_type in ('CPS', 'CPE', 'CPA', 'CDE')),
    id_nat_ps          text not null unique,
    rpps               text check (rpps ~ '^[0-9]{11}$'),
    last_name          text not null,
    first_name         text not null,
    email              text,
    phone              text,
    profession         text,
    card_status        text not null default 'ACTIVE' check (card_status in ('ACTIVE', 'OPPOSED', 'EXPIRED')),
    card_expires_on    date,
    card_structure_id  uuid references structure (id),     -- CPE, CPA, CDE: the structure of the card
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    check (card_type = 'CPS' or card_structure_id is not null)
);
create index person_card_structure_idx on person (card_structure_id);
create index person_name_idx on person (lower(last_name));

-- Legal representatives and mandataires of a structure (an EJ's representative also represents its EG).
create table structure_representative (
    id            uuid primary key,
    structure_id  uuid not null references structure (id),
    person_id     uuid not null references person (id),
    role          text not null check (role in ('LEGAL_REPRESENTATIVE', 'MANDATAIRE')),
    valid_from    date not null,
    valid_until   date,
    created_at    timestamptz not null default now(),
    unique (structure_id, person_id, role)
);
create index representative_person_idx on structure_representative (person_id);

create table platform_role (
    person_id  uuid not null references person (id),
    role       text not null check (role in ('OPERATOR', 'REFERENT', 'AUDITOR', 'CERTDC_ADMIN')),
    region     text not null default '',                   -- INSEE code for REFERENT, '' otherwise
    created_at timestamptz not null default now(),
    primary key (person_id, role, region),
    check ((role = 'REFERENT') = (region <> ''))
);

-- A legal representative delegates the management of its structure's certificates to an editor.
create table delegation (
    id                   uuid primary key,
    structure_id         uuid not null references structure (id),
    editor_structure_id  uuid not null references structure (id),
    granted_by           uuid references person (id),
    granted_at           timestamptz not null default now(),
    ends_on              date not null,
    revoked_at           timestamptz,
    revoked_by           uuid references person (id),
    check (structure_id <> editor_structure_id)
);
create index delegation_structure_idx on delegation (structure_id);
create index delegation_editor_idx on delegation (editor_structure_id);

-- What an approved form 413 grants: one administrator, one structure, one offer type.
create table habilitation (
    id                uuid primary key,
    structure_id      uuid not null references structure (id),
    person_id         uuid not null references person (id),
    offer             text not null check (offer in ('ORG', 'SERV', 'PRO')),
    ssl_domains       text[] not null default '{}',
    smime_domains     text[] not null default '{}',
    dossier_reference text,
    granted_at        timestamptz not null default now(),
    revoked_at        timestamptz
);
create unique index habilitation_active_uq on habilitation (structure_id, person_id, offer) where revoked_at is null;
create index habilitation_person_idx on habilitation (person_id);
