#!/usr/bin/env bash
# How many SQL statements and commits PostgreSQL runs per small upload: N files of 4 KiB, 16
# at a time, every file different (bench/upload-files.py), with log_statement
# = all for the run (set with ALTER SYSTEM and reset at the end). Counts include the
# background indexer and job workers (EXT=bin: files without thumbnail or text jobs).
# Usage: scripts/count-statements.sh [files=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
[ -x target/release/gosync ] || make build
ADMIN_URL=$(scripts/ensure-postgres.sh)
LOG=$(psql "$ADMIN_URL" -Atc "SELECT current_setting('data_directory') || '/' || pg_current_logfile()" 2>/dev/null || true)
[ -f "$LOG" ] || LOG=$(ls -t /var/log/postgresql/postgresql-*-main.log | head -1)
DB="gosync_count_$$"
WORK=$(mktemp -d /tmp/gosync-count-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
reset() { psql "$ADMIN_URL" -qAtc "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null; }
trap 'kill $GPID 2>/dev/null || true; reset; sleep 0.3; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"; rm -rf "$WORK"' EXIT
psql "$ADMIN_URL" -qc "CREATE DATABASE $DB"
psql "$ADMIN_URL" -qAtc "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
FROM=$(wc -l < "$LOG")
RUST_LOG=warn DATABASE_URL="${ADMIN_URL%/*}/$DB" target/release/gosync serve \
  --addr "127.0.0.1:$PORT" --data-dir "$WORK/data" 2>/dev/null &
GPID=$!
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.05; done
ACCOUNT='{"email":"count@example.com","password":"correct horse battery","name":"Count"}'
curl -sf -o /dev/null -H 'content-type: application/json' -d "$ACCOUNT" "http://127.0.0.1:$PORT/api/v1/auth/signup"
TOKEN=$(curl -sf -H 'content-type: application/json' -d "$ACCOUNT" "http://127.0.0.1:$PORT/api/v1/auth/login" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
PARENT=$(curl -sf -H "authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/me" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["root_id"])')
FROM=$(wc -l < "$LOG")
python3 bench/upload-files.py "http://127.0.0.1:$PORT" "$TOKEN" "$PARENT" "$N" 4096 16 "${EXT:-txt}"
sleep 1
reset
tail -n +"$FROM" "$LOG" > "$WORK/statements.log"
statements=$(grep -c "LOG:  \(execute\|statement\)" "$WORK/statements.log" || true)
commits=$(grep -c "LOG:  \(execute\|statement\)[^:]*: COMMIT" "$WORK/statements.log" || true)
echo "statements: $statements ($(python3 -c "print(round($statements / $N, 1))") per upload)"
echo "commits:    $commits ($(python3 -c "print(round($commits / $N, 2))") per upload)"
echo "most frequent:"
grep -o "LOG:  \(execute [^:]*\|statement\): [A-Za-z]* [^ ]* [^ ]*" "$WORK/statements.log" \
  | sed -E 's/execute [^:]*/execute/; s/^LOG:  [a-z]*: //' | sort | uniq -c | sort -rn | head -12
