#!/usr/bin/env bash
# Preview benchmarks, release build: a 12 MP JPEG's thumbnails and a 20-page PDF's first page
# (timed in process), then N mixed images (default 1000) through the job queue of a real
# `gosync serve` with 2 workers: thumbnails per second and the server's RSS meanwhile.
# Usage: scripts/bench-previews.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
TARGET=${CARGO_TARGET_DIR:-target}
scripts/setup-build.sh
cargo build --release -p server --example preview_bench --bin gosync 2>&1 | tail -1
BIN="$TARGET/release"
PDFIUM="$PWD/tools/pdfium/libpdfium.so"

echo "== one file at a time"
"$BIN/examples/preview_bench" single "$PDFIUM" "$BIN/gosync"

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$BIN/examples/preview_bench" images "$work/images" "$N"
echo "== $N mixed images ($(du -sh "$work/images" | cut -f1)): 1/5 each 12 MP, 3 MP and 1.2 MP JPEG, 1.6 MP PNG, 0.8 MP WebP"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start_server() {
  GOSYNC_PDFIUM_PATH="$PDFIUM" GOSYNC_PREVIEWS__IN_PROCESS="$1" GOSYNC_PREVIEWS__WORKERS=2 \
    GOSYNC_FILES__MAX_UPLOAD_BYTES=$((1 << 30)) RUST_LOG=warn \
    "$BIN/gosync" serve --addr "127.0.0.1:$port" --data-dir "$work/data" &
  server=$!
  until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.1; done
}
# Upload first with no workers, so that the queue is measured alone.
start_server false
base="http://127.0.0.1:$port"
curl -fs "$base/api/v1/auth/signup" -H 'content-type: application/json' \
  -d '{"name":"Bench","email":"bench@example.com","password":"bench bench bench"}' >/dev/null
token=$(curl -fs "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"bench bench bench"}' | python3 -c 'import sys,json; print(json.load(sys.stdin)["access_token"])')
root=$(curl -fs "$base/api/v1/me" -H "authorization: Bearer $token" | python3 -c 'import sys,json; print(json.load(sys.stdin)["root_id"])')
export base token root
ls "$work/images" | xargs -P 4 -I{} sh -c 'f="$0"; curl -fs -o /dev/null "$base/api/v1/uploads" -X POST \
  -H "authorization: Bearer $token" -H "tus-resumable: 1.0.0" -H "upload-length: $(stat -c %s "'"$work"'/images/$f")" \
  -H "upload-metadata: filename $(printf %s "$f" | base64 -w0),parent_id $(printf %s "$root" | base64 -w0)" \
  -H "content-type: application/offset+octet-stream" --data-binary @"'"$work"'/images/$f"' {}
db="$work/data/gosync.db"
echo "uploaded: $(sqlite3 "$db" "select count(*) from jobs where state = 'queued'") thumbnail jobs queued"
kill "$server"; wait "$server" 2>/dev/null || true

start_server true
idle=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
started=$(date +%s.%N)
peak=0
while :; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
  [ "$rss" -gt "$peak" ] && peak=$rss
  left=$(sqlite3 "$db" "select count(*) from jobs where state in ('queued','running')")
  [ "$left" -eq 0 ] && break
  sleep 0.2
done
ended=$(date +%s.%N)
sqlite3 "$db" "select state, count(*) from jobs group by state" | sed 's/^/  jobs /'
python3 - "$started" "$ended" "$N" "$idle" "$peak" <<'PY'
import sys
start, end, n, idle, peak = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
secs = end - start
print(f"{n} images through the queue with 2 workers: {secs:.1f} s, {n / secs:.1f} images/s "
      f"({2 * n / secs:.1f} thumbnails/s: 256 and 1024 each)")
print(f"server RSS: {idle / 1024:.0f} MiB idle, {peak / 1024:.0f} MiB at most while working")
PY
