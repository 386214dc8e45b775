#!/usr/bin/env bash
# PROPFIND Depth 1 of a folder of N files (default 10,000), same machine, same run: nginx with
# the dav-ext module (Debian's; it reads a directory, no database) beside GoSync's WebDAV
# (SQLite, the listing with its locks and dead properties from the database). Prints the
# median and best of 15 requests each (after 3 warm-ups), the body sizes, and the ratio.
# Usage: scripts/bench-dav-propfind.sh [N=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
if [ ! -e /usr/lib/nginx/modules/ngx_http_dav_ext_module.so ]; then
  echo "==> installing nginx and its dav-ext module (Debian)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light libnginx-mod-http-dav-ext >/dev/null
fi
make build >/dev/null
WORK=$(mktemp -d /tmp/gosync-propfind-XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NPORT=$(free_port); GPORT=$(free_port)
mkdir -p "$WORK/www/dav/big" "$WORK/nginx-tmp" "$WORK/data"
chmod -R a+rwx "$WORK"
cat > "$WORK/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_dav_ext_module.so;
worker_processes 2; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log;
events {}
http {
  access_log off; client_body_temp_path $WORK/nginx-tmp;
  server { listen 127.0.0.1:$NPORT; root $WORK/www;
    location /dav/ { dav_ext_methods PROPFIND OPTIONS; } }
}
CONF
nginx -c "$WORK/nginx.conf"
RUST_LOG=warn GOSYNC_PREVIEWS__IN_PROCESS=false target/release/gosync serve --addr "127.0.0.1:$GPORT" --data-dir "$WORK/data" &
GPID=$!
trap 'kill $GPID 2>/dev/null || true; nginx -c "$WORK/nginx.conf" -s stop 2>/dev/null; sleep 0.2; rm -rf "$WORK"' EXIT
until curl -sf "http://127.0.0.1:$GPORT/healthz" >/dev/null; do sleep 0.05; done

G="http://127.0.0.1:$GPORT"
curl -sf "$G/api/v1/auth/signup" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"benchmark password","name":"Bench"}' >/dev/null
TOKEN=$(curl -sf "$G/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"benchmark password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
PAT=$(curl -sf "$G/api/v1/tokens" -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"name":"bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -sf -u "bench@example.com:$PAT" -X MKCOL "$G/dav/big" >/dev/null

echo "==> $N files in each (GoSync: WebDAV PUTs, 8 at a time)"
python3 - "$N" "$WORK/www/dav/big" "$GPORT" "$PAT" <<'PY'
import base64, http.client, sys
from concurrent.futures import ThreadPoolExecutor
n, folder, port, pat = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
auth = "Basic " + base64.b64encode(f"bench@example.com:{pat}".encode()).decode()
def body(i): return f"file {i}\n".encode()
for i in range(n):
    with open(f"{folder}/file-{i:05}.txt", "wb") as f: f.write(body(i))
def put(part):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for i in part:
        c.request("PUT", f"/dav/big/file-{i:05}.txt", body(i), {"Authorization": auth})
        r = c.getresponse(); r.read()
        assert r.status == 201, r.status
with ThreadPoolExecutor(8) as pool:
    list(pool.map(put, [range(k, n, 8) for k in range(8)]))
PY

measure() { # url, auth → "median best bytes"
  local url=$1; shift
  for _ in 1 2 3; do curl -sf -o /dev/null -X PROPFIND -H 'Depth: 1' "$@" "$url"; done
  for _ in $(seq 15); do
    curl -sf -o /dev/null -w '%{time_total} %{size_download}\n' -X PROPFIND -H 'Depth: 1' "$@" "$url"
  done | sort -n | awk '{t[NR]=$1; b=$2} END {printf "%.1f %.1f %d\n", t[8]*1000, t[1]*1000, b}'
}
read -r NMED NBEST NBYTES < <(measure "http://127.0.0.1:$NPORT/dav/big/")
read -r GMED GBEST GBYTES < <(measure "$G/dav/big/" -u "bench@example.com:$PAT")
GCOUNT=$(curl -sf -X PROPFIND -H 'Depth: 1' -u "bench@example.com:$PAT" "$G/dav/big/" | grep -o '<D:response>' | wc -l)
NCOUNT=$(curl -sf -X PROPFIND -H 'Depth: 1' "http://127.0.0.1:$NPORT/dav/big/" | grep -o '<D:response>' | wc -l)
echo "PROPFIND Depth 1, $N files: nginx dav-ext median ${NMED} ms (best ${NBEST}), ${NCOUNT} responses, ${NBYTES} bytes"
echo "PROPFIND Depth 1, $N files: GoSync        median ${GMED} ms (best ${GBEST}), ${GCOUNT} responses, ${GBYTES} bytes"
echo "ratio (GoSync / nginx, median): $(python3 -c "print(f'{$GMED / $NMED:.2f}')")x"
