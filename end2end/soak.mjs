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
  const account = { email: "soak@example.com", password: "correct horse battery", name: "Soak" };
  const post = (path, body, token) => fetch(`${s.URL}${path}`, { method: "POST", body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  await post("/api/v1/auth/signup", account);
  const access = (await (await post("/api/v1/auth/login", account)).json()).access_token;
  const token = (await (await post("/api/v1/tokens", { name: "soak" }, access)).json()).token;
  const me = await (await fetch(`${s.URL}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).json();

  const files = Array.from({ length: UPLOADS }, (_, i) => {
    const size = Math.floor(Math.random() * 24 * 1024 * 1024) + 1;
    return { name: `soak-${i}.bin`, data: randomBytes(size) };
  });
  let retries = 0;
  const uploads = files.map((f) => new Promise((ok, fail) => {
    const upload = new tus.Upload(f.data, {
      endpoint: `${s.URL}/api/v1/uploads`, chunkSize: 8 * 1024 * 1024,
      headers: { authorization: `Bearer ${token}` },
      metadata: { filename: f.name, parent_id: me.root_id },
      retryDelays: Array(60).fill(500),
      onShouldRetry: () => { retries++; return true; },
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

  const list = await (await fetch(`${s.URL}/api/v1/nodes/${me.root_id}/children?limit=1000`,
    { headers: { authorization: `Bearer ${token}` } })).json();
  let same = 0;
  for (const f of files) {
    const node = list.items.find((n) => n.name === f.name);
    assert.ok(node, `${f.name} is listed`);
    const got = Buffer.from(await (await fetch(`${s.URL}/api/v1/nodes/${node.id}/content`,
      { headers: { authorization: `Bearer ${token}` } })).arrayBuffer());
    if (sha(got) === sha(f.data)) same++;
  }
  console.log(`${same}/${UPLOADS} complete and byte-identical; ${list.items.length} files listed`);
  assert.equal(same, UPLOADS);
  assert.equal(list.items.length, UPLOADS, "no duplicate from a retried creation");

  // The expiry sweep (it runs as a node starts): every unfinished upload made expired first.
  console.log(`before the sweep: ${sql(s, "select count(*) from uploads")} unfinished uploads (creations whose answer a kill cut off)`);
  sql(s, "update uploads set expires_at = now() - interval '1 second'");
  cluster("stop", "node_a");
  cluster("start", "node_a");
  await new Promise((r) => setTimeout(r, 2000));
  const left = {
    uploads: Number(sql(s, "select count(*) from uploads")),
    blobsWithoutVersion: Number(sql(s, "select count(*) from blobs b where not exists (select 1 from versions v where v.blob_id = b.id)")),
    multipartUploads: (s3(s, "uploads") .match(/<Upload>/g) || []).length,
    stagedTails: (s3(s, "list-type=2&prefix=staging/").match(/<Key>/g) || []).length,
  };
  const keys = [...s3(s, "list-type=2&prefix=b/&max-keys=1000").matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]);
  const known = new Set(sql(s, "select storage_key from blobs").split("\n"));
  left.objectsWithoutBlob = keys.filter((k) => !known.has(k)).length;
  console.log(`left after the sweep: ${JSON.stringify(left)}`);
  for (const [what, n] of Object.entries(left)) assert.equal(n, 0, what);
  console.log("ok   kill -9 soak");
} catch (e) {
  failed = true;
  console.log(`FAIL kill -9 soak: ${String(e.stack || e).split("\n").slice(0, 6).join("\n     ")}`);
  for (const log of ["node_a.log", "node_b.log"]) {
    try { console.log(`--- ${log}\n${readFileSync(join(clusterDir, log), "utf8").slice(-2000)}`); } catch { /* none */ }
  }
} finally {
  try { cluster("down"); } catch { /* already down */ }
  rmSync(clusterDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
