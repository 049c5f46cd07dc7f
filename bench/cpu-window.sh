#!/usr/bin/env bash
# CPU used per process group over a window of a bench/e2e.sh run: the server JVM (openigc*.jar whose command line
# names DATA_MATCH), its embedded PostgreSQL (the postmaster whose command line names DATA_MATCH, and its children),
# the load generator (IssuanceLoad) and the whole machine. Run it next to bench/e2e.sh:
#   bench/cpu-window.sh <delay s> <window s> [DATA_MATCH]
# Prints CPUCSV,server_cores,postgres_cores,client_cores,machine_cores,window_s (cores = CPU-seconds / second;
# machine = every process on the machine, from /proc/stat, other tenants included). With PGPORT set (the embedded
# PostgreSQL's port, in the server log), also counts the certificates stored during the window and prints
# CPUPERORDER,orders_per_s,server_ms,postgres_ms,client_ms (CPU milliseconds per certificate in the window).
set -euo pipefail
DELAY=${1:-50}; WINDOW=${2:-20}; MATCH=${3:-/tmp/openigc-bench}
HZ=$(getconf CLK_TCK)
sleep "$DELAY"
server=(); pg=(); client=()
for p in $(pgrep -f 'openigc.*\.jar' || true); do
  if tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | grep -q -- "-jar .*--openigc.data-dir=$MATCH"; then server+=("$p"); fi
done
for pm in $(pgrep -f "postgres -D $MATCH" || true); do
  pg+=("$pm"); for c in $(pgrep -P "$pm" || true); do pg+=("$c"); done
done
for p in $(pgrep -f 'org.openigc.bench.IssuanceLoad issue' || true); do
  [ "$(cat /proc/$p/comm 2>/dev/null)" = java ] && client+=("$p")
done
snap() { # "pid ticks" (utime+stime) of each given pid still alive
  local p t
  for p in "$@"; do t=$(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null) && echo "$p $t"; done | sort
}
# CPU of the pids alive at both ends of the window: a backend or autovacuum worker that exits inside the window is
# left out (counting it at the start only made the PostgreSQL figure negative); one started inside it is not listed.
delta() { join <(echo "$1") <(echo "$2") | awk '{ d += $3 - $2 } END { print d + 0 }'; }
total() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
count() {
  if [ -n "${PGPORT:-}" ]; then
    psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -Atq -c "select count(*) from certificate" 2>/dev/null || echo 0
  else echo 0; fi
}
n0=$(count); S0=$(snap "${server[@]}"); P0=$(snap "${pg[@]}"); C0=$(snap "${client[@]}"); t0=$(total)
sleep "$WINDOW"
S1=$(snap "${server[@]}"); P1=$(snap "${pg[@]}"); C1=$(snap "${client[@]}"); t1=$(total); n1=$(count)
s=$(delta "$S0" "$S1"); p=$(delta "$P0" "$P1"); c=$(delta "$C0" "$C1")
awk -v s="$s" -v p="$p" -v c="$c" -v t=$((t1 - t0)) -v hz="$HZ" -v w="$WINDOW" \
  -v n="${#server[@]}/${#pg[@]}/${#client[@]}" \
  'BEGIN { printf "CPUCSV,%.2f,%.2f,%.2f,%.2f,%d,pids=%s\n", s/hz/w, p/hz/w, c/hz/w, t/hz/w, w, n }'
if [ -n "${PGPORT:-}" ] && [ $((n1 - n0)) -gt 0 ]; then
  awk -v s="$s" -v p="$p" -v c="$c" -v n=$((n1 - n0)) -v hz="$HZ" -v w="$WINDOW" \
    'BEGIN { printf "CPUPERORDER,%.1f,%.1f,%.1f,%.1f\n", n/w, s/hz*1000/n, p/hz*1000/n, c/hz*1000/n }'
fi
