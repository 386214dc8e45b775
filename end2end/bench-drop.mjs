// The drive's uploads from the browser, measured: FILES small files (default 2,000 of 4 KiB)
// picked at once in Chromium, until every one is uploaded and the folder lists them; meanwhile
// how long the page takes to answer (a click's delay) and what the panel says is left.
// Usage: node end2end/bench-drop.mjs [FILES]   (GOSYNC_BIN: the server; release by default;
//   PHONE=1: on a 390 px phone screen)
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bin = process.env.GOSYNC_BIN || join(root, "target", "release", "gosync");
const FILES = Number(process.argv[2] || 2000);
const ACCOUNT = { email: "drop@example.com", password: "correct horse battery", name: "Drop" };

const port = await new Promise((ok) => {
  const s = createServer();
  s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => ok(port)); });
});
const base = `http://127.0.0.1:${port}`;
const work = mkdtempSync(join(tmpdir(), "gosync-bench-drop-"));
const server = spawn(bin, ["serve", "--addr", `127.0.0.1:${port}`, "--data-dir", join(work, "data")], {
  cwd: root, stdio: "ignore", env: { ...process.env, RUST_LOG: "warn" },
});
try {
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/readyz`)).ok) break; } catch { /* not yet */ }
    if (i > 600) throw new Error("the server did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  await fetch(`${base}/api/v1/auth/signup`, { method: "POST",
    headers: { "content-type": "application/json" }, body: JSON.stringify(ACCOUNT) });
  const dir = join(work, "files");
  mkdirSync(dir);
  const paths = [];
  for (let i = 0; i < FILES; i++) {
    const path = join(dir, `f${String(i).padStart(5, "0")}.txt`);
    // Every file different, so that nothing is saved by deduplication.
    const body = Buffer.alloc(4096, i % 251);
    body.write(`file ${i} `);
    writeFileSync(path, body);
    paths.push(path);
  }

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] });
  const phone = process.env.PHONE ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {};
  const page = await (await browser.newContext({ baseURL: base, ...phone })).newPage();
  const hydrated = async () => {
    await page.waitForLoadState("load");
    await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  };
  await page.goto("/login");
  await hydrated();
  await page.fill("#email", ACCOUNT.email);
  await page.fill("#password", ACCOUNT.password);
  await page.click("#login-form button[type=submit]");
  await page.waitForSelector("#upload-files", { state: "attached" });
  await hydrated();

  // PROFILE=1: where the page's own time goes (CPU profile, self time by function).
  const cdp = process.env.PROFILE ? await page.context().newCDPSession(page) : null;
  if (cdp) { await cdp.send("Profiler.enable"); await cdp.send("Profiler.start"); }
  const started = Date.now();
  await page.setInputFiles("#upload-files", paths);
  // The page's answer time while it works: a timer that should fire every 50 ms.
  await page.evaluate(() => {
    window.__lags = [];
    let last = performance.now();
    window.__lagTimer = setInterval(() => {
      const now = performance.now();
      window.__lags.push(now - last - 50);
      last = now;
    }, 50);
  });
  const summaries = [];
  let shot = false;
  for (;;) {
    await page.waitForTimeout(100);
    const summary = await page.textContent("#upload-summary").catch(() => "");
    if (summary && summaries[summaries.length - 1] !== summary) summaries.push(summary);
    // What someone sees meanwhile: the panel with its rows cut to what matters now.
    if (summaries.length === 4 && !shot) {
      shot = true;
      await page.screenshot({ path: join(root, "end2end", "artifacts", `drive-uploads-many-light${process.env.PHONE ? "-phone" : ""}.png`) });
    }
    if (summary === "All uploads complete") break;
    if (Date.now() - started > 300_000) throw new Error(`not done after 300 s: ${summary}`);
  }
  const uploaded = (Date.now() - started) / 1000;
  // Listed: the folder shows its first page and says there is more.
  await page.waitForSelector(`tr.entry a:has-text('f00000.txt')`, { timeout: 15_000 });
  if (FILES > 100) await page.waitForSelector("button.load-more", { timeout: 15_000 });
  const listed = (Date.now() - started) / 1000;
  if (cdp) {
    const { profile } = await cdp.send("Profiler.stop");
    const self = new Map();
    const dt = new Map();
    profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) || 0) + (profile.timeDeltas[i] || 0)));
    let all = 0;
    for (const node of profile.nodes) {
      const name = `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.split("/").pop()}`;
      const us = dt.get(node.id) || 0;
      all += us;
      self.set(name, (self.get(name) || 0) + us);
    }
    console.log(`page CPU profile (${(all / 1e6).toFixed(1)} s sampled), self time:`);
    [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)
      .forEach(([name, us]) => console.log(`  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`));
  }
  const lags = await page.evaluate(() => { clearInterval(window.__lagTimer); return window.__lags; });
  lags.sort((a, b) => a - b);
  const me = await page.evaluate(async () => {
    const me = await (await fetch("/api/v1/me")).json();
    let n = 0, cursor = "";
    for (;;) {
      const r = await (await fetch(`/api/v1/nodes/${me.root_id}/children?limit=1000${cursor}`)).json();
      n += r.items.length;
      if (!r.next_cursor) return n;
      cursor = `&cursor=${r.next_cursor}`;
    }
  });
  await browser.close();
  console.log(`${FILES} files of 4 KiB picked in Chromium:`);
  console.log(`  all uploaded:        ${uploaded.toFixed(1)} s (${Math.round(FILES / uploaded)} files/s)`);
  console.log(`  uploaded and listed: ${listed.toFixed(1)} s; the server holds ${me}`);
  console.log(`  page answer delay:   p50 ${lags[Math.floor(lags.length / 2)].toFixed(0)} ms, p99 ${lags[Math.floor(lags.length * 0.99)].toFixed(0)} ms, worst ${lags[lags.length - 1].toFixed(0)} ms`);
  console.log(`  the panel said:      ${summaries.slice(0, 3).join(" | ")} … ${summaries[summaries.length - 1]}`);
  if (me !== FILES) process.exitCode = 1;
} finally {
  // The server's workers may still be writing: its data goes once it has stopped.
  const stopped = new Promise((ok) => server.once("exit", ok));
  server.kill("SIGKILL");
  await stopped;
  rmSync(work, { recursive: true, force: true });
}
