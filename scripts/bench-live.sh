#!/usr/bin/env bash
# Live updates across nodes: two `gosync serve` processes on one PostgreSQL database (each
# with a data directory of its own), a listener on the first, changes made through the
# second; prints p50/p95/max from a change's commit to its event.
# Usage: scripts/bench-live.sh [changes=40]   (GOSYNC_BIN overrides the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-40}
BIN=${GOSYNC_BIN:-target/release/gosync}
unset GOSYNC_BIN  # a setting of this script, not of the servers
[ -x "$BIN" ] || make build
PG="$(scripts/ensure-postgres.sh)"
DB="gosync_live_bench_$$"
psql "$PG" -qc "CREATE DATABASE $DB" >/dev/null
URL="${PG%/*}/$DB"
WORK=$(mktemp -d /tmp/gosync-live-bench-XXXXXX)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
A=$(port); B=$(port)
# The first node migrates the database; the second starts once it answers.
DATABASE_URL="$URL" RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:$A" --data-dir "$WORK/a" &
PA=$!
cleanup() { kill $PA ${PB:-} 2>/dev/null || true; wait 2>/dev/null || true
  psql "$PG" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
until curl -sf "http://127.0.0.1:$A/healthz" >/dev/null; do sleep 0.05; done
DATABASE_URL="$URL" RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:$B" --data-dir "$WORK/b" &
PB=$!
until curl -sf "http://127.0.0.1:$B/healthz" >/dev/null; do sleep 0.05; done
node bench/live.mjs "http://127.0.0.1:$A" "http://127.0.0.1:$B" "$N"
