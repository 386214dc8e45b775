#!/usr/bin/env bash
# The admin dashboard's queries with 1 million nodes on PostgreSQL: generated people (1,000),
# folders and files (10% in the trash), contents (dedup), versions, activity; then each
# dashboard request timed over HTTP as the admin (median and worst of 20).
# Usage: scripts/bench-admin.sh [nodes=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
BIN=${BENCH_BIN:-target/release/gosync}
[ -x "$BIN" ] || make build
ADMIN_URL=$(scripts/ensure-postgres.sh)
DB="gosync_admin_bench_$$"
psql "$ADMIN_URL" -qc "CREATE DATABASE $DB"
URL="${ADMIN_URL%/*}/$DB"
WORK=$(mktemp -d /tmp/gosync-admin-bench-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cleanup() { kill "${PID:-0}" 2>/dev/null || true; sleep 0.3; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"; rm -rf "$WORK"; }
trap cleanup EXIT
DATABASE_URL="$URL" "$BIN" migrate --data-dir "$WORK/data" >/dev/null
echo "benchmark password" | DATABASE_URL="$URL" "$BIN" admin create-user --data-dir "$WORK/data" \
  --email bench-admin@example.com --password-stdin --admin >/dev/null
echo "==> generating $N nodes"
FOLDERS=$((N / 10)); FILES=$((N - FOLDERS - 1000))
time psql "$URL" -q -v ON_ERROR_STOP=1 <<SQL
INSERT INTO users (id, email, name, password_hash, is_admin, disabled, created_at, session_generation)
SELECT md5('u' || i)::uuid, 'user' || i || '@example.com', 'User ' || i, '', false, false, now(), 0
FROM generate_series(1, 1000) i;
INSERT INTO nodes (id, owner_id, parent_id, name, kind, size, created_at, modified_at)
SELECT md5('r' || i)::uuid, md5('u' || i)::uuid, NULL, '', 'folder', 0, now(), now()
FROM generate_series(1, 1000) i;
INSERT INTO nodes (id, owner_id, parent_id, name, kind, size, created_at, modified_at)
SELECT md5('f' || i)::uuid, md5('u' || (i % 1000 + 1))::uuid, md5('r' || (i % 1000 + 1))::uuid,
       'folder ' || i, 'folder', 0, now(), now()
FROM generate_series(1, $FOLDERS) i;
INSERT INTO blobs (id, sha256, size, storage_key, created_at)
SELECT md5('b' || i)::uuid, md5('s' || i) || md5('t' || i), 1000 + i % 100000, 'blobs/' || i, now()
FROM generate_series(1, $FILES * 6 / 10) i;
INSERT INTO nodes (id, owner_id, parent_id, name, kind, size, mime, created_at, modified_at,
                   trashed_at, trash_root_id, sha256, version)
SELECT md5('n' || i)::uuid, md5('u' || (i % $FOLDERS % 1000 + 1))::uuid, md5('f' || (i % $FOLDERS + 1))::uuid,
       'file ' || i || '.txt', 'file', 1000 + (i % ($FILES * 6 / 10) + 1) % 100000, 'text/plain',
       now() - (i % 365) * interval '1 day', now(),
       CASE WHEN i % 10 = 0 THEN now() END, CASE WHEN i % 10 = 0 THEN md5('n' || i)::uuid END,
       md5('s' || (i % ($FILES * 6 / 10) + 1)) || md5('t' || (i % ($FILES * 6 / 10) + 1)), 1
FROM generate_series(1, $FILES) i;
INSERT INTO versions (id, node_id, number, blob_id, size, author_id, created_at)
SELECT md5('v' || i)::uuid, md5('n' || i)::uuid, 1, md5('b' || (i % ($FILES * 6 / 10) + 1))::uuid,
       1000 + (i % ($FILES * 6 / 10) + 1) % 100000, NULL, now() - (i % 365) * interval '1 day'
FROM generate_series(1, $FILES) i;
INSERT INTO activity (id, actor_id, node_id, action, detail, created_at)
SELECT md5('a' || i)::uuid, md5('u' || (i % 1000 + 1))::uuid, md5('n' || (i % $FILES + 1))::uuid,
       'upload', '{}', now() - (i % 365) * interval '1 day'
FROM generate_series(1, $N) i;
INSERT INTO user_usage (user_id, shard, bytes)
SELECT owner_id, 0, SUM(size) FROM nodes WHERE kind = 'file' GROUP BY owner_id;
ANALYZE;
SQL
RUST_LOG=warn DATABASE_URL="$URL" "$BIN" serve --addr "127.0.0.1:$PORT" --data-dir "$WORK/data" &
PID=$!
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.1; done
node - "http://127.0.0.1:$PORT" <<'JS'
const base = process.argv[2];
const post = async (path, body) => (await fetch(base + path, { method: "POST",
  headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json();
const { access_token } = await post("/api/v1/auth/login", { email: "bench-admin@example.com", password: "benchmark password" });
const auth = { authorization: `Bearer ${access_token}` };
const counts = await (await fetch(`${base}/api/v1/admin/stats`, { headers: auth })).json();
console.log(`files ${counts.files}, folders ${counts.folders}, users ${counts.users}, logical ${counts.logical_bytes} B`);
for (const path of ["/api/v1/admin/stats", "/api/v1/admin/storage?days=30", "/api/v1/admin/users",
  "/api/v1/admin/users?q=user77", "/api/v1/admin/activity", "/api/v1/admin/activity?action=upload&since=1780000000",
  "/api/v1/admin/jobs"]) {
  const times = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const res = await fetch(base + path, { headers: auth });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`${path.padEnd(64)} median ${times[10].toFixed(1)} ms, worst ${times[19].toFixed(1)} ms`);
}
JS
