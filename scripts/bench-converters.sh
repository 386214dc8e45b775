#!/usr/bin/env bash
# The previews' converters, measured as GoSync runs them (release build, in the sandbox, one
# job at a time): seconds and peak memory of LibreOffice on a 10-page DOCX and a 20-slide
# PPTX, of ffmpeg on a 10 s 1080p video, of tesseract on an A4 page at 300 dpi (photo and
# scanned PDF), and the whole thumbnail job of each. Beside them, the anchors: LibreOffice on
# the same DOCX outside GoSync (a bare `soffice --convert-to pdf`) and tesseract on the page.
# Usage: scripts/bench-converters.sh
set -euo pipefail
cd "$(dirname "$0")/.."
make build >/dev/null
scripts/setup-test.sh >/dev/null
WORK=$(mktemp -d /tmp/gosync-bench-converters-XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
trap 'kill $GPID 2>/dev/null || true; sleep 0.3; rm -rf "$WORK"' EXIT

echo "==> fixtures"
tools/venv/bin/python server/tests/fixtures/previews/make_fixtures.py "$WORK/fx" --bench
ffmpeg -v error -f lavfi -i testsrc2=duration=10:size=1920x1080:rate=30 -c:v libx264 \
  -pix_fmt yuv420p -y "$WORK/fx/film.mp4"

RUST_LOG=warn,server::previews::sandbox=debug GOSYNC_LOG_FORMAT=json GOSYNC_PREVIEWS__WORKERS=1 \
  target/release/gosync serve --addr "127.0.0.1:$PORT" --data-dir "$WORK/data" > "$WORK/server.log" 2>&1 &
GPID=$!
G="http://127.0.0.1:$PORT"
until curl -sf "$G/healthz" >/dev/null; do sleep 0.1; done
curl -sf "$G/api/v1/auth/signup" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"benchmark password","name":"Bench"}' >/dev/null
TOKEN=$(curl -sf "$G/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"benchmark password"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

python3 - "$G" "$TOKEN" "$WORK" <<'PY'
import base64, json, re, sys, time, urllib.request
g, token, work = sys.argv[1:4]
auth = {"Authorization": f"Bearer {token}"}
def call(method, path, body=None, headers=None):
    req = urllib.request.Request(g + path, data=body, method=method, headers={**auth, **(headers or {})})
    with urllib.request.urlopen(req) as r:
        return r.status, r.read()
root = json.loads(call("GET", "/api/v1/me")[1])["root_id"]
def lines():
    out = []
    for line in open(f"{work}/server.log"):
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return [l for l in out if l.get("fields", {}).get("message") == "converter finished"]
files = [("bench-10.docx", "10-page DOCX"), ("bench-20.pptx", "20-slide PPTX"),
         ("film.mp4", "10 s 1080p MP4"), ("words.png", "photo with words"),
         ("scan.pdf", "A4 scan at 300 dpi (1 page)")]
print(f"{'file':32} {'converter':12} {'seconds':>8} {'peak MB':>8}")
for name, label in files:
    data = open(f"{work}/fx/{name}", "rb").read()
    before = len(lines())
    meta = f"filename {base64.b64encode(name.encode()).decode()},parent_id {base64.b64encode(root.encode()).decode()}"
    start = time.time()
    call("POST", "/api/v1/uploads", data, {"tus-resumable": "1.0.0", "upload-length": str(len(data)),
         "upload-metadata": meta, "content-type": "application/offset+octet-stream"})
    # Wait until no job is queued or running (thumbnail, text, OCR all done).
    time.sleep(0.5)
    while time.time() - start < 300:
        jobs = json.loads(call("GET", "/api/v1/admin/stats")[1])["jobs"]
        if not jobs.get("queued") and not jobs.get("running"):
            break
        time.sleep(0.2)
    for l in lines()[before:]:
        f = l["fields"]
        print(f"{label:32} {f['what']:12} {f['secs']:8.2f} {f['peak_mb']:8}")
PY

echo "==> anchors, outside GoSync"
mkdir -p "$WORK/anchor"
start=$(date +%s.%N)
soffice --headless --norestore "-env:UserInstallation=file://$WORK/anchor/profile" \
  --convert-to pdf --outdir "$WORK/anchor" "$WORK/fx/bench-10.docx" >/dev/null 2>&1
echo "bare soffice, 10-page DOCX, fresh profile: $(python3 -c "import time; print(f'{time.time() - $start:.2f}')") s"
start=$(date +%s.%N)
soffice --headless --norestore "-env:UserInstallation=file://$WORK/anchor/profile" \
  --convert-to pdf --outdir "$WORK/anchor" "$WORK/fx/report.docx" >/dev/null 2>&1
echo "bare soffice, 2-page DOCX, warm profile: $(python3 -c "import time; print(f'{time.time() - $start:.2f}')") s"
start=$(date +%s.%N)
tesseract "$WORK/fx/words.png" - >/dev/null 2>&1
echo "bare tesseract, photo with words: $(python3 -c "import time; print(f'{time.time() - $start:.2f}')") s"
