#!/usr/bin/env bash
# CPU used per process group over a window of a bench/e2e.sh run: the server JVM (openigc.jar), its embedded
# PostgreSQL (the postmaster whose command line names DATA_MATCH, and its children), the load generator
# (IssuanceLoad) and everything else on the machine. Run it next to bench/e2e.sh:
#   bench/cpu-window.sh <delay s> <window s> [DATA_MATCH]
# Prints CPUCSV,server_cores,postgres_cores,client_cores,other_cores,window_s (cores = CPU-seconds / second).
set -euo pipefail
DELAY=${1:-50}; WINDOW=${2:-20}; MATCH=${3:-/tmp/openigc-bench}
HZ=$(getconf CLK_TCK)
sleep "$DELAY"
ticks() { # pid -> utime+stime of the process
  awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0
}
snapshot() { # prints: server postgres client total
  local server=0 pg=0 client=0 pm
  for p in $(pgrep -f 'openigc.*\.jar' || true); do
    if tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | grep -q -- "$MATCH"; then server=$((server + $(ticks "$p"))); fi
  done
  for pm in $(pgrep -f "postgres.*-D.*$MATCH" || true); do
    pg=$((pg + $(ticks "$pm")))
    for c in $(pgrep -P "$pm" || true); do pg=$((pg + $(ticks "$c"))); done
  done
  for p in $(pgrep -f 'org.openigc.bench.IssuanceLoad issue' || true); do client=$((client + $(ticks "$p"))); done
  local total
  total=$(awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat)
  echo "$server $pg $client $total"
}
read -r s0 p0 c0 t0 < <(snapshot)
sleep "$WINDOW"
read -r s1 p1 c1 t1 < <(snapshot)
awk -v s=$((s1 - s0)) -v p=$((p1 - p0)) -v c=$((c1 - c0)) -v t=$((t1 - t0)) -v hz="$HZ" -v w="$WINDOW" \
  'BEGIN { printf "CPUCSV,%.2f,%.2f,%.2f,%.2f,%d\n", s/hz/w, p/hz/w, c/hz/w, (t-s-p-c)/hz/w, w }'
