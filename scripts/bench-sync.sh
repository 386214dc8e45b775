#!/usr/bin/env bash
# `gosync sync` measured on this machine against a release server (SQLite, local disk):
#   1. the first sync of FILES small files (1-8 KiB) up, then down on a second client;
#   2. a run with nothing to do over the same tree (and over BIG files: set BIG=100000);
#   3. a save on one computer until it is on the other (two watching clients), 10 times;
#   4. rclone bisync over WebDAV on the same tree, for comparison.
#   scripts/bench-sync.sh [FILES]   (default 10000; SKIP_BUILD=1 to use target/release/gosync)
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${1:-10000}
[ -n "${SKIP_BUILD:-}" ] || make build
BIN=$PWD/target/release/gosync
WORK=$(mktemp -d /tmp/gosync-bench-sync-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
RUST_LOG=warn "$BIN" serve --addr "127.0.0.1:$PORT" --data-dir "$WORK/server" >"$WORK/server.log" 2>&1 &
until curl -sf "$URL/readyz" >/dev/null; do sleep 0.2; done

ACCOUNT='{"email":"bench@example.com","password":"correct horse battery","name":"Bench"}'
curl -sf -o /dev/null -H 'content-type: application/json' -d "$ACCOUNT" "$URL/api/v1/auth/signup"
ACCESS=$(curl -sf -H 'content-type: application/json' -d "$ACCOUNT" "$URL/api/v1/auth/login" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
export GOSYNC_TOKEN=$(curl -sf -H "authorization: Bearer $ACCESS" -H 'content-type: application/json' \
  -d '{"name":"bench"}' "$URL/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

mkdir -p "$WORK/a" "$WORK/b"
python3 - "$WORK/a" "$FILES" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
for i in range(n):
    d = os.path.join(root, "d%03d" % (i // 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d.txt" % i), "wb") as f:
        f.write(os.urandom(random.randint(1024, 8192)))
PY
timed() { local t0=$(date +%s.%N); "$@" >/dev/null; python3 -c "print('%.1f' % ($(date +%s.%N) - $t0))"; }
# sync_once DIR FOLDER: one run keeping DIR in step with the drive's FOLDER.
sync_once() { "$BIN" sync "$1" --server "$URL" --folder "$2" --once --json; }
echo "first sync up of $FILES files:   $(timed sync_once "$WORK/a" tree) s"
echo "first sync down on a 2nd client: $(timed sync_once "$WORK/b" tree) s"
echo "a run with nothing to do:        $(timed sync_once "$WORK/a" tree) s ($FILES files)"
if [ -n "${BIG:-}" ]; then
  mkdir -p "$WORK/big"
  python3 - "$WORK/big" "$BIG" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, "d%04d" % (i // 1000))
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "f%06d" % i), "wb").write(b"%d" % i)
PY
  # A folder of its own on the drive: the clients below do not sync it.
  echo "first sync up of $BIG files:  $(timed sync_once "$WORK/big" big) s"
  echo "a run with nothing to do:        $(timed sync_once "$WORK/big" big) s ($BIG files)"
fi

echo "save here, there on the other computer (two watching clients, 10 saves):"
"$BIN" sync "$WORK/a" --server "$URL" --folder tree --json >"$WORK/watch-a.log" 2>&1 &
"$BIN" sync "$WORK/b" --server "$URL" --folder tree --json >"$WORK/watch-b.log" 2>&1 &
sleep 3
python3 - "$WORK/a" "$WORK/b" <<'PY'
import os, sys, time
a, b = sys.argv[1:]
times = []
for i in range(10):
    body = b"saved %d at %f" % (i, time.time())
    t0 = time.time()
    with open(os.path.join(a, "d000", "saved.txt"), "wb") as f:
        f.write(body)
    target = os.path.join(b, "d000", "saved.txt")
    while True:
        try:
            if open(target, "rb").read() == body:
                break
        except FileNotFoundError:
            pass
        if time.time() - t0 > 60:
            print("  not there after 60 s"); sys.exit(1)
        time.sleep(0.02)
    times.append(time.time() - t0)
    time.sleep(1)
times.sort()
print("  median %.2f s, slowest %.2f s" % (times[len(times) // 2], times[-1]))
PY
kill %2 %3 2>/dev/null || true

if command -v rclone >/dev/null; then
  APP=$(curl -sf -H "authorization: Bearer $ACCESS" -H 'content-type: application/json' \
    -d '{"name":"rclone"}' "$URL/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  export RCLONE_CONFIG=$WORK/rclone.conf
  rclone config create gs webdav url="$URL/dav/" vendor=owncloud user=bench@example.com \
    pass="$(rclone obscure "$APP")" >/dev/null
  mkdir -p "$WORK/r"
  rclone mkdir gs:rclone
  cp -r "$WORK/a/." "$WORK/r/" && rm -rf "$WORK/r/.gosync" "$WORK/r/.gosync-trash"
  # rclone's own answer matters: a failed run is not a figure.
  rtimed() { local t0=$(date +%s.%N); "$@" >"$WORK/rclone.log" 2>&1 || { echo "failed: $(tail -1 "$WORK/rclone.log")"; return; }; python3 -c "print('%.1f s' % ($(date +%s.%N) - $t0))"; }
  echo "rclone bisync, first run (--resync) on the same tree: $(rtimed rclone bisync "$WORK/r" gs:rclone --resync --transfers 16 --checkers 16)"
  echo "rclone bisync, nothing to do:                         $(rtimed rclone bisync "$WORK/r" gs:rclone --transfers 16 --checkers 16)"
fi
