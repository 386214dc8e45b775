#!/usr/bin/env bash
# Same machine, same run: a 1 GiB file sent in one streamed request with curl, to nginx (WebDAV
# PUT, Debian's nginx) and to GoSync (tus creation-with-upload), then downloaded from each.
# Prints MiB/s for each and the ratios. Usage: scripts/bench-vs-nginx.sh [MiB=1024]
set -euo pipefail
cd "$(dirname "$0")/.."
MIB=${1:-1024}
command -v nginx >/dev/null || { echo "==> installing nginx (Debian)"; apt-get install -y -q --no-install-recommends nginx >/dev/null; }
[ -x target/release/gosync ] || make build
WORK=$(mktemp -d /tmp/gosync-vs-nginx-XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NPORT=$(free_port); GPORT=$(free_port)
mkdir -p "$WORK/www" "$WORK/nginx-tmp" "$WORK/data"
chmod a+rwx "$WORK" "$WORK/www" "$WORK/nginx-tmp"  # nginx workers run as nobody
cat > "$WORK/nginx.conf" <<CONF
worker_processes 2; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log;
events {}
http {
  access_log off; client_body_temp_path $WORK/nginx-tmp; client_max_body_size 0; sendfile on;
  server { listen 127.0.0.1:$NPORT; root $WORK/www; dav_methods PUT; create_full_put_path on; }
}
CONF
nginx -c "$WORK/nginx.conf"
RUST_LOG=warn target/release/gosync serve --addr "127.0.0.1:$GPORT" --data-dir "$WORK/data" &
GPID=$!
trap 'kill $GPID 2>/dev/null || true; nginx -c "$WORK/nginx.conf" -s stop 2>/dev/null; sleep 0.2; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$GPORT/healthz" >/dev/null; do sleep 0.05; done
head -c $((MIB * 1048576)) /dev/urandom > "$WORK/file.bin"

G="http://127.0.0.1:$GPORT"
curl -sf "$G/api/v1/auth/signup" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"benchmark password","name":"Bench"}' >/dev/null
TOKEN=$(curl -sf "$G/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"benchmark password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
ROOT=$(curl -sf "$G/api/v1/me" -H "authorization: Bearer $TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["root_id"])')

rate() { python3 -c "print(f'{$MIB / $1:.0f}')"; }
t() { local s; s=$(date +%s.%N); "$@" >/dev/null || { echo "failed: $*" >&2; exit 1; }; python3 -c "print($(date +%s.%N) - $s)"; }

N_UP=$(t curl -sf -T "$WORK/file.bin" "http://127.0.0.1:$NPORT/file.bin")
G_UP=$(t curl -sf "$G/api/v1/uploads" -H "authorization: Bearer $TOKEN" -H 'tus-resumable: 1.0.0' \
  -H "upload-length: $((MIB * 1048576))" -H 'content-type: application/offset+octet-stream' \
  -H "upload-metadata: filename $(printf file.bin | base64),parent_id $(printf "$ROOT" | base64 -w0)" \
  -X POST -T "$WORK/file.bin")
ID=$(curl -sf "$G/api/v1/nodes/$ROOT/children" -H "authorization: Bearer $TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
N_DOWN=$(t curl -sf -o /dev/null "http://127.0.0.1:$NPORT/file.bin")
G_DOWN=$(t curl -sf -o /dev/null "$G/api/v1/nodes/$ID/content" -H "authorization: Bearer $TOKEN")

echo "upload   ${MIB} MiB: nginx $(rate "$N_UP") MiB/s, GoSync $(rate "$G_UP") MiB/s, ratio $(python3 -c "print(f'{$N_UP / $G_UP:.2f}')")x"
echo "download ${MIB} MiB: nginx $(rate "$N_DOWN") MiB/s, GoSync $(rate "$G_DOWN") MiB/s, ratio $(python3 -c "print(f'{$N_DOWN / $G_DOWN:.2f}')")x"
