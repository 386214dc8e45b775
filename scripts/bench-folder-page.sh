#!/usr/bin/env bash
# Folders stay quick while the workers are busy: FILES small text files (4 KiB) are uploaded
# into one folder (wrk, 16 connections), then, at once, while their thumbnail and text jobs
# run, pages of 100 sorted by name and by modified are asked for (wrk, 4 connections, SECONDS
# each). Prints the pages' latency percentiles. SQLite unless DATABASE=postgres; JOBS=off
# leaves the jobs queued (no workers), to tell the pages' own time from the workers' share.
# Usage: scripts/bench-folder-page.sh [files=10000] [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${1:-10000}; SECONDS_EACH=${2:-10}
[ -x target/release/gosync ] || make build
command -v wrk >/dev/null || { echo "==> installing wrk (Debian)"; apt-get install -y wrk >/dev/null; }
WORK=$(mktemp -d /tmp/gosync-folder-page-XXXXXX)
DB_URL=""
if [ "${DATABASE:-sqlite}" = postgres ]; then
  ADMIN_URL=$(scripts/ensure-postgres.sh); DB="gosync_page_$$"
  psql "$ADMIN_URL" -qc "CREATE DATABASE $DB"; DB_URL="${ADMIN_URL%/*}/$DB"
fi
PID=""
cleanup() {
  [ -z "$PID" ] || { kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; }
  [ -z "$DB_URL" ] || psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
[ "${JOBS:-on}" = off ] && export GOSYNC_PREVIEWS__IN_PROCESS=false
env ${DB_URL:+DATABASE_URL=$DB_URL} RUST_LOG=warn target/release/gosync serve \
  --addr "127.0.0.1:$PORT" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
PID=$!
URL="http://127.0.0.1:$PORT"
until curl -sf "$URL/readyz" >/dev/null; do sleep 0.1; done
ACCOUNT='{"email":"bench@example.com","password":"correct horse battery","name":"Bench"}'
curl -sf -o /dev/null -H 'content-type: application/json' -d "$ACCOUNT" "$URL/api/v1/auth/signup"
TOKEN=$(curl -sf -H 'content-type: application/json' -d "$ACCOUNT" "$URL/api/v1/auth/login" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
PARENT=$(curl -sf -H "authorization: Bearer $TOKEN" "$URL/api/v1/me" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["root_id"])')
export TOKEN FOLDER=$PARENT
echo "==> uploading $FILES files of 4 KiB into one folder (${DATABASE:-sqlite})" >&2
python3 bench/upload-files.py "$URL" "$TOKEN" "$PARENT" "$FILES" 4096 16 txt >&2
queued() {
  local sql="SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')"
  if [ -n "$DB_URL" ]; then psql "$DB_URL" -Atc "$sql"
  else python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"$sql\").fetchone()[0])" "$WORK/data/gosync.db"; fi
}
for sort in name modified; do
  echo "==> pages of 100 by $sort, 4 at a time, ${SECONDS_EACH} s (jobs waiting or running: $(queued))" >&2
  SORT=$sort wrk -t2 -c4 -d"${SECONDS_EACH}s" --latency -s bench/folder-page.lua "$URL" \
    | awk '$1=="50%" || $1=="90%" || $1=="99%" {printf "    p%s %s\n", substr($1,1,2), $2} /Requests\/sec/ {print "    " $2 " pages/s"}' >&2
done
echo "==> jobs still waiting or running at the end: $(queued)" >&2
