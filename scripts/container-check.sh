#!/usr/bin/env bash
# Checks the Dockerfile's runtime stage without a container engine: reads the stage from the
# Dockerfile itself (its packages, user, copied files and environment, so the two cannot drift
# apart), builds that root with mmdebstrap (Debian bookworm), copies in what `make build` made
# where the Dockerfile copies it, and runs `gosync serve` inside with chroot, as the user it
# names. Passes when /readyz answers 200 and a PDF and a Word document get their thumbnails
# (libpdfium and LibreOffice inside the root). Part of `make test-long`, not of CI.
#   scripts/container-check.sh        (the root is cached in /var/cache/gosync when it exists)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
[ "$(id -u)" = 0 ] || { echo "run as root (mmdebstrap and chroot)" >&2; exit 1; }
command -v mmdebstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q mmdebstrap >/dev/null
[ -n "${SKIP_BUILD:-}" ] || make build

# The runtime stage, as the Dockerfile says it.
eval "$(python3 - Dockerfile <<'PY'
import re, shlex, sys
text = open(sys.argv[1]).read().replace("\\\n", " ")
stage = text[text.rindex("\nFROM "):]
run = re.search(r"apt-get install -y --no-install-recommends ([^&]+)&&", stage).group(1).split()
user = re.search(r"useradd .*--uid (\d+) .* (\w+)\s*(?:&&|$)", stage, re.M)
copies = re.findall(r"^COPY --from=build /src/(\S+) (\S+)", stage, re.M)
env = re.search(r"^ENV (.+)$", stage, re.M).group(1)
print("PACKAGES=%s" % shlex.quote(",".join(run)))
print("UID_=%s USER_=%s" % (user.group(1), user.group(2)))
print("COPIES=(%s)" % " ".join(shlex.quote("%s:%s" % c) for c in copies))
print("ENV_=(%s)" % " ".join(shlex.quote(kv) for kv in shlex.split(env)))
PY
)"
echo "==> runtime stage: user $USER_ ($UID_); packages ${PACKAGES//,/ }"

CACHE=/var/cache/gosync
KEY=$(printf '%s' "$PACKAGES" | sha256sum | cut -c1-12)
TARBALL=$([ -d "$CACHE" ] && echo "$CACHE/runtime-root-$KEY.tar" || echo "")
WORK=$(mktemp -d /tmp/gosync-container-XXXXXX)
ROOT=$WORK/root
SERVER=""
cleanup() {
  [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true
  sleep 1
  for m in proc dev/pts dev; do umount -l "$ROOT/$m" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "$TARBALL" ] && [ -f "$TARBALL" ]; then
  echo "==> the root from $TARBALL"
  mkdir -p "$ROOT" && tar -C "$ROOT" -xf "$TARBALL"
else
  echo "==> mmdebstrap: Debian bookworm with the runtime packages (a few minutes)"
  mmdebstrap --variant=minbase --aptopt='APT::Install-Recommends "false"' \
    --include="$PACKAGES" bookworm "$ROOT" http://deb.debian.org/debian >"$WORK/mmdebstrap.log" 2>&1 \
    || { tail -30 "$WORK/mmdebstrap.log" >&2; exit 1; }
  [ -z "$TARBALL" ] || tar -C "$ROOT" -cf "$TARBALL" .
fi
# The Dockerfile's user, its data directory, and what it copies.
chroot "$ROOT" useradd --system --uid "$UID_" --home-dir /data --shell /usr/sbin/nologin "$USER_"
mkdir -p "$ROOT/data" && chroot "$ROOT" chown "$USER_" /data
for c in "${COPIES[@]}"; do
  src=${c%%:*} dest=${c#*:}
  mkdir -p "$ROOT$(dirname "$dest")"
  cp -a "$REPO/$src" "$ROOT$dest"
done
mount -t proc proc "$ROOT/proc"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/pts "$ROOT/dev/pts"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "==> gosync serve in the root, as $USER_, on 127.0.0.1:$PORT"
chroot --userspec="$USER_:$USER_" "$ROOT" env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/data \
  "${ENV_[@]}" GOSYNC_ADDR="127.0.0.1:$PORT" /usr/local/bin/gosync serve >"$WORK/server.log" 2>&1 &
SERVER=$!
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 300); do curl -sf -o /dev/null "$BASE/readyz" && break; sleep 0.1; done
curl -sf "$BASE/readyz" || { echo "not ready:" >&2; tail -30 "$WORK/server.log" >&2; exit 1; }
echo

ACCOUNT='{"email":"box@example.com","password":"correct horse battery","name":"Box"}'
curl -sf -o /dev/null -H 'content-type: application/json' -d "$ACCOUNT" "$BASE/api/v1/auth/signup"
TOKEN=$(curl -sf -H 'content-type: application/json' -d "$ACCOUNT" "$BASE/api/v1/auth/login" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
ROOT_ID=$(curl -sf -H "authorization: Bearer $TOKEN" "$BASE/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["root_id"])')
"$REPO/tools/venv/bin/python" - "$WORK/letter.docx" <<'PY'
import sys, docx
d = docx.Document(); d.add_heading("A letter", 0); d.add_paragraph("Made in the container check."); d.save(sys.argv[1])
PY
printf '%%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n' >"$WORK/page.pdf"
ids=()
for f in page.pdf letter.docx; do
  meta="filename $(printf '%s' "$f" | base64 -w0),parent_id $(printf '%s' "$ROOT_ID" | base64 -w0)"
  id=$(curl -sf -D - -o /dev/null -H "authorization: Bearer $TOKEN" -H 'tus-resumable: 1.0.0' \
    -H "upload-length: $(stat -c %s "$WORK/$f")" -H "upload-metadata: $meta" \
    -H 'content-type: application/offset+octet-stream' --data-binary "@$WORK/$f" "$BASE/api/v1/uploads" \
    | tr -d '\r' | sed -n 's/^gosync-node-id: //Ip')
  ids+=("$f:$id")
done
status=0
for pair in "${ids[@]}"; do
  f=${pair%%:*} id=${pair#*:}
  got=""
  for _ in $(seq 1 600); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "authorization: Bearer $TOKEN" "$BASE/api/v1/nodes/$id/thumbnail?size=256")
    [ "$code" = 200 ] && { got=1; break; }
    sleep 0.2
  done
  if [ -n "$got" ]; then echo "ok   thumbnail of $f"; else echo "FAIL no thumbnail of $f"; status=1; fi
done
[ $status = 0 ] || tail -40 "$WORK/server.log"
health=$(curl -sf -H "authorization: Bearer $TOKEN" "$BASE/api/v1/admin/health" || true)
echo "converters: $(printf '%s' "$health" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(", ".join("%s=%s" % (c.get("name"), c.get("available", c.get("state"))) for c in d.get("converters", [])))' 2>/dev/null || echo unknown)"
exit $status
