#!/usr/bin/env bash
# Every benchmark of issue 10 (and the OCSP/CRL one of issue 5) in one command, then rewrites the generated section
# of docs/benchmarks.md (between the BEGIN/END GENERATED markers; the rest of the file is kept).
#   bench/run.sh                      # full run (≈ 25-45 min on the shared 2-core machine); the RSA-3072
#                                     # end-to-end run also measures the floor of the stack (e2e.sh FLOOR=1) and
#                                     # the order's database work alone (DBALONE=1, pgbench)
# env: OUT=/tmp/openigc-bench  SKIP_BUILD=1  SKIP="ocsp jmh"  SCALE=1000000  CLIENTS=32  WARMUP=40  DURATION=30
# Needs: JDK 21+ (Temurin 25), openssl, psql, pgbench (postgresql-15), curl, python3, bc, wrk, ab (apache2-utils),
# cfssl (golang-cfssl).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
export OUT=${OUT:-/tmp/openigc-bench}
SKIP=${SKIP:-}
export SCALE=${SCALE:-1000000} CLIENTS=${CLIENTS:-32} WARMUP=${WARMUP:-40} DURATION=${DURATION:-30}
skip() { [[ " $SKIP " == *" $1 "* ]]; }
rm -rf "$OUT"; mkdir -p "$OUT"
exec > >(tee "$OUT/run.log") 2>&1

for tool in openssl psql pgbench curl python3 bc wrk ab cfssl; do
  command -v "$tool" >/dev/null \
    || { echo "missing $tool (apt-get install -y postgresql-client postgresql-15 wrk apache2-utils golang-cfssl bc)"; exit 1; }
done
load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg)"; }
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)$(git diff --quiet || echo '+local changes')"
  echo "machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
  echo "software: $("$JAVA" -version 2>&1 | head -1); $(openssl version | cut -d' ' -f1-2); cfssl $(cfssl version 2>/dev/null | head -1 | awk '{print $2}'); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "$(load) at start; other tenants share the 2 cores (see the load average of each figure)"
} | tee "$OUT/machine.txt"

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "== build (server jar + bench jar)"
  ./mvnw -B -q -DskipTests -Dmaven.javadoc.skip=true install -pl openigc-server,bench -am
fi

echo "== CSRs (P-256, one key each), made once for every run below"
$JAVA --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar org.openigc.bench.IssuanceLoad \
  csrs "$OUT/csr-p256.pem" "${CSR_COUNT:-150000}" EC_P256 2>/dev/null

if ! skip jmh; then
  echo "== JMH: raw sign/verify per provider, core issuance, openssl speed ($(load))"
  OUT=$OUT/jmh bench/jmh.sh
  echo "== core issuance vs raw limit per CPU-second of the thread (CpuRate) ($(load))"
  for pair in ${CPU_PAIRS:-"EC_P256:EC_P256"}; do
    # warm-up 4 CPU-s per operation (8 for the issuance), then rounds of 2 CPU-s each
    $JAVA --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar org.openigc.bench.CpuRate \
      "${pair%%:*}" "${pair##*:}" "${CPU_WARMUP:-4}" "${CPU_MEASURE:-2}" "${CPU_ROUNDS:-2}" 2>/dev/null \
      | tee -a "$OUT/jmh/cpurate.txt"
  done
fi

if ! skip e2e; then
  echo "== end-to-end, P-256 issuing CAs, JFR profile, then scale to $SCALE ($(load))"
  JFR=1 bench/e2e.sh EC_P256
fi
if ! skip peers; then
  echo "== peers, P-256 ($(load))"
  bench/peers.sh EC_P256 | tee "$OUT/peers-EC_P256.txt"
fi
if ! skip e2e; then
  echo "== end-to-end, RSA-3072 issuing CAs ($(load))"
  SCALE=0 FLOOR=1 DBALONE=1 bench/e2e.sh RSA_3072
fi
if ! skip peers; then
  echo "== peers, RSA-3072 ($(load))"
  bench/peers.sh RSA_3072 | tee "$OUT/peers-RSA_3072.txt"
fi
if ! skip ocsp; then
  echo "== OCSP and CRL (bench/ocsp.sh) ($(load))"
  OUT=$OUT/ocsp HTTP_PORT=18080 TLS_PORT=18443 DURATION=${OCSP_DURATION:-10} AB_N=${OCSP_AB_N:-30000} \
    SAMPLE=${OCSP_SAMPLE:-300} bench/ocsp.sh
fi
if [ -f "$OUT/server-EC_P256.jfr" ]; then
  python3 bench/jfr-summary.py "$JAVA_HOME/bin/jfr" "$OUT/server-EC_P256.jfr" > "$OUT/jfr-EC_P256.txt" || true
fi
echo "== report ($(load))"
python3 bench/report.py "$OUT" docs/benchmarks.md
mkdir -p docs/bench-logs
cp "$OUT/run.log" docs/bench-logs/run-latest.txt
[ -f "$OUT/jfr-EC_P256.txt" ] && cp "$OUT/jfr-EC_P256.txt" docs/bench-logs/jfr-e2e-EC_P256-latest.txt
echo "done: docs/benchmarks.md rewritten (generated section), logs in $OUT"
