#!/usr/bin/env bash
# Small files as fast as the disk allows? Same machine, same run, wrk as the client (so the
# client is not what is measured): files of SIZE bytes, CONNS at a time, for SECONDS each, to
#   - GoSync on PostgreSQL and on SQLite (tus creation-with-upload: one request per file,
#     the file durable, blob and row, before its 201),
#   - dufs (PUT; it does not fsync),
#   - the disk itself: files written and fdatasynced by CONNS threads, no server at all.
# Prints files/s, latency percentiles, and GoSync's ratio to the durable ceiling.
# Usage: scripts/bench-small-files.sh [seconds=10] [size=4096] [conns=16]
# (QUICK=1: GoSync only, without dufs and the disk's ceiling; PROFILE=1: a system-wide perf
# profile of each GoSync run in /tmp/gosync-LABEL.perf.)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-10}; SIZE=${2:-4096}; CONNS=${3:-16}
export SIZE
[ -x target/release/gosync ] || make build
command -v wrk >/dev/null || { echo "==> installing wrk (Debian)"; apt-get install -y wrk >/dev/null; }
[ -n "${QUICK:-}" ] || command -v dufs >/dev/null || { echo "==> installing dufs (cargo install dufs --locked)"; cargo install dufs --locked; }
ADMIN_URL=$(scripts/ensure-postgres.sh)
DB="gosync_bench_$$"
WORK=$(mktemp -d /tmp/gosync-small-files-XXXXXX)
PIDS=()
cleanup() {
  kill "${PIDS[@]}" 2>/dev/null || true; sleep 0.3
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
THREADS=$(( CONNS > 1 ? 2 : 1 ))
load() { /usr/bin/time -f "client-cpu %U %S" wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_EACH}s" --latency -s "$@" 2>&1; }
summary() {
  local name=$1 out=$2
  local rate p50 p99 bad
  rate=$(awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); bad=${bad:-0}
  printf '%-22s %6s files/s  p50 %-9s p99 %-9s failed %s\n' "$name" "$rate" "$p50" "$p99" "$bad" >&2
  echo "$rate"
}

# CPU time (clock ticks, user + system) of the given processes, and of all PostgreSQL's.
ticks() { local p; for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null; done | awk '{ sum += $14 + $15 } END { print sum + 0 }'; }
# The whole machine's busy time (PostgreSQL's processes come and go: autovacuum, for one).
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
HZ=$(getconf CLK_TCK)

# gosync URL: starts a GoSync server on DATABASE_URL (or SQLite), makes an account, and runs
# the load against it.
gosync() {
  local label=$1 database=$2 port data
  port=$(free_port); data="$WORK/$label"
  mkdir -p "$data"
  env ${database:+DATABASE_URL=$database} RUST_LOG=warn target/release/gosync serve \
    --addr "127.0.0.1:$port" --data-dir "$data" >"$WORK/$label.log" 2>&1 &
  local pid=$!; PIDS+=("$pid")
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.1; done
  local account='{"email":"bench@example.com","password":"correct horse battery","name":"Bench"}'
  curl -sf -o /dev/null -H 'content-type: application/json' -d "$account" "http://127.0.0.1:$port/api/v1/auth/signup"
  TOKEN=$(curl -sf -H 'content-type: application/json' -d "$account" "http://127.0.0.1:$port/api/v1/auth/login" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  PARENT=$(curl -sf -H "authorization: Bearer $TOKEN" "http://127.0.0.1:$port/api/v1/me" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["root_id"])')
  export TOKEN PARENT
  local own0 all0 own1 all1 out rate client
  own0=$(ticks "$pid"); all0=$(busy)
  local perf=""
  if [ -n "${PROFILE:-}" ]; then
    perf record -a -F 499 -o "/tmp/gosync-$label.perf" -- sleep "$SECONDS_EACH" >/dev/null 2>&1 &
    perf=$!
  fi
  out=$(load bench/small-files.lua "http://127.0.0.1:$port/")
  [ -z "$perf" ] || wait "$perf"
  own1=$(ticks "$pid"); all1=$(busy)
  client=$(awk '/^client-cpu/ { print $2 + $3 }' <<<"$out")
  rate=$(summary "GoSync ($label)" "$out"); echo "$rate"
  python3 - "$rate" "$SECONDS_EACH" "$HZ" "$((own1 - own0))" "$((all1 - all0))" "$client" "$label" <<'PY' >&2
import sys
rate, secs, hz, own, busy, client = (float(x) for x in sys.argv[1:7])
files = max(rate * secs, 1)
ms = lambda ticks: ticks / hz / files * 1000
rest = busy - own - client * hz
label = "PostgreSQL and the rest" if sys.argv[7] == "postgres" else "the rest (kernel threads)"
print(f"  GoSync ({sys.argv[7]}) CPU per file: server {ms(own):.3f} ms, {label} {ms(rest):.3f} ms, "
      f"together {ms(own + rest):.3f} ms (the client, wrk: {ms(client * hz):.3f} ms; machine busy "
      f"{busy / hz / secs:.2f} of 2 cores)")
PY
  awk -v l="$label" '/^Rss:/ {r=$2} /^Rss_Anon:|^Anonymous:/ {a=$2} END {printf "  GoSync (%s) memory after the load: %d MiB (%d MiB of it anonymous, the rest mapped files)\n", l, r/1024, a/1024}' "/proc/$pid/smaps_rollup" >&2
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

psql "$ADMIN_URL" -qc "CREATE DATABASE $DB"
echo "$CONNS connections, files of $SIZE bytes, ${SECONDS_EACH} s each:" >&2
PG=$(gosync postgres "${ADMIN_URL%/*}/$DB")
LITE=$(gosync sqlite "")
[ -z "${QUICK:-}" ] || exit 0
DPORT=$(free_port); mkdir -p "$WORK/dufs"
dufs -A --bind 127.0.0.1 --port "$DPORT" "$WORK/dufs" >/dev/null 2>&1 &
PIDS+=($!)
until curl -s -o /dev/null "http://127.0.0.1:$DPORT/"; do sleep 0.05; done
DUFS=$(summary "dufs (no fsync)" "$(load bench/put-files.lua "http://127.0.0.1:$DPORT")")
mkdir -p "$WORK/disk1" "$WORK/disk32"
CEIL=$(python3 bench/durable-ceiling.py "$WORK/disk1" "$CONNS" "$SIZE" "$SECONDS_EACH" 1)
CEIL32=$(python3 bench/durable-ceiling.py "$WORK/disk32" "$CONNS" "$SIZE" "$SECONDS_EACH" 32)
printf '%-22s %6s files/s  (fdatasync each, %s threads)\n' "the disk" "$CEIL" "$CONNS" >&2
printf '%-22s %6s files/s  (fdatasync every 32 files)\n' "the disk, batched" "$CEIL32" >&2
python3 - "$PG" "$LITE" "$DUFS" "$CEIL" <<'PY' >&2
import sys
pg, lite, dufs, ceil = map(float, sys.argv[1:])
print(f"GoSync PostgreSQL: {pg / ceil:.0%} of the durable ceiling, {pg / dufs:.2f}x dufs; "
      f"SQLite: {lite / ceil:.0%} of the ceiling, {lite / pg:.2f}x PostgreSQL")
PY
