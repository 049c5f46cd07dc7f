-- Mail outbox: every mail is rendered and stored in the transaction of the change that causes it, then sent after
-- commit (and by a periodic sweep) with retries. Rows are claimed with FOR UPDATE SKIP LOCKED, so two nodes never
-- send the same mail.

create table mail_outbox (
    id                  bigserial primary key,
    created_at          timestamptz not null,
    template            text not null,
    locale              text not null,
    subject             text not null,
    text_body           text not null,
    html_body           text,
    to_addresses        text[] not null,
    cc_addresses        text[] not null default '{}',
    status              text not null default 'PENDING' check (status in ('PENDING', 'SENT', 'FAILED')),
    -- every try, including those that never reached an SMTP server
    attempts            integer not null default 0,
    -- tries that the SMTP server answered with a temporary refusal (4xx): after openigc.mail.max-rejections, FAILED
    rejections          integer not null default 0,
    -- due time; a claimed row is pushed one lease ahead, so a node dying mid-send leaves it due again later
    next_attempt_at     timestamptz not null,
    last_error          text,
    -- recipients that accepted the mail, and those refused for good: a retry goes only to the others
    delivered_addresses text[] not null default '{}',
    rejected_addresses  text[] not null default '{}',
    message_id          text not null,
    sent_at             timestamptz
);

create index mail_outbox_due_idx on mail_outbox (next_attempt_at, id) where status = 'PENDING';
create index mail_outbox_sent_at_idx on mail_outbox (sent_at) where status = 'SENT';

-- Addresses a mail could not reach (refused by SMTP, or still failing after every retry). Cleared when a later mail
-- to the same address is accepted. structure_id is for the features that know which structure the address belongs to.
create table undeliverable_address (
    address      text primary key,      -- lower case
    first_seen   timestamptz not null,
    last_seen    timestamptz not null,
    last_error   text not null,
    structure_id uuid
);

create index undeliverable_address_structure_idx on undeliverable_address (structure_id) where structure_id is not null;
