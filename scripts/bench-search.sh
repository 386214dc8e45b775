#!/usr/bin/env bash
# Search on this machine, SQLite and local storage: N generated documents uploaded, then how
# soon new and renamed files are found, 1,000 mixed queries (p50/p99), a rebuild of the index
# from scratch (documents per second) and the index's size on disk.
# Usage: scripts/bench-search.sh [documents=100000] [parallel=16]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}; PAR=${2:-16}
[ -x target/release/gosync ] || make build
WORK=$(mktemp -d /tmp/gosync-search-bench-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
RUST_LOG=warn target/release/gosync serve --addr "127.0.0.1:$PORT" --data-dir "$WORK/data" &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.05; done
node bench/search.mjs "http://127.0.0.1:$PORT" "$N" "$PAR"
echo "index on disk: $(du -sh "$WORK/data/search" | cut -f1) for $(curl -s "http://127.0.0.1:$PORT/metrics" | sed -n 's/^gosync_search_documents //p') items"
kill $PID; wait $PID 2>/dev/null || true
RUST_LOG=warn target/release/gosync reindex --data-dir "$WORK/data" | tee "$WORK/reindex.txt"
python3 - "$WORK/reindex.txt" <<'PY'
import re, sys
m = re.search(r"rebuilt: (\d+) items in ([\d.]+) s", open(sys.argv[1]).read())
print(f"rebuild from scratch: {int(m[1]) / float(m[2]):.0f} documents/s")
PY
