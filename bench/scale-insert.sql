-- Scale test (issue 10 point 6): bulk-insert :n certificates into the real schema, as copies of one certificate the
-- server issued (same DER size, same product columns), each with its own id, serial, key hash, fingerprint and
-- dates. 10 % belong to the CHU DEMO structures admin-chu manages (its tracking list sees them), 90 % to 5,000
-- other structure ids. 5 % revoked. No audit events or mails are made for these rows.
-- Usage: psql … -v n=1000000 -f bench/scale-insert.sql
\set ON_ERROR_STOP on
create temporary table bench_template as
  select * from certificate where status = 'ACTIVE' and structure_id is not null and der is not null
  order by created_at desc limit 1;
create temporary table bench_structures as
  select id, row_number() over (order by id) - 1 as k from structure
  where id in (select distinct structure_id from certificate where structure_id is not null);
insert into certificate (id, serial_number, ca_name, profile, environment, channel, status, subject, not_before,
                         not_after, der, fingerprint_sha256, public_key_sha256, revoked_at, revocation_reason,
                         created_at, structure_id, offer, usage, service_applicatif, dns_names, actor_email, cc_email,
                         requested_by, revocation_code_hash, terms_accepted_at, key_generated_online, revoked_by)
select gen_random_uuid(),
       ltrim(md5('bench-serial-' || g || '-' || random()::text), '0') || 'b',
       t.ca_name, t.profile, t.environment, 'SYSTEM',
       case when g % 20 = 0 then 'REVOKED' else 'ACTIVE' end,
       t.subject,
       now() - ((g % 1000) || ' days')::interval,
       now() - ((g % 1000) || ' days')::interval + interval '3 years',
       t.der,
       md5('fp-' || g) || md5('fp2-' || g),
       md5('pk-' || g) || md5('pk2-' || g),
       case when g % 20 = 0 then now() - ((g % 500) || ' hours')::interval end,
       case when g % 20 = 0 then 'superseded' end,
       now() - ((g % 1000) || ' days')::interval,
       case when g % 10 = 0 then (select s.id from bench_structures s
                                  where s.k = (g / 10) % (select count(*) from bench_structures))
            else md5('bench-structure-' || (g % 5000))::uuid end,
       t.offer, t.usage, 'SERVICE BENCH ' || (g % 997), t.dns_names, t.actor_email, t.cc_email,
       t.requested_by, t.revocation_code_hash, t.terms_accepted_at, false, null
from generate_series(1, :n) g, bench_template t;
-- settle before measuring: without this, autovacuum of the freshly loaded table and the checkpoint of its
-- dirty pages run during the "after" measurements
vacuum (analyze) certificate;
checkpoint;
