#!/usr/bin/env bash
# Time to first paint of a folder with 1,000 files in Chromium, against a release server on a
# fresh data dir (SQLite). Usage: scripts/bench-first-paint.sh [files=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x target/release/gosync ] || make build
scripts/setup-test.sh >/dev/null
WORK=$(mktemp -d /tmp/gosync-paint-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
RUST_LOG=warn target/release/gosync serve --addr "127.0.0.1:$PORT" --data-dir "$WORK" &
PID=$!
trap 'kill $PID 2>/dev/null || true; sleep 0.2; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.05; done
node bench/first-paint.mjs "http://127.0.0.1:$PORT" "${1:-1000}"
