// The cluster as a team deploys it (scripts/cluster.sh): nginx in front of two nodes, a
// preview worker, PostgreSQL and SeaweedFS. Browsers pinned to one node see what the other
// did; a node killed mid-upload loses nothing; search and thumbnails work across nodes.
// Usage: node end2end/cluster.mjs   (GOSYNC_BIN overrides the server binary)
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { pdf } from "./previews.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const targetDir = process.env.CARGO_TARGET_DIR || join(root, "target");
const bin = process.env.GOSYNC_BIN || join(targetDir, "debug", "gosync");
const clusterDir = mkdtempSync(join(tmpdir(), "gosync-cluster-"));
const env = { ...process.env, CLUSTER_DIR: clusterDir, GOSYNC_BIN: bin, RUST_LOG: "warn",
  GOSYNC_PDFIUM_PATH: join(root, "tools", "pdfium", "libpdfium.so") };
const cluster = (...args) => execFileSync(join(root, "scripts", "cluster.sh"), args, { env, encoding: "utf8" });
const ACCOUNT = { email: "cleo@example.com", password: "correct horse battery", name: "Cleo" };
const WAIT = 15_000;
const ARTIFACTS = join(root, "end2end", "artifacts");

async function until(what, check, ms = WAIT) {
  const started = Date.now();
  for (;;) {
    const value = await check().catch(() => null);
    if (value) return { value, ms: Date.now() - started };
    if (Date.now() - started > ms) throw new Error(`waited ${ms / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function api(base, token, path, init = {}) {
  const headers = { ...(init.headers || {}), authorization: `Bearer ${token}` };
  return fetch(`${base}${path}`, { ...init, headers });
}

async function signInApi(base) {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: "POST",
    headers: { "content-type": "application/json" }, body: JSON.stringify(ACCOUNT) });
  const { access_token: token } = await r.json();
  const me = await (await api(base, token, "/api/v1/me")).json();
  return { token, rootId: me.root_id };
}

const meta = (o) => Object.entries(o).map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`).join(",");

/** A file in one request (tus creation-with-upload); returns its id. */
async function uploadSmall(base, token, parent, name, bytes) {
  const r = await api(base, token, "/api/v1/uploads", { method: "POST", body: bytes, headers: {
    "tus-resumable": "1.0.0", "upload-length": String(bytes.length),
    "upload-metadata": meta({ filename: name, parent_id: parent }),
    "content-type": "application/offset+octet-stream" } });
  assert.equal(r.status, 201, `upload of ${name}: ${await r.text()}`);
  return r.headers.get("gosync-node-id");
}

const tests = [
  ["through the balancer: sign in, upload a folder; a browser on the other node sees it, sessions hold on both", async ({ browser, s }) => {
    const a = await browser.newContext({ baseURL: s.A_URL });
    const page = await a.newPage();
    await page.goto("/login");
    await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
    await page.fill("#email", ACCOUNT.email);
    await page.fill("#password", ACCOUNT.password);
    await page.click("#login-form button[type=submit]");
    await page.waitForURL((u) => u.pathname === "/");
    await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
    const dir = mkdtempSync(join(tmpdir(), "gosync-trip-"));
    mkdirSync(join(dir, "Trip", "day 2"), { recursive: true });
    writeFileSync(join(dir, "Trip", "notes.txt"), "packing list");
    writeFileSync(join(dir, "Trip", "day 2", "plan.txt"), "the harbour at nine");
    await page.setInputFiles("#upload-folder", join(dir, "Trip"));
    await page.waitForFunction(() => document.querySelectorAll(".upload-item[data-state=done]").length === 2);
    rmSync(dir, { recursive: true, force: true });
    // Another browser window, with the same session, whose requests all go to node B.
    const b = await browser.newContext({ baseURL: s.B_URL, storageState: await a.storageState() });
    const other = await b.newPage();
    await other.goto("/");
    await other.waitForSelector("tr.entry a:has-text('Trip')");
    await other.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
    await other.click("tr.entry a:has-text('Trip')");
    await other.waitForSelector("tr.entry a:has-text('notes.txt')");
    await other.click("tr.entry a:has-text('day 2')");
    await other.waitForSelector("tr.entry a:has-text('plan.txt')");
    // And through the balancer, wherever it sends each request.
    const lb = await browser.newContext({ baseURL: s.URL, storageState: await a.storageState() });
    const third = await lb.newPage();
    for (let i = 0; i < 4; i++) {
      await third.goto("/");
      await third.waitForSelector("tr.entry a:has-text('Trip')");
    }
    await Promise.all([a.close(), b.close(), lb.close()]);
  }],

  ["kill -9 of node A in the middle of a 50 MB upload: resumed through node B, byte-identical", async ({ s }) => {
    const { token, rootId } = await signInApi(s.A_URL);
    const data = randomBytes(50 * 1024 * 1024);
    const created = await api(s.A_URL, token, "/api/v1/uploads", { method: "POST", headers: {
      "tus-resumable": "1.0.0", "upload-length": String(data.length),
      "upload-metadata": meta({ filename: "big.bin", parent_id: rootId }) } });
    assert.equal(created.status, 201);
    const at = new URL(created.headers.get("location"), s.A_URL).pathname;
    // The body goes out a MiB at a time; node A dies at a random point of it.
    const killAt = 16 + Math.floor(Math.random() * 30);
    let sent = 0;
    const body = new ReadableStream({
      async pull(controller) {
        if (sent >= data.length) return controller.close();
        controller.enqueue(data.subarray(sent, sent + (1 << 20)));
        sent += 1 << 20;
        if (sent === killAt << 20) cluster("kill", "node_a");
        await new Promise((r) => setTimeout(r, 20));
      },
    });
    const cut = await api(s.A_URL, token, at, { method: "PATCH", body, duplex: "half", headers: {
      "tus-resumable": "1.0.0", "upload-offset": "0", "content-type": "application/offset+octet-stream" } })
      .then((r) => r.status, (e) => e.message);
    assert.notEqual(cut, 204, "node A died before the end");
    const head = await api(s.B_URL, token, at, { method: "HEAD", headers: { "tus-resumable": "1.0.0" } });
    assert.equal(head.status, 200);
    const offset = Number(head.headers.get("upload-offset"));
    assert.ok(offset <= killAt << 20, `offset ${offset} at most what was sent before the kill`);
    const rest = await api(s.B_URL, token, at, { method: "PATCH", body: data.subarray(offset), headers: {
      "tus-resumable": "1.0.0", "upload-offset": String(offset), "content-type": "application/offset+octet-stream" } });
    assert.equal(rest.status, 204, await rest.text());
    const id = rest.headers.get("gosync-node-id");
    const got = Buffer.from(await (await api(s.B_URL, token, `/api/v1/nodes/${id}/content`)).arrayBuffer());
    assert.equal(createHash("sha256").update(got).digest("hex"), createHash("sha256").update(data).digest("hex"));
    console.log(`     killed at ${killAt} MiB; node B resumed from ${offset} bytes`);
    cluster("start", "node_a");
  }],

  ["search: a file uploaded on node B is found on node A, also after A restarts", async ({ s }) => {
    const { token, rootId } = await signInApi(s.B_URL);
    await uploadSmall(s.B_URL, token, rootId, "harbour report.txt", Buffer.from("the zanzibarquokka count rose"));
    const found = async () => {
      const r = await api(s.A_URL, token, "/api/v1/search?q=zanzibarquokka");
      return r.ok && (await r.json()).hits.some((h) => h.name === "harbour report.txt");
    };
    const first = await until("search on node A", found);
    cluster("stop", "node_a");
    cluster("start", "node_a");
    const again = await until("search on node A after its restart", found);
    console.log(`     found on A ${first.ms} ms after the upload on B; ${again.ms} ms after A restarted`);
  }],

  ["each thumbnail is made exactly once while both nodes list the folder", async ({ s }) => {
    const { token, rootId } = await signInApi(s.URL);
    const folder = await (await api(s.URL, token, "/api/v1/folders", { method: "POST",
      headers: { "content-type": "application/json" }, body: JSON.stringify({ parent_id: rootId, name: "Scans" }) })).json();
    const ids = [], shas = [];
    for (let pages = 1; pages <= 4; pages++) {
      const bytes = Buffer.from(pdf(pages), "latin1");
      shas.push(createHash("sha256").update(bytes).digest("hex"));
      ids.push(await uploadSmall(s.URL, token, folder.id, `scan ${pages}.pdf`, bytes));
    }
    const ready = async () => {
      const lists = await Promise.all([s.A_URL, s.B_URL].map((b) => api(b, token, `/api/v1/nodes/${folder.id}/children`)));
      assert.ok(lists.every((l) => l.ok), "both nodes list the folder");
      const thumbs = await Promise.all(ids.map((id, i) =>
        api(i % 2 ? s.A_URL : s.B_URL, token, `/api/v1/nodes/${id}/thumbnail?size=256`)));
      return thumbs.every((t) => t.status === 200);
    };
    const { ms } = await until("every thumbnail", ready, 30_000);
    const jobs = execFileSync("psql", [s.DATABASE_URL, "-Atc",
      `select count(*), coalesce(sum(attempts), 0) from jobs where kind = 'thumbnail' and subject in ('${shas.join("','")}')`],
      { encoding: "utf8" }).trim();
    assert.equal(jobs, "4|4", "four thumbnail jobs, each run once");
    console.log(`     4 thumbnails in ${ms} ms; jobs ${jobs}`);
  }],

  ["the database stopped: the drive says \"Server busy, retrying\" and shows the folder once it is back", async ({ browser, s }) => {
    const context = await browser.newContext({ baseURL: s.A_URL });
    const page = await context.newPage();
    await page.goto("/login");
    await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
    await page.fill("#email", ACCOUNT.email);
    await page.fill("#password", ACCOUNT.password);
    await page.click("#login-form button[type=submit]");
    await page.waitForSelector("tr.entry a:has-text('Trip')");
    await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
    execFileSync(join(root, "scripts", "throwaway-postgres.sh"), ["stop", join(clusterDir, "pg")]);
    try {
      await page.click("tr.entry a:has-text('Trip')");
      await page.waitForSelector("[role=status]:has-text('Server busy, retrying')", { timeout: WAIT })
        .catch(async (e) => { throw new Error(`${e.message}\npage: ${page.url()} ${(await page.innerHTML("main").catch(() => "?")).slice(0, 1500)}`); });
      // What the person sees, on a desktop and on a phone.
      await page.screenshot({ path: join(ARTIFACTS, "drive-busy-light.png") });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForSelector("[role=status]:has-text('Server busy, retrying')", { timeout: WAIT });
      await page.screenshot({ path: join(ARTIFACTS, "drive-busy-light-phone.png") });
    } finally {
      execFileSync(join(root, "scripts", "throwaway-postgres.sh"), ["start", join(clusterDir, "pg"), new URL(s.DATABASE_URL).port]);
    }
    const back = Date.now();
    await page.waitForSelector("tr.entry a:has-text('notes.txt')", { timeout: WAIT });
    console.log(`     the folder showed again ${Date.now() - back} ms after the database came back`);
    await context.close();
  }],
];

let passed = 0, failed = 0, s = null;
let browser = null;
try {
  const started = Date.now();
  cluster("up");
  s = Object.fromEntries(readFileSync(join(clusterDir, "env"), "utf8").trim().split("\n")
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
  console.log(`cluster up in ${Date.now() - started} ms: ${s.URL}`);
  await fetch(`${s.URL}/api/v1/auth/signup`, { method: "POST",
    headers: { "content-type": "application/json" }, body: JSON.stringify(ACCOUNT) });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
  for (const [name, test] of tests.filter(([name]) => !only || only.test(name))) {
    try {
      await test({ browser, s });
      passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}\n     ${String(e.stack || e).split("\n").slice(0, 6).join("\n     ")}`);
    }
  }
} catch (e) {
  failed++;
  console.log(`FAIL cluster setup: ${e.message}\n${e.stdout || ""}${e.stderr || ""}`);
} finally {
  if (browser) await browser.close();
  if (failed) {
    for (const log of ["node_a.log", "node_b.log", "worker.log"]) {
      try {
        const lines = readFileSync(join(clusterDir, log), "utf8").split("\n").filter((l) => / ERROR /.test(l) && !/readiness|on_failure/.test(l));
        console.log(`--- ${log}\n${lines.slice(-12).join("\n").slice(-4000)}`);
      } catch { /* none */ }
    }
  }
  try { cluster("down"); } catch (e) { console.log(`cluster down failed: ${e.message}`); }
  rmSync(clusterDir, { recursive: true, force: true });
}
console.log(`cluster: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
