// kill -9 soak (make test-long): 30 concurrent tus uploads of random sizes through the
// balancer while nodes are killed (-9) and started again, 20 times; clients resume as
// tus-js-client does. Then: every upload complete and byte-identical, and after the expiry
// sweep no upload row, staged tail, multipart upload, or object without a blob is left.
// Usage: node end2end/soak.mjs [KILLS] [UPLOADS]
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as tus from "tus-js-client";

const KILLS = Number(process.argv[2] || 20), UPLOADS = Number(process.argv[3] || 30);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bin = process.env.GOSYNC_BIN || join(process.env.CARGO_TARGET_DIR || join(root, "target"), "debug", "gosync");
const clusterDir = mkdtempSync(join(tmpdir(), "gosync-soak-"));
const env = { ...process.env, CLUSTER_DIR: clusterDir, GOSYNC_BIN: bin, RUST_LOG: "warn" };
const cluster = (...args) => execFileSync(join(root, "scripts", "cluster.sh"), args, { env, encoding: "utf8" });
const sql = (s, q) => execFileSync("psql", [s.DATABASE_URL, "-Atc", q], { encoding: "utf8" }).trim();
const s3 = (s, query) => execFileSync("curl", ["-sf", "--aws-sigv4", "aws:amz:us-east-1:s3",
  "--user", "gosync-cluster:gosync-cluster-secret", `${s.S3_ENDPOINT}/gosync?${query}`], { encoding: "utf8" });
const sha = (b) => createHash("sha256").update(b).digest("hex");

let failed = false;
try {
  cluster("up");
  const s = Object.fromEntries(readFileSync(join(clusterDir, "env"), "utf8").trim().split("\n")
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  const post = (path, body, token) => fetch(`${s.URL}${path}`, { method: "POST", body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  // Three people upload ten files each (one person's unfinished uploads are limited).
  const people = [];
  for (let p = 0; p < 3; p++) {
    const account = { email: `soak${p}@example.com`, password: "correct horse battery", name: `Soak ${p}` };
    await post("/api/v1/auth/signup", account);
    const access = (await (await post("/api/v1/auth/login", account)).json()).access_token;
    const token = (await (await post("/api/v1/tokens", { name: "soak" }, access)).json()).token;
    const me = await (await fetch(`${s.URL}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json();
    people.push({ token, root: me.root_id });
  }

  const files = Array.from({ length: UPLOADS }, (_, i) => {
    const size = Math.floor(Math.random() * 24 * 1024 * 1024) + 1;
    return { name: `soak-${i}.bin`, data: randomBytes(size), who: people[i % people.length] };
  });
  // As the browser's client does (public/uploads.js): a 5xx to HEAD is retried, not a restart.
  const base = new tus.DefaultHttpStack();
  const httpStack = {
    getName: () => "gosync",
    createRequest(method, url) {
      const request = base.createRequest(method, url);
      const send = request.send.bind(request);
      request.send = (body) => send(body).then((response) => {
        if (method === "HEAD" && response.getStatus() >= 500) throw new Error(`HEAD ${response.getStatus()}`);
        return response;
      });
      return request;
    },
  };
  let retries = 0;
  const answers = {};
  const uploads = files.map((f) => new Promise((ok, fail) => {
    const upload = new tus.Upload(f.data, {
      endpoint: `${s.URL}/api/v1/uploads`, chunkSize: 8 * 1024 * 1024, httpStack,
      headers: { authorization: `Bearer ${f.who.token}` },
      metadata: { filename: f.name, parent_id: f.who.root },
      retryDelays: Array(200).fill(500),
      onShouldRetry: () => { retries++; return true; },
      onAfterResponse: (req, res) => {
        const key = `${req.getMethod()} ${res.getStatus()}`;
        answers[key] = (answers[key] || 0) + 1;
      },
      onSuccess: ok, onError: fail,
    });
    upload.start();
  }));
  // Kills while the uploads run: alternately node A and node B, each started again.
  const started = Date.now();
  let kills = 0;
  const killer = (async () => {
    while (kills < KILLS) {
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1200));
      const node = kills % 2 ? "node_b" : "node_a";
      cluster("kill", node);
      kills++;
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 800));
      cluster("start", node);
    }
  })();
  await Promise.all([...uploads, killer]);
  console.log(`${UPLOADS} uploads, ${kills} kills in ${((Date.now() - started) / 1000).toFixed(1)} s; ${retries} retries`);
  console.log(`answers the clients got: ${JSON.stringify(answers)}`);

  let same = 0, listed = 0;
  for (const who of people) {
    who.list = await (await fetch(`${s.URL}/api/v1/nodes/${who.root}/children?limit=1000`,
      { headers: { authorization: `Bearer ${who.token}` } })).json();
    listed += who.list.items.length;
  }
  for (const f of files) {
    const token = f.who.token;
    const node = f.who.list.items.find((n) => n.name === f.name);
    assert.ok(node, `${f.name} is listed`);
    let response;
    for (let attempt = 0; attempt < 20; attempt++) {
      response = await fetch(`${s.URL}/api/v1/nodes/${node.id}/content`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status < 500) break;
      console.log(`     download of ${f.name}: ${response.status}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const got = Buffer.from(await response.arrayBuffer());
    if (sha(got) === sha(f.data)) { same++; continue; }
    if (got.length < 1000) console.log(`     ${f.name}: ${response.status} ${got.toString().slice(0, 200)}`);
    let at = 0;
    while (at < got.length && at < f.data.length && got[at] === f.data[at]) at++;
    console.log(`     ${f.name}: ${got.length} bytes for ${f.data.length}; first difference at ${at} (part ${Math.floor(at / (8 << 20))}, +${at % (8 << 20)})`);
  }
  console.log(`${same}/${UPLOADS} complete and byte-identical; ${listed} files listed`);
  assert.equal(same, UPLOADS);
  assert.equal(listed, UPLOADS, "no duplicate from a retried creation");

  // The expiry sweep (it runs as a node starts): every unfinished upload made expired first.
  console.log(`before the sweep: ${sql(s, "select count(*) from uploads")} unfinished uploads (creations whose answer a kill cut off)`);
  sql(s, "update uploads set expires_at = now() - interval '1 second'");
  cluster("stop", "node_a");
  cluster("start", "node_a");
  // The upload sweep runs half a minute after a node starts: wait for it (up to 90 s).
  const leftover = () => {
    const left = {
      uploads: Number(sql(s, "select count(*) from uploads")),
      blobsWithoutVersion: Number(sql(s, "select count(*) from blobs b where not exists (select 1 from versions v where v.blob_id = b.id)")),
      multipartUploads: (s3(s, "uploads=").match(/<Upload>/g) || []).length,
      stagedTails: (s3(s, "list-type=2&prefix=staging%2F").match(/<Key>/g) || []).length,
    };
    const keys = [...s3(s, "list-type=2&max-keys=1000&prefix=b%2F").matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]);
    const known = new Set(sql(s, "select storage_key from blobs").split("\n"));
    left.objectsWithoutBlob = keys.filter((k) => !known.has(k)).length;
    return left;
  };
  let left = leftover();
  console.log(`left before the sweep: ${JSON.stringify(left)}`);
  for (const until = Date.now() + 90_000; Date.now() < until; ) {
    await new Promise((r) => setTimeout(r, 2000));
    left = leftover();
    if (Object.values(left).every((n) => n === 0)) break;
  }
  console.log(`left after the sweep: ${JSON.stringify(left)}`);
  for (const [what, n] of Object.entries(left)) assert.equal(n, 0, what);
  // What the sweep aborted was nobody's: every file still reads back whole.
  let intact = 0;
  for (const f of files) {
    const node = f.who.list.items.find((n) => n.name === f.name);
    const got = await fetch(`${s.URL}/api/v1/nodes/${node.id}/content`, { headers: { authorization: `Bearer ${f.who.token}` } });
    if (got.ok && sha(Buffer.from(await got.arrayBuffer())) === sha(f.data)) intact++;
  }
  console.log(`${intact}/${UPLOADS} byte-identical after the sweep`);
  assert.equal(intact, UPLOADS, "every file intact after the sweep");
  console.log("ok   kill -9 soak");
} catch (e) {
  failed = true;
  console.log(`FAIL kill -9 soak: ${String(e.stack || e).split("\n").slice(0, 6).join("\n     ")}`);
  for (const log of ["node_a.log", "node_b.log"]) {
    try { console.log(`--- ${log}\n${readFileSync(join(clusterDir, log), "utf8").slice(-2000)}`); } catch { /* none */ }
  }
} finally {
  if (failed) {
    try { execFileSync("sh", ["-c", `mkdir -p /tmp/soak-logs && cp ${clusterDir}/*.log /tmp/soak-logs/`]); } catch { /* none */ }
  }
  try { cluster("down"); } catch { /* already down */ }
  rmSync(clusterDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
