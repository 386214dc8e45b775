#!/usr/bin/env bash
# Benchmark a large tus upload against a release build on a fresh data dir (SQLite, local
# storage). Usage: scripts/bench-upload.sh [MiB=1024]. Prints throughput, completion cost, RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x target/release/gosync ] || make build
DATA=$(mktemp -d /tmp/gosync-bench-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
RUST_LOG=warn target/release/gosync serve --addr "127.0.0.1:$PORT" --data-dir "$DATA" &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.05; done
node bench/upload.mjs "http://127.0.0.1:$PORT" "$PID" "${1:-1024}"
