#!/usr/bin/env bash
# The cluster under a mixed load (wrk, 32 connections): 70% folder listings, 20% downloads,
# 10% small uploads (tus creation-with-upload, 4 KiB). Measured through the balancer, then on
# one node alone (the ratio), then through the balancer with one node killed halfway (errors
# clients saw, and how long the balancer kept sending to the dead node). Then the cost of each
# node keeping its own search index: index size and indexing CPU per 1,000 uploads.
#   scripts/bench-cluster.sh [SECONDS]   (default 300 per run)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-300}
command -v wrk >/dev/null || { echo "==> installing wrk (Debian)"; DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; }
[ -n "${SKIP_BUILD:-}" ] || make build
export CLUSTER_DIR=$(mktemp -d /tmp/gosync-bench-cluster-XXXXXX)
trap 'scripts/cluster.sh down >/dev/null 2>&1 || true' EXIT
RUST_LOG=warn scripts/cluster.sh up
set -a; . "$CLUSTER_DIR/env"; set +a

ACCOUNT='{"email":"bench@example.com","password":"correct horse battery","name":"Bench"}'
curl -sf -o /dev/null -H 'content-type: application/json' -d "$ACCOUNT" "$URL/api/v1/auth/signup"
ACCESS=$(curl -sf -H 'content-type: application/json' -d "$ACCOUNT" "$URL/api/v1/auth/login" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
TOKEN=$(curl -sf -H "authorization: Bearer $ACCESS" -H 'content-type: application/json' \
  -d '{"name":"bench"}' "$URL/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
ROOT=$(curl -sf -H "authorization: Bearer $TOKEN" "$URL/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["root_id"])')
FOLDER=$(curl -sf -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d "{\"parent_id\":\"$ROOT\",\"name\":\"Load\"}" "$URL/api/v1/folders" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

echo "==> seeding 200 files of 4-64 KiB"
IDS=$(python3 - "$URL" "$TOKEN" "$FOLDER" <<'PY'
import base64, os, sys, urllib.request
url, token, folder = sys.argv[1:]
ids = []
for i in range(200):
    body = os.urandom(4096 * (1 + i % 16))
    meta = "filename %s,parent_id %s" % (base64.b64encode(b"seed-%d.bin" % i).decode(), base64.b64encode(folder.encode()).decode())
    req = urllib.request.Request(url + "/api/v1/uploads", data=body, method="POST", headers={
        "authorization": "Bearer " + token, "tus-resumable": "1.0.0", "upload-length": str(len(body)),
        "upload-metadata": meta, "content-type": "application/offset+octet-stream"})
    ids.append(urllib.request.urlopen(req).headers["gosync-node-id"])
print(" ".join(ids))
PY
)
LUA=$CLUSTER_DIR/mixed.lua
cat >"$LUA" <<LUA
local token, folder = "$TOKEN", "$FOLDER"
local ids = {}
for id in string.gmatch("$IDS", "%S+") do ids[#ids + 1] = id end
local meta_parent = "$(printf '%s' "$FOLDER" | base64 -w0)"
local body = string.rep("x", 4096)
local threads, counter = {}, 0
local function b64(s)
  local b = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  return ((s:gsub(".", function(x)
    local r, c = "", x:byte()
    for i = 8, 1, -1 do r = r .. (c % 2 ^ i - c % 2 ^ (i - 1) > 0 and "1" or "0") end
    return r
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
    if #x < 6 then return "" end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return b:sub(c + 1, c + 1)
  end) .. ({ "", "==", "=" })[#s % 3 + 1])
end
function setup(thread) thread:set("id", #threads); threads[#threads + 1] = thread end
function init() statuses = {}; n = 0 end
function request()
  n = n + 1
  local r = math.random(100)
  if r <= 70 then
    return wrk.format("GET", "/api/v1/nodes/" .. folder .. "/children?limit=100", { Authorization = "Bearer " .. token })
  elseif r <= 90 then
    return wrk.format("GET", "/api/v1/nodes/" .. ids[math.random(#ids)] .. "/content", { Authorization = "Bearer " .. token })
  end
  local name = "up-" .. id .. "-" .. n .. "-" .. math.random(1e9) .. ".bin"
  return wrk.format("POST", "/api/v1/uploads", {
    Authorization = "Bearer " .. token, ["Tus-Resumable"] = "1.0.0", ["Upload-Length"] = "4096",
    ["Upload-Metadata"] = "filename " .. b64(name) .. ",parent_id " .. meta_parent,
    ["Content-Type"] = "application/offset+octet-stream" }, body)
end
function response(status) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do total[k] = (total[k] or 0) + v end
  end
  local line = ""
  for k, v in pairs(total) do line = line .. k .. "=" .. v .. " " end
  io.write(string.format("requests/s %.0f  p50 %.1f ms  p99 %.1f ms  statuses: %s socket errors: %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    line, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

run() { wrk -t2 -c32 -d"${SECS}s" --latency -s "$LUA" "$1" | tail -1; }
echo "==> through the balancer ($SECS s)"; BAL=$(run "$URL"); echo "$BAL"
echo "==> node A alone ($SECS s)"; ONE=$(run "$NODE_A_URL"); echo "$ONE"
python3 - "$BAL" "$ONE" <<'PY'
import sys
rate = lambda s: float(s.split()[1])
print("balanced / one node: %.2fx" % (rate(sys.argv[1]) / rate(sys.argv[2])))
PY

echo "==> through the balancer, node B killed after $((SECS / 2)) s"
( sleep $((SECS / 2)); date +%s.%N >"$CLUSTER_DIR/killed"; scripts/cluster.sh kill node_b ) &
KILLED=$(run "$URL"); echo "$KILLED"
python3 - "$CLUSTER_DIR/nginx/error.log" "$(cat "$CLUSTER_DIR/killed")" <<'PY'
import re, sys, datetime
killed = float(sys.argv[2])
last = None
for line in open(sys.argv[1], errors="replace"):
    if "connect() failed" in line and "upstream" in line:
        t = datetime.datetime.strptime(line[:19], "%Y/%m/%d %H:%M:%S").timestamp()
        last = t
if last:
    print("nginx's last try of the dead node: %.1f s after the kill (it tries once per fail_timeout;"
          " each refused try goes on to the live node)" % (last - killed))
# Requests the dead node dropped after they were sent: nginx asks the live node again for the
# idempotent ones (GET); a POST is answered 502 for the client to retry (tus clients do).
cut = {}
for line in open(sys.argv[1], errors="replace"):
    m = re.search(r'(prematurely closed|reset by peer|Broken pipe).*request: "(\w+) (\S+)', line)
    if m:
        kind = "%s %s" % (m.group(2), re.sub(r"/[0-9a-f-]{36}", "/{id}", m.group(3).split("?")[0]))
        cut[kind] = cut.get(kind, 0) + 1
for kind, n in sorted(cut.items()):
    print("cut off by the kill: %d x %s (%s)" % (n, kind,
          "asked again of the live node" if kind.startswith(("GET", "HEAD")) else "502 to the client, which retries"))
PY
scripts/cluster.sh start node_b >/dev/null

echo "==> search index per node: 1,000 text uploads through node A; node B only indexes"
pid_of() { . "$CLUSTER_DIR/env"; local v=${1^^}_PID; echo "${!v}"; }
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
B=$(pid_of node_b); before_cpu=$(cpu "$B"); before_size=$(du -sk "$CLUSTER_DIR/node_b/search" | cut -f1)
python3 - "$NODE_A_URL" "$TOKEN" "$FOLDER" <<'PY'
import base64, random, sys, urllib.request
url, token, folder = sys.argv[1:]
words = "harbour ledger invoice river meadow copper lantern orchard quarry beacon summit".split()
for i in range(1000):
    body = (" ".join(random.choice(words) for _ in range(300)) + " doc%d" % i).encode()
    meta = "filename %s,parent_id %s" % (base64.b64encode(b"note-%d.txt" % i).decode(), base64.b64encode(folder.encode()).decode())
    req = urllib.request.Request(url + "/api/v1/uploads", data=body, method="POST", headers={
        "authorization": "Bearer " + token, "tus-resumable": "1.0.0", "upload-length": str(len(body)),
        "upload-metadata": meta, "content-type": "application/offset+octet-stream"})
    urllib.request.urlopen(req).read()
PY
until curl -sf -H "authorization: Bearer $TOKEN" "$NODE_B_URL/api/v1/search?q=doc999" | grep -q note-999; do sleep 0.5; done
sleep 2
after_cpu=$(cpu "$B"); after_size=$(du -sk "$CLUSTER_DIR/node_b/search" | cut -f1)
TICK=$(getconf CLK_TCK)
echo "node B: indexing CPU $(( (after_cpu - before_cpu) * 1000 / TICK )) ms per 1,000 uploads; index grew $(( after_size - before_size )) KiB (now $after_size KiB)"
