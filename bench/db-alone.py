#!/usr/bin/env python3
"""The database side of an order alone: pgbench replays the order's SQL (bench/db-alone.sql) on the server's own
PostgreSQL, without the server, and the CPU of PostgreSQL and of pgbench is counted per order.

Usage: bench/db-alone.py PGPORT DATA_DIR OUT_DIR     (env: DB_CLIENTS="8 32" DB_DURATION=15)

Run it after an end-to-end load (bench/e2e.sh DBALONE=1 does): the values (certificate DER, subject, mail text,
audit details, card, person, structure) come from a certificate that load issued. Four variants, each a smaller
part of the one before, so the table shows what each part costs:
  order         login, the order's reads, its three inserts and the commit (4 round trips, as the server does)
  transaction   the order's transaction only (no login)
  inserts       only the three inserts and the commit: storing the certificate, its outbox mail and audit event
  inserts x10   the same rows for ten orders per transaction, as multi-row inserts: what a group commit of ten
                orders could save at best
Prints one line per variant and client count:
  DBCSV,variant,clients,transactions/s,orders/s,PostgreSQL CPU ms per order,pgbench CPU ms per order,load
"""
import os
import re
import subprocess
import sys
import threading
import time

TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "db-alone.sql")


def psql(port, sql):
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "postgres", "-AtqX",
                          "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True, text=True)
    return out.stdout.rstrip("\n")


def quoted(value):
    """The value as the inside of an SQL string literal (the template puts the quotes)."""
    return "" if value is None else value.replace("'", "''")


def values(port):
    """Placeholders of bench/db-alone.sql, from the last certificate an API order issued and what came with it."""
    cert = psql(port, "select c.ca_name, c.profile, c.environment, c.channel, c.subject, encode(c.der, 'hex'),"
                      " c.structure_id, c.offer, c.usage, c.service_applicatif, c.actor_email, c.requested_by,"
                      " c.revocation_code_hash, s.id_nat_struct, p.id_nat_ps"
                      " from certificate c join structure s on s.id = c.structure_id"
                      " join person p on p.id = c.requested_by"
                      " where c.channel = 'API' order by c.not_before desc limit 1")
    if not cert:
        sys.exit("db-alone: no certificate ordered through the API in this database; run an order load first")
    keys = ["ca_name", "profile", "environment", "channel", "subject", "der", "structure_id", "offer", "usage",
            "service", "actor_email", "person_id", "revocation_code_hash", "structure", "id_nat_ps"]
    v = dict(zip(keys, cert.split("\t")))
    v["card_fingerprint"] = psql(port, "select fingerprint_sha256 from certificate where profile = 'CPX_AUTH'"
                                       f" and subject like '%CN={quoted(v['id_nat_ps'])},%' limit 1")
    mail = psql(port, "select template, locale, subject, text_body from mail_outbox"
                      " where template = 'certificate-issued' order by id desc limit 1").split("\t", 3)
    v.update(zip(["mail_template", "mail_locale", "mail_subject", "mail_text"], mail))
    v["audit_details"] = psql(port, "select details::text from audit_event where action = 'certificate.issued'"
                                    " order by id desc limit 1") or "{}"
    return {k: quoted(x) for k, x in v.items()}


def parts(v):
    """{part: [statements]} from the template, placeholders filled."""
    out, current = {}, None
    for line in open(TEMPLATE):
        m = re.match(r"-- part: (\w+)", line)
        if m:
            current = out.setdefault(m.group(1), [])
        elif current is not None and line.strip() and not line.startswith("--"):
            current.append(line.strip().format(**v))
    return out


def pipeline(statements):
    return ["\\startpipeline", *statements, "\\endpipeline"]


def ten_rows(insert):
    """insert … values (…) → insert … select … from generate_series(1, 10) g, each row with its own :n."""
    columns, row = insert.rstrip(";").split(" values ", 1)
    return f"{columns} select {row.strip()[1:-1].replace(':n::text', '(:n::text || g::text)')}" \
           " from generate_series(1, 10) g;"


def scripts(p):
    head = ["\\set n random(1, 2000000000)"]
    return {
        "order": (head + pipeline(p["login"]) + pipeline(["BEGIN;"] + p["reads"]) + pipeline(p["inserts"])
                  + ["COMMIT;"], 1),
        "transaction": (head + pipeline(["BEGIN;"] + p["reads"]) + pipeline(p["inserts"]) + ["COMMIT;"], 1),
        "inserts": (head + ["BEGIN;"] + pipeline(p["inserts"]) + ["COMMIT;"], 1),
        "inserts x10": (head + ["BEGIN;"] + pipeline([ten_rows(s) for s in p["inserts"]]) + ["COMMIT;"], 10),
    }


def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12]), int(fields[1])
    except OSError:
        return None, None


def postgres_ticks(postmaster):
    """CPU ticks of the postmaster and every process it started (backends, WAL writer, autovacuum…)."""
    total = 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            t, parent = ticks(pid)
            if t is not None and (int(pid) == postmaster or parent == postmaster):
                total += t
    return total


def run(port, postmaster, script, clients, duration):
    cmd = ["pgbench", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-n", "-M", "prepared",
           "-c", str(clients), "-j", "2", "-T", str(duration), "-f", script, "postgres"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    window = {}

    def measure():  # CPU over the middle of the run: after connections and first plans, before the end
        time.sleep(3)
        a = (postgres_ticks(postmaster), ticks(proc.pid)[0], time.time())
        time.sleep(max(1, duration - 5))
        b = (postgres_ticks(postmaster), ticks(proc.pid)[0], time.time())
        if None not in a + b:
            window.update(pg=b[0] - a[0], bench=b[1] - a[1], seconds=b[2] - a[2])

    t = threading.Thread(target=measure)
    t.start()
    output = proc.communicate()[0]
    t.join()
    m = re.search(r"^tps = ([\d.]+)", output, re.M)
    failed = re.search(r"number of failed transactions: (\d+)", output)
    if not m or (failed and failed.group(1) != "0") or proc.returncode != 0:
        sys.exit(f"db-alone: pgbench failed:\n{output}")
    return float(m.group(1)), window


def main(port, data_dir, out_dir):
    clients = [int(c) for c in os.environ.get("DB_CLIENTS", "8 32").split()]
    duration = int(os.environ.get("DB_DURATION", "15"))
    postmaster = int(open(os.path.join(data_dir, "postgres", "postmaster.pid")).readline())
    for name, (lines, orders) in scripts(parts(values(port))).items():
        script = os.path.join(out_dir, f"db-alone-{name.replace(' ', '')}.sql")
        with open(script, "w") as f:
            f.write("\n".join(lines) + "\n")
        for c in clients:
            tps, window = run(port, postmaster, script, c, duration)
            pg, bench = (ms_per_order(window, part, tps * orders) for part in ("pg", "bench"))
            load = open("/proc/loadavg").read().split()[0]
            print(f"DBCSV,{name},{c},{tps:.1f},{tps * orders:.1f},{pg:.3f},{bench:.3f},{load}", flush=True)


def ms_per_order(window, part, orders_per_second):
    """CPU milliseconds of one part (pg, bench) per order over the measured window; NaN if it was not measured."""
    if not window:
        return float("nan")
    return window[part] / os.sysconf("SC_CLK_TCK") / window["seconds"] / orders_per_second * 1000


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
