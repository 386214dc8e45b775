#!/usr/bin/env bash
# Prints the URL of a PostgreSQL server for the tests (a maintenance database that can create
# and drop databases). Uses the one at 127.0.0.1:5432 when it answers (trust auth, user
# postgres); otherwise installs PostgreSQL from Debian and starts a throwaway cluster.
set -euo pipefail

if [ -n "${TEST_DATABASE_URL:-}" ]; then echo "$TEST_DATABASE_URL"; exit 0; fi

MAIN_PORT="${GOSYNC_PG_PORT:-5432}"
if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p "$MAIN_PORT" \
   && psql -h 127.0.0.1 -p "$MAIN_PORT" -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  echo "postgres://postgres@127.0.0.1:$MAIN_PORT/postgres"; exit 0
fi

PGDIR=/tmp/gosync-pg
PORT=54329
if pg_isready -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; then
  echo "postgres://postgres@127.0.0.1:$PORT/postgres"; exit 0
fi
echo "==> starting a throwaway PostgreSQL cluster on port $PORT" >&2
rm -rf "$PGDIR"
"$(dirname "$0")/throwaway-postgres.sh" start "$PGDIR" "$PORT"
