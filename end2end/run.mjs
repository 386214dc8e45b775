// Browser and client tests: starts a real GoSync server (fresh data dir, free port), drives the system
// Chromium with playwright-core, and stops the server with SIGTERM as a supervisor would.
// Usage: node end2end/run.mjs   (GOSYNC_BIN overrides the server binary)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { tests, METRICS_TOKEN } from "./tests.mjs";
import { organiseTests } from "./organise.mjs";
import { sharingTests } from "./sharing.mjs";
import { previewTests } from "./previews.mjs";
import { apiTests } from "./tus.mjs";
import { adminTests } from "./admin.mjs";
import { searchTests } from "./search.mjs";
import { phoneTests } from "./phone.mjs";
import { settingsTests } from "./settings.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const targetDir = process.env.CARGO_TARGET_DIR || join(root, "target");
const bin = process.env.GOSYNC_BIN || join(targetDir, "debug", "gosync");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => ok(port)); });
    s.on("error", fail);
  });
}

async function waitUntilReady(base, server, started) {
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.ok) return Date.now() - started;
    } catch { /* not listening yet */ }
    if (Date.now() - started > 60_000) throw new Error("server not ready after 60 s");
    await new Promise((r) => setTimeout(r, 50));
  }
}

const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), "gosync-e2e-"));
const base = `http://127.0.0.1:${port}`;
const started = Date.now();
const server = spawn(bin, ["serve", "--addr", `127.0.0.1:${port}`, "--data-dir", dataDir], {
  cwd: root, stdio: ["ignore", "inherit", "pipe"],
  // A small upload limit, so that "too large" can be tried with a file a browser holds easily.
  // Every test signs in afresh from this one address: more sign-ins than a person makes.
  env: { ...process.env, RUST_LOG: "warn", GOSYNC_FILES__MAX_UPLOAD_BYTES: String(64 << 20),
    GOSYNC_LIMITS__LOGIN_PER_IP: "500",
    GOSYNC_METRICS_TOKEN: METRICS_TOKEN, GOSYNC_PDFIUM_PATH: join(root, "tools", "pdfium", "libpdfium.so") },
});
let serverLog = "";
server.stderr.on("data", (d) => { serverLog += d; });

let passed = 0, failed = 0;
try {
  const readyMs = await waitUntilReady(base, server, started);
  console.log(`server ready in ${readyMs} ms (${bin})`);
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const shared = {};
  // E2E_ONLY=pattern runs the first test (it makes the account) and those whose names match.
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
  const chosen = [...tests, ...organiseTests, ...sharingTests, ...previewTests, ...adminTests, ...searchTests, ...settingsTests, ...phoneTests].filter(([name], i) => !only || i === 0 || only.test(name));
  for (const [name, test] of chosen) {
    const context = await browser.newContext({ baseURL: base, ...(test.contextOptions || {}) });
    const page = await context.newPage();
    const problems = [];
    // A 4xx (or 507, quota full) is the server answering a user's mistake (shown on the page),
    // ERR_INTERNET_DISCONNECTED a test cutting the connection; anything else is a bug.
    page.on("console", (m) => {
      const expected = /status of (4\d\d|507)|net::ERR_INTERNET_DISCONNECTED/;
      if (m.type() === "error" && !expected.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("response", (r) => { if (r.status() >= 500 && r.status() !== 507) problems.push(`${r.status()} from ${r.request().method()} ${r.url()} ${r.request().postData() || ""}`); });
    try {
      await test({ page, context, browser, base, shared, bin, dataDir });
      if (problems.length) throw new Error(`browser reported errors:\n  ${problems.join("\n  ")}\n${serverLog.slice(-3000)}`);
      passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}\n     ${String(e.stack || e).split("\n").slice(0, 6).join("\n     ")}`);
    } finally {
      await context.close();
    }
  }
  await browser.close();
  // Client tests run after the browser tests, whose first account must be the admin.
  for (const [name, test] of apiTests.filter(([name]) => !only || only.test(name))) {
    try {
      await test({ base });
      passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}\n     ${String(e.stack || e).split("\n").slice(0, 6).join("\n     ")}`);
    }
  }
} catch (e) {
  failed++;
  console.log(`FAIL setup: ${e.message}\n${serverLog.slice(-4000)}`);
} finally {
  // Graceful shutdown: SIGTERM must make the server finish and exit 0.
  const exited = new Promise((ok) => server.on("exit", (code, signal) => ok({ code, signal })));
  server.kill("SIGTERM");
  const result = await Promise.race([exited, new Promise((ok) => setTimeout(() => ok(null), 15_000))]);
  if (result && result.code === 0) {
    passed++;
    console.log("ok   server stops cleanly on SIGTERM");
  } else {
    failed++;
    console.log(`FAIL server stops cleanly on SIGTERM (got ${JSON.stringify(result)})`);
    server.kill("SIGKILL");
  }
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
