-- Outbox delivery across a crash. A mail is claimed one at a time, and the claim records that a send is starting
-- (sending_since); the result of the attempt clears it. A claim that finds sending_since still set takes over an
-- attempt that never recorded its result (the node died, or lost the database, while talking to SMTP): the SMTP
-- server may already have accepted that mail, so this send may be a second copy (same Message-ID). Such resends
-- are counted here, so every possible duplicate is known, and is one the platform could not avoid.
alter table mail_outbox
    add column sending_since    timestamptz,
    add column resent_in_doubt  integer not null default 0;
