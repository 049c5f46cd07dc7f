#!/usr/bin/env bash
# Issuance peers on the same CSRs (issue 10 point 5), for one CA key type:
#  (a) `openssl x509 -req` in a loop of processes (the per-process figure a shell-script CA gets), one loop and two
#      loops in parallel (the two cores);
#  (b) the Debian golang-cfssl `cfssl serve` sign endpoint over plain HTTP with keep-alive (wrk), storing nothing.
# Usage: bench/peers.sh EC_P256|RSA_3072   (env: OUT=/tmp/openigc-bench N=400 DURATION=20 CONNS=32)
# Needs openssl, cfssl (apt-get install golang-cfssl), wrk, python3. Prints PEERCSV lines.
set -euo pipefail
cd "$(dirname "$0")/.."
ALG=${1:-EC_P256}
OUT=${OUT:-/tmp/openigc-bench}; P=$OUT/peers-$ALG; N=${N:-400}; DURATION=${DURATION:-20}; CONNS=${CONNS:-32}
CFSSL_PORT=${CFSSL_PORT:-18889}
CSRS=$OUT/csr-p256.pem
rm -rf "$P"; mkdir -p "$P/csr"
CFSSL_PID=""
cleanup() { [ -n "$CFSSL_PID" ] && kill "$CFSSL_PID" 2>/dev/null || true; }
trap cleanup EXIT
load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg)"; }

# the first N CSRs of the shared file, one per file (the same keys OpenIGC certifies)
python3 - "$CSRS" "$P/csr" "$N" <<'PY'
import sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
pems = open(src).read().split("-----END CERTIFICATE REQUEST-----\n")
for i, p in enumerate(pems[:n]):
    open(f"{dst}/{i}.csr", "w").write(p + "-----END CERTIFICATE REQUEST-----\n")
PY

# a CA of the same key type, with the same extensions OpenIGC writes into an ORG AUTH_CLI certificate
case "$ALG" in
  EC_P256) openssl ecparam -name prime256v1 -genkey -noout -out "$P/ca.key" 2>/dev/null ;;
  RSA_3072) openssl genrsa -out "$P/ca.key" 3072 2>/dev/null ;;
esac
openssl req -x509 -new -key "$P/ca.key" -sha256 -days 365 -subj "/C=FR/O=BENCH/CN=peer bench CA $ALG" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$P/ca.pem"
cat > "$P/ext.cnf" <<'EXT'
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
certificatePolicies=1.2.250.1.999.1.7.2.1
crlDistributionPoints=URI:http://127.0.0.1:8080/crl/bench.crl
authorityInfoAccess=OCSP;URI:http://127.0.0.1:8080/ocsp,caIssuers;URI:http://127.0.0.1:8080/ca/bench.crt
EXT

openssl_loop() { # first last
  for i in $(seq "$1" "$2"); do
    openssl x509 -req -in "$P/csr/$i.csr" -CA "$P/ca.pem" -CAkey "$P/ca.key" -set_serial "$(printf '0x%04x%04x%04x%04x%04x%04x' $RANDOM $RANDOM $RANDOM $RANDOM $RANDOM $RANDOM)" \
      -days 1095 -sha256 -extfile "$P/ext.cnf" -subj "/C=FR/O=BENCH/OU=1750712184/CN=bench $i" -out "$P/out-$i.pem" 2>/dev/null
  done
}
echo "== openssl x509 -req loop, $N CSRs, CA $ALG ($(load))"
T0=$(date +%s.%N); openssl_loop 0 $((N - 1)); T1=$(date +%s.%N)
openssl verify -CAfile "$P/ca.pem" "$P/out-0.pem" >/dev/null
R1=$(echo "scale=1; $N / ($T1 - $T0)" | bc)
echo "PEERCSV,openssl-x509-1proc,$ALG,$R1,,,$(cut -d' ' -f1 /proc/loadavg)"
T0=$(date +%s.%N); openssl_loop 0 $((N / 2 - 1)) & A=$!; openssl_loop $((N / 2)) $((N - 1)) & B=$!; wait $A $B; T1=$(date +%s.%N)
R2=$(echo "scale=1; $N / ($T1 - $T0)" | bc)
echo "PEERCSV,openssl-x509-2proc,$ALG,$R2,,,$(cut -d' ' -f1 /proc/loadavg)"

echo "== cfssl serve, sign endpoint over HTTP keep-alive (wrk -c$CONNS, ${DURATION}s), CA $ALG ($(load))"
cat > "$P/cfssl.json" <<'JSON'
{"signing": {"default": {"expiry": "26280h", "usages": ["digital signature", "client auth"],
  "crl_url": "http://127.0.0.1:8080/crl/bench.crl", "ocsp_url": "http://127.0.0.1:8080/ocsp",
  "issuer_urls": ["http://127.0.0.1:8080/ca/bench.crt"]}}}
JSON
cfssl serve -address=127.0.0.1 -port=$CFSSL_PORT -ca="$P/ca.pem" -ca-key="$P/ca.key" -config="$P/cfssl.json" \
  > "$P/cfssl.log" 2>&1 &
CFSSL_PID=$!
for _ in $(seq 1 30); do curl -s -o /dev/null "http://127.0.0.1:$CFSSL_PORT/api/v1/cfssl/health" && break; sleep 0.5; done
python3 - "$P/csr" "$N" "$P/bodies.txt" <<'PY'
import sys, json
d, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(out, "w") as f:
    for i in range(n):
        f.write(json.dumps({"certificate_request": open(f"{d}/{i}.csr").read()}) + "\n")
PY
curl -s -H 'Content-Type: application/json' --data "@$P/csr/0.csr" -o /dev/null "http://127.0.0.1:$CFSSL_PORT/" || true
head -1 "$P/bodies.txt" | curl -s -H 'Content-Type: application/json' --data @- \
  "http://127.0.0.1:$CFSSL_PORT/api/v1/cfssl/sign" | python3 -c 'import sys,json; r=json.load(sys.stdin); print("cfssl sign success:", r["success"])'
cat > "$P/sign.lua" <<LUA
local bodies = {}
for line in io.lines("$P/bodies.txt") do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = (i % #bodies) + 1
  return wrk.format("POST", "/api/v1/cfssl/sign", {["Content-Type"] = "application/json"}, bodies[i])
end
done = function(summary, latency, requests)
  io.write(string.format("WRKCSV,%d,%.1f,%.2f,%.2f,%d,%d\n", summary.requests,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
wrk -t2 -c"$CONNS" -d5s -s "$P/sign.lua" "http://127.0.0.1:$CFSSL_PORT" > /dev/null
wrk -t2 -c"$CONNS" -d"${DURATION}s" -s "$P/sign.lua" "http://127.0.0.1:$CFSSL_PORT" > "$P/wrk.txt"
grep WRKCSV "$P/wrk.txt" | awk -F, -v alg="$ALG" -v l="$(cut -d' ' -f1 /proc/loadavg)" \
  '{printf "PEERCSV,cfssl-serve-sign,%s,%s,%s,%s,%s (non-2xx %s; socket errors %s)\n", alg, $3, $4, $5, l, $6, $7}'
