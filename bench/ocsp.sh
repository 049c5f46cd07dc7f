#!/usr/bin/env bash
# OCSP benchmark (issue 5 point 4): OpenIGC vs `openssl ocsp -index … -port` in the same run, plus CRL 1M entries.
# Needs: wrk, ab (apache2-utils), openssl, psql; a built openigc.jar and bench/target/benchmarks.jar.
# Usage: bench/ocsp.sh            (env: DURATION=15 CONNS=64 AB_N=50000 AB_C=32 SAMPLE=1000 OUT=/tmp/ocsp-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"
OUT=${OUT:-/tmp/ocsp-bench}; DATA=$OUT/data
DURATION=${DURATION:-15}; CONNS=${CONNS:-64}; THREADS=${THREADS:-2}
AB_N=${AB_N:-50000}; AB_C=${AB_C:-32}; SAMPLE=${SAMPLE:-1000}
HTTP_PORT=${HTTP_PORT:-18080}; TLS_PORT=${TLS_PORT:-18443}; OSSL_PORT=${OSSL_PORT:-18888}
ISSUED=${ISSUED:-100000}; REVOKED=${REVOKED:-10000}; CA=${CA:-test-organisations}
mkdir -p "$OUT"; rm -rf "$DATA" "$OUT/wrk-conns.txt"
SERVER_PID=""; OSSL_PID=""
cleanup() { [ -n "$OSSL_PID" ] && kill "$OSSL_PID" 2>/dev/null || true; [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; }
trap cleanup EXIT

load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg), cpu pressure $(head -1 /proc/pressure/cpu 2>/dev/null | cut -d' ' -f2-3)"; }
echo "== machine: nproc=$(nproc) $("$JAVA" -version 2>&1 | head -1) | $(openssl version) | $(load)"
echo "== starting OpenIGC (embedded PostgreSQL, demo data)"
"$JAVA" ${OPENIGC_JAVA_OPTS:-} -jar openigc-server/target/openigc.jar --openigc.data-dir="$DATA" \
  --server.port=$TLS_PORT --openigc.http-port=$HTTP_PORT --openigc.http-base-url=http://127.0.0.1:$HTTP_PORT \
  > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 120); do grep -q "Started OpenIgcApplication" "$OUT/server.log" && break; sleep 1; done
PGPORT=$(grep -o 'embedded-postgres-started.*port=[0-9]*' "$OUT/server.log" | grep -o '[0-9]*$')
PSQL=(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq)

echo "== seeding $ISSUED issued ($REVOKED revoked) certificates for $CA"
T0=$(date +%s.%N)
"${PSQL[@]}" <<SQL
insert into certificate (id, serial_number, ca_name, profile, environment, channel, status, subject,
                         not_before, not_after, public_key_sha256, revoked_at, revocation_reason)
select gen_random_uuid(),
       ltrim(md5(random()::text || g::text) || substr(md5(g::text), 1, 8), '0'),
       '$CA', 'ORG_AUTH_CLI', 'TEST', 'SYSTEM',
       case when g <= $REVOKED then 'REVOKED' else 'ACTIVE' end,
       'CN=bench ' || g, now() - interval '1 day', now() + interval '3 years', md5(g::text),
       case when g <= $REVOKED then now() - (g || ' seconds')::interval end,
       case when g <= $REVOKED then 'KEY_COMPROMISE' end
from generate_series(1, $ISSUED) g;
analyze certificate;
SQL
echo "seeded in $(echo "$(date +%s.%N) - $T0" | bc) s"

echo "== CA, responder and OCSP requests"
"${PSQL[@]}" -c "select encode(der,'base64') from ca_certificate where name='$CA'" | base64 -d > "$OUT/ca.der"
openssl x509 -inform DER -in "$OUT/ca.der" -out "$OUT/ca.pem"
rm -rf "$OUT/req"; mkdir -p "$OUT/req"
# a sample of serials, half revoked; the same files go to both servers
"${PSQL[@]}" -F ' ' -c "(select serial_number from certificate where ca_name='$CA' and status='REVOKED' order by random() limit $((SAMPLE/2)))
   union all (select serial_number from certificate where ca_name='$CA' and status='ACTIVE' order by random() limit $((SAMPLE/2)))" > "$OUT/serials.txt"
i=0
while read -r s && [ $i -lt "$SAMPLE" ]; do
  openssl ocsp -issuer "$OUT/ca.pem" -serial "0x$s" -no_nonce -reqout "$OUT/req/$i.der" >/dev/null 2>&1
  i=$((i+1))
done < "$OUT/serials.txt"
echo "$i request files"
# openssl gets the same 100k rows as an index.txt (V valid, R revoked) under its own P-256 CA and delegated
# responder (it cannot sign for OpenIGC's CA without its key); the request files are rebuilt against that CA for
# the same serial sample, so both servers answer the same statuses for requests of the same size.
openssl ecparam -name prime256v1 -genkey -noout -out "$OUT/ossl-ca.key" 2>/dev/null
openssl req -x509 -new -key "$OUT/ossl-ca.key" -subj "/C=FR/O=BENCH/CN=openssl bench CA" -days 30 -out "$OUT/ossl-ca.pem" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$OUT/ossl-rsp.key" 2>/dev/null
openssl req -new -key "$OUT/ossl-rsp.key" -subj "/C=FR/O=BENCH/CN=openssl bench OCSP" -out "$OUT/ossl-rsp.csr" 2>/dev/null
printf 'extendedKeyUsage=OCSPSigning\n' > "$OUT/ossl-rsp.ext"
openssl x509 -req -in "$OUT/ossl-rsp.csr" -CA "$OUT/ossl-ca.pem" -CAkey "$OUT/ossl-ca.key" -CAcreateserial -days 30 \
  -extfile "$OUT/ossl-rsp.ext" -out "$OUT/ossl-rsp.pem" 2>/dev/null
"${PSQL[@]}" -F $'\t' -c "select case when status='REVOKED' then 'R' else 'V' end,
   to_char(not_after at time zone 'UTC','YYMMDDHH24MISS') || 'Z',
   case when status='REVOKED' then to_char(revoked_at at time zone 'UTC','YYMMDDHH24MISS') || 'Z,keyCompromise' else '' end,
   upper(case when length(serial_number) % 2 = 1 then '0' || serial_number else serial_number end), 'unknown', subject
   from certificate where ca_name='$CA'" > "$OUT/index.txt"
echo "index.txt: $(wc -l < "$OUT/index.txt") lines"
rm -rf "$OUT/oreq"; mkdir -p "$OUT/oreq"
i=0
while read -r s && [ $i -lt "$SAMPLE" ]; do
  openssl ocsp -issuer "$OUT/ossl-ca.pem" -serial "0x$s" -no_nonce -reqout "$OUT/oreq/$i.der" >/dev/null 2>&1
  i=$((i+1))
done < "$OUT/serials.txt"

# sanity: one good, one revoked from each server
curl -s --data-binary @"$OUT/req/0.der" -H 'Content-Type: application/ocsp-request' http://127.0.0.1:$HTTP_PORT/ocsp -o "$OUT/r0.der"
openssl ocsp -respin "$OUT/r0.der" -resp_text -noverify 2>/dev/null | grep -m1 "Cert Status" || true

echo "== warm-up OpenIGC (sign and cache every sampled answer once)"
for f in "$OUT"/req/*.der; do
  curl -s --data-binary @"$f" -H 'Content-Type: application/ocsp-request' http://127.0.0.1:$HTTP_PORT/ocsp -o /dev/null
done

# wrk lua: rotate the request bodies
cat > "$OUT/rotate.lua" <<LUA
local bodies = {}
local n = 0
for i = 0, $SAMPLE - 1 do
  local f = io.open("$OUT/req/" .. i .. ".der", "rb")
  if f then n = n + 1; bodies[n] = f:read("*all"); f:close() end
end
local i = 0
request = function()
  i = (i % n) + 1
  return wrk.format("POST", "/ocsp", {["Content-Type"] = "application/ocsp-request"}, bodies[i])
end
done = function(summary, latency, requests)
  io.write(string.format("WRKCSV,%d,%.1f,%.3f,%.3f,%.3f,%d,%d\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
echo "== (a) OpenIGC, wrk keep-alive: -t$THREADS -c$CONNS -d${DURATION}s"
wrk -t"$THREADS" -c"$CONNS" -d5s -s "$OUT/rotate.lua" http://127.0.0.1:$HTTP_PORT/ocsp > /dev/null  # JIT warm-up
wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$OUT/rotate.lua" http://127.0.0.1:$HTTP_PORT/ocsp | tee "$OUT/wrk.txt"
for c in 8 16 32; do
  echo "-- wrk -c$c"; wrk -t"$THREADS" -c$c -d"${DURATION}s" -s "$OUT/rotate.lua" http://127.0.0.1:$HTTP_PORT/ocsp | grep WRKCSV | sed "s/^/c=$c /" | tee -a "$OUT/wrk-conns.txt"
done

ab_parse() { # label
  local rps p50 p99 non2xx
  rps=$(awk '/Requests per second/ {print $4}' "$OUT/ab-$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/ab-$1.txt"); p99=$(awk '$1=="99%" {print $2}' "$OUT/ab-$1.txt")
  non2xx=$(awk '/Non-2xx/ {print $3}' "$OUT/ab-$1.txt"); echo "ABCSV,$1,$rps,$p50,$p99,${non2xx:-0}"
}
ab_run() { # label url file
  ab -q -r -n "$AB_N" -c "$AB_C" -p "$3" -T application/ocsp-request "$2" > "$OUT/ab-$1.txt" 2>&1 || true
  ab_parse "$1"
}
echo "== (b) OpenIGC, ab without keep-alive: -n $AB_N -c $AB_C"
ab -q -n 5000 -c "$AB_C" -p "$OUT/req/1.der" -T application/ocsp-request http://127.0.0.1:$HTTP_PORT/ocsp > /dev/null 2>&1 || true
ab_run openigc http://127.0.0.1:$HTTP_PORT/ocsp "$OUT/req/1.der" | tee "$OUT/ab-openigc.csv"

echo "== (c) openssl ocsp -index (loopback), ab with the same parameters"
# openssl 3.0's -port takes a number and listens on every interface: run it and its ab client in a private
# network namespace that has only a loopback interface.
cat > "$OUT/ossl-run.sh" <<SH
ip link set lo up
openssl ocsp -index "$OUT/index.txt" -port $OSSL_PORT -rsigner "$OUT/ossl-rsp.pem" -rkey "$OUT/ossl-rsp.key" \
  -CA "$OUT/ossl-ca.pem" -nmin 60 > "$OUT/openssl-ocsp.log" 2>&1 &
P=\$!
sleep 2
curl -s --data-binary @"$OUT/oreq/1.der" -H 'Content-Type: application/ocsp-request' http://127.0.0.1:$OSSL_PORT/ -o "$OUT/o1.der"
ab -q -r -n "$AB_N" -c "$AB_C" -p "$OUT/oreq/1.der" -T application/ocsp-request http://127.0.0.1:$OSSL_PORT/ > "$OUT/ab-openssl.txt" 2>&1 || true
kill \$P
SH
unshare -n bash "$OUT/ossl-run.sh"
openssl ocsp -respin "$OUT/o1.der" -resp_text -noverify 2>/dev/null | grep -m1 "Cert Status" || true
ab_parse openssl | tee "$OUT/ab-openssl.csv"

echo "== OpenIGC again with ab (order effect check)"
ab_run openigc2 http://127.0.0.1:$HTTP_PORT/ocsp "$OUT/req/1.der" | tee "$OUT/ab-openigc2.csv"

echo "== summary ($(load))"
cat "$OUT/wrk-conns.txt"; grep WRKCSV "$OUT/wrk.txt" | awk -F, '{printf "wrk keep-alive OpenIGC: %s req/s p50 %s ms p99 %s ms p99.9 %s ms (non-2xx %s, socket errors %s)\n",$3,$4,$5,$6,$7,$8}'
o=$(cut -d, -f3 "$OUT/ab-openigc.csv"); s=$(cut -d, -f3 "$OUT/ab-openssl.csv"); o2=$(cut -d, -f3 "$OUT/ab-openigc2.csv")
echo "ab OpenIGC: $o/s (again: $o2/s); openssl ocsp: $s/s; ratio OpenIGC/openssl: $(echo "scale=2; $o / $s" | bc)"

echo "== CRL with 1,000,000 revoked entries (OpenIGC CrlBuilder vs bare BC X509v2CRLBuilder, ParallelGC, 1 GB heap)"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
"$JAVA" -XX:+UseParallelGC -Xmx1g -cp bench/target/benchmarks.jar org.openigc.bench.CrlGeneration 1000000 3 | tee "$OUT/crl.txt"
"$JAVA" -XX:+UseG1GC -Xmx1g -cp bench/target/benchmarks.jar org.openigc.bench.CrlGeneration 1000000 2 openigc | sed 's/^/G1 /' | tee -a "$OUT/crl.txt"
echo "($(load))"
