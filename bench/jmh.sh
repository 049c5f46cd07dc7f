#!/usr/bin/env bash
# Issue 10 points 2-3: raw sign/verify per provider, core issuance, and openssl speed on the same machine.
# Usage: bench/jmh.sh   (OUT=/tmp/jmh-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA_HOME/bin/java"; OUT=${OUT:-/tmp/jmh-bench}; mkdir -p "$OUT"
[ -f bench/target/benchmarks.jar ] || ./mvnw -B -q package -DskipTests -pl bench -am
echo "machine: nproc=$(nproc) $("$JAVA" -version 2>&1 | head -1) | $(openssl version) | load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JAVA" --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar RawSignatureBenchmark \
  -p provider=SunJCA,BC,ACCP -p key=EC_P256,RSA_3072,RSA_2048 -wi 2 -w 2s -i 3 -r 3s -f 1 \
  -rf csv -rff "$OUT/raw.csv" 2>&1 | grep -E "^RawSignature|^Benchmark" | tee "$OUT/raw.txt"
"$JAVA" --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar CoreIssuanceBenchmark \
  -wi 4 -w 3s -i 3 -r 4s -f 1 -rf csv -rff "$OUT/core.csv" 2>&1 | grep -E "^CoreIssuance|^Benchmark" | tee "$OUT/core.txt"
openssl speed -seconds 3 ecdsap256 rsa3072 rsa2048 2>/dev/null > "$OUT/openssl-speed.txt"; grep -E "bits|nistp256|sign/s" "$OUT/openssl-speed.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
