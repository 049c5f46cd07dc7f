-- Habilitation dossiers (digital form 413): what the legal representative or mandataire signed, its state, and its
-- history. What an approved dossier grants lives in the registry's `habilitation` table (written through
-- RegistryService.grantHabilitation, never here). Values are validated by the application; the checks below only
-- keep shapes honest if someone writes SQL by hand.

-- References 413-<year>-<6 digits>: one sequence, never reset, so a reference is never given twice.
create sequence habilitation_dossier_seq start with 1 increment by 1;

create table habilitation_dossier (
    id                      uuid primary key,
    reference               text not null unique check (reference ~ '^413-[0-9]{4}-[0-9]{6,}$'),
    status                  text not null check (status in ('SUBMITTED', 'ACKNOWLEDGED', 'APPROVED', 'REJECTED',
                                                            'INFORMATION_REQUESTED')),
    structure_id            uuid not null references structure (id),
    submitted_by            uuid not null references person (id),
    -- 3.1 structure, as declared
    structure_name          text not null,
    finess                  text,
    siret                   text,
    rpps_rang               text,
    additional_rpps_rangs   text[] not null default '{}',
    -- 3.2 signatory
    signatory_role          text not null check (signatory_role in ('LEGAL_REPRESENTATIVE', 'MANDATAIRE', 'CABINET_HOLDER')),
    signatory_last_name     text not null,
    signatory_first_names   text not null,
    signatory_phone         text not null,
    signatory_email         text not null,
    signatory_card_number   text not null,
    -- 4.2 usage
    usage_description       text not null,
    usage_editor            text,
    usage_solution          text,
    usage_version           text,
    -- 4.3 offers and their sub-fields
    offers                  text[] not null check (cardinality(offers) > 0 and offers <@ array['ORG', 'SERV', 'PRO']),
    ssl_domains             text[] not null default '{}',
    ssl_server_name         text,
    smime_domains           text[] not null default '{}',
    pro_mail_domains        text[] not null default '{}',
    -- workflow
    submitted_at            timestamptz not null,       -- first submission
    acknowledged_at         timestamptz,                -- last (re)submission acknowledged: the queue's age runs from here
    resubmissions           integer not null default 0,
    decided_at              timestamptz,
    decided_by              uuid references person (id),
    rejection_reason        text,
    information_request     text,
    updated_at              timestamptz not null,
    check ((finess is not null)::int + (siret is not null)::int + (rpps_rang is not null)::int = 1)
);
-- The operator queue: pending dossiers, oldest first; filters by structure.
create index habilitation_dossier_queue_idx on habilitation_dossier (status, acknowledged_at, id);
create index habilitation_dossier_structure_idx on habilitation_dossier (structure_id);
create index habilitation_dossier_submitter_idx on habilitation_dossier (submitted_by, submitted_at desc);

-- 4.1 technical administrators, in the order of the form.
create table habilitation_dossier_administrator (
    dossier_id   uuid not null references habilitation_dossier (id) on delete cascade,
    position     integer not null check (position >= 0),
    card_number  text not null check (card_number ~ '^[0-9]{10}$'),
    last_name    text not null,
    first_name   text not null,
    phone        text not null,
    email        text not null,
    primary key (dossier_id, position),
    unique (dossier_id, card_number)
);
-- An administrator sees the dossiers naming its card.
create index habilitation_dossier_administrator_card_idx on habilitation_dossier_administrator (card_number);

-- Every transition of a dossier, shown on its page (the audit trail has them too, chained).
create table habilitation_dossier_history (
    id           bigint generated always as identity primary key,
    dossier_id   uuid not null references habilitation_dossier (id) on delete cascade,
    occurred_at  timestamptz not null,
    from_status  text,
    to_status    text not null,
    actor_id     uuid references person (id),
    actor_name   text not null,
    note         text
);
create index habilitation_dossier_history_idx on habilitation_dossier_history (dossier_id, id);
