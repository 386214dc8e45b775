#!/usr/bin/env bash
# A PostgreSQL cluster of its own, for the cluster script and the fault tests (which stop it:
# never the machine's). Installs PostgreSQL from Debian when it is missing.
#   throwaway-postgres.sh start DIR PORT   creates the cluster in DIR if needed, starts it,
#                                          prints its URL (user postgres, trust auth)
#   throwaway-postgres.sh stop DIR         stops it (fast: sessions are ended)
#   throwaway-postgres.sh destroy DIR      stops it and removes DIR
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "==> installing PostgreSQL from Debian" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
fi
BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")
RUN_AS=()
if [ "$(id -u)" = 0 ]; then RUN_AS=(runuser -u postgres --); fi

cmd=${1:?start|stop|destroy}
DIR=${2:?directory}
case "$cmd" in
  start)
    PORT=${3:?port}
    mkdir -p "$DIR"
    [ "$(id -u)" != 0 ] || chown postgres "$DIR"
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
      "${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -A trust -U postgres >"$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
    fi
    "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 30 \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  destroy)
    "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR | destroy DIR" >&2; exit 2 ;;
esac
