#!/usr/bin/env bash
# Mixed load (issue 11 §5): one OpenIGC process (embedded PostgreSQL, demo data) and, in a second process on
# loopback, bench/load/LoadTest.java — orders, tracking, OCSP, CertDC deposits — for DURATION seconds, 0 errors
# expected. Every SAMPLE seconds the server's live heap is measured right after a full GC (jcmd GC.class_histogram):
# memory is stable when those samples do not grow. Never part of the test run.
# Usage: bench/load.sh   (env: DURATION=600 THREADS=4 SAMPLE=60 HEAP=512m OUT=/tmp/openigc-load)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"; JCMD="$JAVA_HOME/bin/jcmd"
DURATION=${DURATION:-600}; THREADS=${THREADS:-4}; SAMPLE=${SAMPLE:-60}; HEAP=${HEAP:-512m}
OUT=${OUT:-/tmp/openigc-load}; DATA=$OUT/data
HTTP_PORT=${HTTP_PORT:-28080}; TLS_PORT=${TLS_PORT:-28443}
mkdir -p "$OUT"; rm -rf "$DATA" "$OUT/heap.csv"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; }
trap cleanup EXIT

[ -f openigc-server/target/openigc.jar ] || ./openigc build
if [ ! -s "$OUT/cp.txt" ]; then
  ./mvnw -B -q -pl openigc-server dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
fi

echo "== machine: nproc=$(nproc), $("$JAVA" -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== starting OpenIGC (-Xmx$HEAP, embedded PostgreSQL, demo data)"
"$JAVA" -Xmx$HEAP ${OPENIGC_JAVA_OPTS:-} -jar openigc-server/target/openigc.jar --openigc.data-dir="$DATA" \
  --server.port=$TLS_PORT --openigc.http-port=$HTTP_PORT --openigc.http-base-url=http://127.0.0.1:$HTTP_PORT \
  --openigc.ca.root-algorithm=EC_P256 > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/actuator/health" >/dev/null 2>&1 && break
  kill -0 $SERVER_PID 2>/dev/null || { echo "server died"; tail -50 "$OUT/server.log"; exit 1; }
  sleep 1
done

# Live heap: GC.class_histogram runs a full GC and counts what survived in the same pause (no allocation between
# the GC and the reading, unlike GC.run followed by GC.heap_info under load).
heap_after_gc() {
  "$JCMD" $SERVER_PID GC.class_histogram | awk '/^Total/ {printf "%d", $3 / 1024}'
}

echo "== load: $DURATION s, $THREADS threads (client: bench/load/LoadTest.java)"
echo "t_s,heap_used_after_full_gc_kb" > "$OUT/heap.csv"
echo "0,$(heap_after_gc)" >> "$OUT/heap.csv"
"$JAVA" -cp "$(cat "$OUT/cp.txt")" bench/load/LoadTest.java "https://localhost:$TLS_PORT" \
  "http://127.0.0.1:$HTTP_PORT" "$DATA" "$DURATION" "$THREADS" > "$OUT/client.log" 2>&1 &
CLIENT_PID=$!
START=$(date +%s)
while kill -0 $CLIENT_PID 2>/dev/null; do
  sleep "$SAMPLE"
  kill -0 $CLIENT_PID 2>/dev/null || break
  echo "$(( $(date +%s) - START )),$(heap_after_gc)" >> "$OUT/heap.csv"
done
set +e; wait $CLIENT_PID; RC=$?; set -e
echo "$(( $(date +%s) - START )),$(heap_after_gc)" >> "$OUT/heap.csv"

cat "$OUT/client.log"
echo "== heap after full GC (KB)"; cat "$OUT/heap.csv"
echo "== server: $(grep -c ' ERROR ' "$OUT/server.log" || true) ERROR lines in the log; RSS $(ps -o rss= -p $SERVER_PID) KB; load $(cut -d' ' -f1-3 /proc/loadavg)"
exit $RC
