#!/usr/bin/env bash
# Same machine, same run: 5,000 files of 4 KiB, 16 at a time, to GoSync on PostgreSQL (tus,
# one request per file) and to dufs (PUT), the same bytes to both. Prints files/s and the ratio.
# Usage: scripts/bench-small-files.sh [files=5000] [bytes=4096] [parallel=16]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}; SIZE=${2:-4096}; PAR=${3:-16}
[ -x target/release/gosync ] || make build
command -v dufs >/dev/null || { echo "==> installing dufs (cargo install dufs --locked)"; cargo install dufs --locked; }
ADMIN_URL=$(scripts/ensure-postgres.sh)
DB="gosync_bench_$$"
psql "$ADMIN_URL" -qc "CREATE DATABASE $DB" 
WORK=$(mktemp -d /tmp/gosync-small-files-XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
GPORT=$(free_port); DPORT=$(free_port)
mkdir -p "$WORK/data" "$WORK/dufs"
RUST_LOG=warn DATABASE_URL="${ADMIN_URL%/*}/$DB" target/release/gosync serve \
  --addr "127.0.0.1:$GPORT" --data-dir "$WORK/data" &
GPID=$!
dufs -A --bind 127.0.0.1 --port "$DPORT" "$WORK/dufs" >/dev/null 2>&1 &
DPID=$!
trap 'kill $GPID $DPID 2>/dev/null || true; sleep 0.3; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$GPORT/healthz" >/dev/null; do sleep 0.05; done
until curl -s -o /dev/null "http://127.0.0.1:$DPORT/"; do sleep 0.05; done
G=$(node bench/small-files.mjs gosync "http://127.0.0.1:$GPORT" "$N" "$SIZE" "$PAR")
D=$(node bench/small-files.mjs dufs "http://127.0.0.1:$DPORT" "$N" "$SIZE" "$PAR")
echo "$G"; echo "$D"
rate() { sed -E 's/.*= ([0-9]+) files\/s/\1/' <<<"$1"; }
python3 -c "print(f'GoSync / dufs: {$(rate "$G") / $(rate "$D"):.2f}x')"
