// Benchmark: a folder of N files (default 1,000) opened in Chromium: time to first
// contentful paint and until the list is usable (hydrated), as the browser measures them.
// Usage: node bench/first-paint.mjs BASE_URL [files=1000]
// (scripts/bench-first-paint.sh starts a release server on a fresh data dir and calls this.)
// playwright-core comes with the browser tests (end2end/, installed by `make test`).
const { chromium } = await import(new URL("../end2end/node_modules/playwright-core/index.mjs", import.meta.url));

const [base, n = "1000"] = process.argv.slice(2);
const json = { "content-type": "application/json" };
const post = async (path, body, headers = {}) =>
  (await fetch(base + path, { method: "POST", headers: { ...json, ...headers }, body: JSON.stringify(body) })).json();
const email = `paint-${Date.now()}@example.com`;
const password = "benchmark password";
await post("/api/v1/auth/signup", { email, password, name: "Paint" });
const { access_token } = await post("/api/v1/auth/login", { email, password });
const auth = { authorization: `Bearer ${access_token}` };
const me = await (await fetch(`${base}/api/v1/me`, { headers: auth })).json();
const folder = await post("/api/v1/folders", { parent_id: me.root_id, name: "Big folder" }, auth);
const b64 = (s) => Buffer.from(s).toString("base64");
let next = 0;
await Promise.all(Array.from({ length: 8 }, async () => {
  while (next < Number(n)) {
    const i = next++;
    const body = `file ${i}`;
    const res = await fetch(`${base}/api/v1/uploads`, {
      method: "POST",
      headers: { ...auth, "tus-resumable": "1.0.0", "upload-length": String(body.length),
        "upload-metadata": `filename ${b64(`document ${String(i).padStart(4, "0")}.txt`)},parent_id ${b64(folder.id)}`,
        "content-type": "application/offset+octet-stream" },
      body,
    });
    if (res.status !== 201) throw new Error(`upload ${i}: ${res.status}`);
  }
}));

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium" });
const page = await browser.newPage({ baseURL: base });
await page.goto("/login");
await page.fill("#email", email);
await page.fill("#password", password);
await page.click("#login-form button[type=submit]");
await page.waitForURL((u) => u.pathname === "/");
const runs = [];
for (let run = 0; run < 5; run++) {
  await page.goto(`/folders/${folder.id}`);
  await page.waitForSelector("tr.entry");
  await page.waitForFunction(() => performance.getEntriesByType("resource").some((r) => r.name.endsWith("_bg.wasm")));
  await page.waitForLoadState("networkidle");
  const t = await page.evaluate(() => {
    const paint = performance.getEntriesByName("first-contentful-paint")[0];
    const nav = performance.getEntriesByType("navigation")[0];
    return { fcp: paint ? paint.startTime : NaN, html: nav.responseEnd, rows: document.querySelectorAll("tr.entry").length,
      bytes: nav.transferSize };
  });
  runs.push(t);
}
await browser.close();
const median = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
console.log(`folder of ${n} files: first contentful paint ${median("fcp").toFixed(0)} ms (median of ${runs.length}), ` +
  `HTML received at ${median("html").toFixed(0)} ms (${(median("bytes") / 1024).toFixed(0)} KiB), ${runs[0].rows} rows rendered (the rest behind "Show more")`);
