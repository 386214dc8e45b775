#!/usr/bin/env bash
# Bad input at scale: schemathesis (PyPI) generates requests from /api/v1/openapi.json, valid
# and invalid, against a real server signed in with a personal access token (the first
# account, an administrator). Passes when no response is a 5xx and every response matches the
# documented schema. Operations that would end the run's own sign-in (logout, revoking
# tokens) and the endless event stream are left out.
#   scripts/schemathesis.sh [CASES_PER_OPERATION]   (default 5: about 300 cases in all)
# GOSYNC_BIN picks the server binary (default: the debug one the test build made).
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=${1:-5}
TARGET=${CARGO_TARGET_DIR:-target}
BIN=${GOSYNC_BIN:-$TARGET/debug/gosync}
VENV=tools/schemathesis
if [ ! -x "$VENV/bin/st" ]; then
  echo "==> installing schemathesis (PyPI) in $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check schemathesis==4.32.5
fi
[ -x "$BIN" ] || { echo "no server binary at $BIN (cargo build -p server first)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/gosync-st-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
GOSYNC_PREVIEWS__IN_PROCESS=false RUST_LOG=warn NO_COLOR=1 \
  "$BIN" serve --addr "127.0.0.1:$PORT" --data-dir "$WORK/data" >"$WORK/server.log" 2>&1 &
SERVER=$!
cleanup() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 300); do curl -sf -o /dev/null "$BASE/readyz" && break; sleep 0.1; done

ACCOUNT='{"email":"fuzz@example.com","password":"correct horse battery","name":"Fuzz"}'
curl -sf -o /dev/null -H 'content-type: application/json' -d "$ACCOUNT" "$BASE/api/v1/auth/signup"
ACCESS=$(curl -sf -H 'content-type: application/json' -d "$ACCOUNT" "$BASE/api/v1/auth/login" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
TOKEN=$(curl -sf -H "authorization: Bearer $ACCESS" -H 'content-type: application/json' \
  -d '{"name":"schemathesis"}' "$BASE/api/v1/tokens" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

# Things that exist, so that requests reach past "not found": the root, a folder, a file, a
# share of it with a second account, a link, a user; path ids are drawn from them half the time.
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
auth=(-H "authorization: Bearer $TOKEN" -H 'content-type: application/json')
ROOT=$(curl -sf "${auth[@]}" "$BASE/api/v1/me" | json '["root_id"]')
FOLDER=$(curl -sf "${auth[@]}" -d "{\"parent_id\":\"$ROOT\",\"name\":\"Fuzz\"}" "$BASE/api/v1/folders" | json '["id"]')
meta="filename $(printf 'notes.txt' | base64),parent_id $(printf '%s' "$FOLDER" | base64)"
FILE=$(curl -sf -D - -o /dev/null -H "authorization: Bearer $TOKEN" -H 'tus-resumable: 1.0.0' \
  -H 'upload-length: 11' -H "upload-metadata: $meta" -H 'content-type: application/offset+octet-stream' \
  --data-binary 'hello fuzz!' "$BASE/api/v1/uploads" | tr -d '\r' | sed -n 's/^gosync-node-id: //Ip')
OTHER='{"email":"other@example.com","password":"correct horse battery","name":"Other"}'
USER=$(curl -sf -H 'content-type: application/json' -d "$OTHER" "$BASE/api/v1/auth/signup" | json '["id"]')
SHARE=$(curl -sf "${auth[@]}" -d '{"email":"other@example.com","role":"viewer"}' "$BASE/api/v1/nodes/$FILE/shares" | json '["id"]')
LINK=$(curl -sf "${auth[@]}" -d '{"role":"viewer"}' "$BASE/api/v1/nodes/$FOLDER/links" | json '["id"]')
cat >"$WORK/schemathesis.toml" <<TOML
[dictionaries.ids]
values = [$(for v in "$ROOT" "$FOLDER" "$FILE" "$SHARE" "$LINK" $USER; do printf '"%s",' "$v"; done)]
[parameters]
"path.id" = { dictionary = "ids", probability = 0.5 }
TOML

echo "==> schemathesis: $CASES cases per operation against $BASE"
set +e
"$VENV/bin/st" --config-file "$WORK/schemathesis.toml" run "$BASE/api/v1/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,response_schema_conformance \
  --phases examples,coverage,fuzzing --max-examples "$CASES" --seed 20261207 \
  --exclude-path /api/v1/auth/logout --exclude-path /api/v1/events \
  --exclude-path-regex '^/api/v1/tokens/' \
  --request-timeout 20 --workers 2 --no-color --suppress-health-check all \
  --report ndjson --report-ndjson-path "$WORK/events.ndjson" 2>&1 | tee "$WORK/st.out"
STATUS=${PIPESTATUS[0]}
set -e
if grep -q "panicked\|internal error" "$WORK/server.log"; then
  echo "the server logged internal errors:" >&2; grep "panicked\|internal error" "$WORK/server.log" | head -20 >&2
  STATUS=1
fi
kill -0 "$SERVER" 2>/dev/null || { echo "the server exited during the run" >&2; STATUS=1; }
exit "$STATUS"
