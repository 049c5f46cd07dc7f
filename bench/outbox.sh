#!/usr/bin/env bash
# Mail outbox sender throughput: starts the server (demo mode: embedded PostgreSQL, mails to the embedded GreenMail),
# inserts N due mails into mail_outbox in one transaction and waits until every one is SENT.
# Usage: bench/outbox.sh   (env: N=2000 OUT=/tmp/openigc-bench JAR=path/to/openigc.jar (A/B of two builds)
#        JFR=1 (record a profile of the server into $OUT/server-outbox.jfr))
# Prints OUTBOXCSV,n,seconds,mails_per_s,server_cpu_ms_per_mail,postgres_cpu_ms_per_mail (seconds: from the first
# to the last sent_at; CPU: server JVM and PostgreSQL processes between the insert and the last SENT).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
OUT=${OUT:-/tmp/openigc-bench}; DATA=$OUT/data-outbox; N=${N:-2000}
HTTP_PORT=${HTTP_PORT:-19081}; TLS_PORT=${TLS_PORT:-19444}
mkdir -p "$OUT"; rm -rf "$DATA"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; }
trap cleanup EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }

JFR_OPTS=""
[ "${JFR:-0}" = 1 ] && JFR_OPTS="-XX:StartFlightRecording=filename=$OUT/server-outbox.jfr,settings=profile,jdk.ExecutionSample#period=5ms"
echo "== starting OpenIGC (load $(load))"
# the sweep every second stands in for the wake-up after each order's commit that a real load gives
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $JFR_OPTS ${OPENIGC_JAVA_OPTS:-} -jar "${JAR:-openigc-server/target/openigc.jar}" --openigc.data-dir="$DATA" \
  --server.port=$TLS_PORT --openigc.http-port=$HTTP_PORT --openigc.http-base-url=http://127.0.0.1:$HTTP_PORT \
  --openigc.mail.poll-interval=1s > "$OUT/server-outbox.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do grep -q "event=demo-ready" "$OUT/server-outbox.log" && grep -q "Started OpenIgcApplication" "$OUT/server-outbox.log" && break; sleep 1; done
PGPORT=$(grep -o 'embedded-postgres-started.*port=[0-9]*' "$OUT/server-outbox.log" | grep -o '[0-9]*$')
PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq)
PG_PIDS=$(pgrep -f "postgres -D $DATA" || true)
ticks() { local sum=0 p; for p in "$@"; do sum=$((sum + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$sum"; }
pg_pids() { local p; for p in $PG_PIDS; do echo "$p"; pgrep -P "$p" || true; done; }

# wait for the demo's own mails to be sent, so only the inserted ones are timed
until [ "$("${PSQL[@]}" -c "select count(*) from mail_outbox where status = 'PENDING'")" = 0 ]; do sleep 1; done
BASE=$("${PSQL[@]}" -c "select coalesce(max(id), 0) from mail_outbox")
s0=$(ticks "$SERVER_PID"); p0=$(ticks $(pg_pids))
echo "== inserting $N due mails (load $(load))"
"${PSQL[@]}" -c "insert into mail_outbox (created_at, template, locale, subject, text_body, to_addresses, status,
    next_attempt_at, message_id)
  select now(), 'certificate-issued', 'fr', '[OpenIGC] Certificat émis ' || i,
         repeat('Bonjour, votre certificat a été émis. ', 15) || i, array['bench-' || (i % 50) || '@example.org'],
         'PENDING', now(), '<bench-' || i || '-' || gen_random_uuid() || '@openigc.localhost>'
  from generate_series(1, $N) i"
until [ "$("${PSQL[@]}" -c "select count(*) from mail_outbox where id > $BASE and status <> 'SENT'")" = 0 ]; do sleep 0.5; done
s1=$(ticks "$SERVER_PID"); p1=$(ticks $(pg_pids))
[ "${JFR:-0}" = 1 ] && "$JAVA_HOME/bin/jcmd" "$SERVER_PID" JFR.dump filename="$OUT/server-outbox.jfr" >/dev/null
SECONDS_TAKEN=$("${PSQL[@]}" -c "select extract(epoch from max(sent_at) - min(sent_at)) from mail_outbox where id > $BASE")
RESENT=$("${PSQL[@]}" -c "select count(*) from mail_outbox where id > $BASE and (attempts <> 1 or resent_in_doubt <> 0)")
awk -v n="$N" -v t="$SECONDS_TAKEN" -v s=$((s1 - s0)) -v p=$((p1 - p0)) -v hz="$(getconf CLK_TCK)" \
  'BEGIN { printf "OUTBOXCSV,%d,%.2f,%.0f,%.2f,%.2f\n", n, t, (n - 1) / t, s * 1000 / hz / n, p * 1000 / hz / n }'
echo "mails tried more than once or in doubt: $RESENT (load $(load))"
