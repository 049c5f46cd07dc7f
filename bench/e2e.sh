#!/usr/bin/env bash
# End-to-end issuance load (issue 10 points 4 and 6): POST /api/v1/certificates over HTTPS with keep-alive from a
# second process (bench IssuanceLoad), against the server started on the embedded PostgreSQL with demo data.
# Usage: bench/e2e.sh EC_P256|RSA_3072   (env: OUT=/tmp/openigc-bench CLIENTS=32 WARMUP=10 DURATION=30
#        JFR=1 (record a profile) SCALE=1000000 (then bulk-insert that many rows and measure again + list latency)
#        JAR=path/to/openigc.jar (another build, for A/B runs in one time window)
#        FLOOR=1 (then the floor of the stack: the same clients repeating GET /api/v1/me/notification-preferences,
#                 GET /api/v1/me and GET /ca/prod-root.crt)
#        DBALONE=1 (then the order's database work alone: pgbench on this server's PostgreSQL, bench/db-alone.py))
# Prints E2ECSV / FLOORCSV / DBCSV / LISTCSV / SCALECSV lines (parsed by bench/run.sh); E2ECSV and FLOORCSV end with the
# CPU per request of the measured window: server, PostgreSQL, load generator (ms).
set -euo pipefail
cd "$(dirname "$0")/.."
ALG=${1:-EC_P256}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
OUT=${OUT:-/tmp/openigc-bench}; DATA=$OUT/data-$ALG
CLIENTS=${CLIENTS:-32}; WARMUP=${WARMUP:-10}; DURATION=${DURATION:-30}; SCALE=${SCALE:-0}
HTTP_PORT=${HTTP_PORT:-19080}; TLS_PORT=${TLS_PORT:-19443}
BENCH="$JAVA --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar"
mkdir -p "$OUT"; rm -rf "$DATA"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; }
trap cleanup EXIT
load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg)"; }

CSRS=$OUT/csr-p256.pem
[ -s "$CSRS" ] || $BENCH org.openigc.bench.IssuanceLoad csrs "$CSRS" "${CSR_COUNT:-120000}" EC_P256 2>/dev/null

JFR_OPTS=""
[ "${JFR:-0}" = 1 ] && JFR_OPTS="-XX:StartFlightRecording=filename=$OUT/server-$ALG.jfr,settings=profile,jdk.ExecutionSample#period=5ms -XX:FlightRecorderOptions=stackdepth=256"
echo "== starting OpenIGC, issuing CAs $ALG ($(load))"
# shellcheck disable=SC2086
"$JAVA" $JFR_OPTS ${OPENIGC_JAVA_OPTS:-} -jar "${JAR:-openigc-server/target/openigc.jar}" --openigc.data-dir="$DATA" \
  --server.port=$TLS_PORT --openigc.http-port=$HTTP_PORT --openigc.http-base-url=http://127.0.0.1:$HTTP_PORT \
  --openigc.ca.intermediate-algorithm="$ALG" > "$OUT/server-$ALG.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do grep -q "event=demo-ready" "$OUT/server-$ALG.log" && grep -q "Started OpenIgcApplication" "$OUT/server-$ALG.log" && break; sleep 1; done
PGPORT=$(grep -o 'embedded-postgres-started.*port=[0-9]*' "$OUT/server-$ALG.log" | grep -o '[0-9]*$')
PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq)
curl -s http://127.0.0.1:$HTTP_PORT/ca/prod-root.crt | openssl x509 -inform DER -out "$OUT/root-$ALG.pem"
curl -s http://127.0.0.1:$HTTP_PORT/ca/prod-organisations.crt | openssl x509 -inform DER -noout -text \
  | grep -m1 "Public Key Algorithm\|Public-Key" | sed 's/^ */issuing CA key: /'
COMMON=(url=https://localhost:$TLS_PORT card="$DATA/demo/admin-chu.p12" root="$OUT/root-$ALG.pem" csrs="$CSRS"
        serverPid=$SERVER_PID)
pg_pids() { # the embedded PostgreSQL's postmaster and its processes, comma-separated (CPU per request)
  local pm; pm=$(pgrep -f "postgres -D $DATA" | head -1 || true)
  [ -n "$pm" ] && echo "$pm $(pgrep -P "$pm" | tr '\n' ' ')" | xargs | tr ' ' ','
}
run_load() { # label skip clients
  $BENCH org.openigc.bench.IssuanceLoad issue "${COMMON[@]}" pgPids="$(pg_pids)" label="$1" skip="$2" clients="$3" \
    warmup="$WARMUP" duration="$DURATION" 2>/dev/null
}
echo "== load: $CLIENTS clients, warm-up ${WARMUP}s, ${DURATION}s measured ($(load))"
run_load "$ALG" 0 "$CLIENTS" | tee "$OUT/e2e-$ALG.txt"
USED=$(grep E2ECSV "$OUT/e2e-$ALG.txt" | tail -1 | awk -F, '{print $12}')
if [ "${CLIENTS_SWEEP:-}" != "" ]; then
  for c in $CLIENTS_SWEEP; do
    run_load "$ALG-c$c" "$USED" "$c" | tee -a "$OUT/e2e-$ALG.txt"
    USED=$(grep E2ECSV "$OUT/e2e-$ALG.txt" | tail -1 | awk -F, '{print $12}')
  done
fi
if [ "${FLOOR:-0}" = 1 ]; then
  for path in /api/v1/me/notification-preferences /api/v1/me /ca/prod-root.crt; do
    $BENCH org.openigc.bench.IssuanceLoad get "${COMMON[@]}" pgPids="$(pg_pids)" label="floor-$ALG-$path" path="$path" \
      clients="$CLIENTS" warmup="$WARMUP" duration="$DURATION" 2>/dev/null | tee -a "$OUT/e2e-$ALG.txt"
  done
fi
if [ "${DBALONE:-0}" = 1 ]; then
  echo "== the order's database work alone: pgbench, no server ($(load))"
  python3 bench/db-alone.py "$PGPORT" "$DATA" "$OUT" | tee -a "$OUT/e2e-$ALG.txt"
fi
"${PSQL[@]}" -c "select 'ROWS,' || (select count(*) from certificate) || ',' || (select count(*) from audit_event) || ',' || (select count(*) from mail_outbox)" | tee -a "$OUT/e2e-$ALG.txt"
[ "${JFR:-0}" = 1 ] && "$JAVA_HOME/bin/jcmd" "$SERVER_PID" JFR.dump filename="$OUT/server-$ALG.jfr" >/dev/null

list() { # label query
  $BENCH org.openigc.bench.IssuanceLoad list url=https://localhost:$TLS_PORT card="$DATA/demo/admin-chu.p12" \
    root="$OUT/root-$ALG.pem" label="$1" query="$2" n=30 2>/dev/null
}
if [ "$SCALE" -gt 0 ]; then
  list "before" "?size=50" | tee -a "$OUT/e2e-$ALG.txt"
  SIZE0=$("${PSQL[@]}" -c "select pg_database_size(current_database())"); N0=$("${PSQL[@]}" -c "select count(*) from certificate")
  echo "== bulk insert of $SCALE certificates (generate_series, copies of real issued rows; $(load))"
  T0=$(date +%s.%N)
  "${PSQL[@]}" -f bench/scale-insert.sql -v n="$SCALE"
  T1=$(date +%s.%N)
  SIZE1=$("${PSQL[@]}" -c "select pg_database_size(current_database())"); N1=$("${PSQL[@]}" -c "select count(*) from certificate")
  TABLE=$("${PSQL[@]}" -c "select pg_total_relation_size('certificate')")
  echo "SCALECSV,$N0,$N1,$SIZE0,$SIZE1,$TABLE,$(echo "$T1 - $T0" | bc)" | tee -a "$OUT/e2e-$ALG.txt"
  list "after" "?size=50" | tee -a "$OUT/e2e-$ALG.txt"
  list "after-q" "?size=50&q=DMP" | tee -a "$OUT/e2e-$ALG.txt"
  list "after-expiring" "?size=50&expiringWithinDays=30" | tee -a "$OUT/e2e-$ALG.txt"
  echo "== load after $SCALE rows ($(load))"
  run_load "$ALG-after-$SCALE" "$USED" "$CLIENTS" | tee -a "$OUT/e2e-$ALG.txt"
fi
echo "server RSS now: $(grep VmRSS /proc/$SERVER_PID/status | awk '{print int($2/1024)}') MB ($(load))"
