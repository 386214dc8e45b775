// Every page on a phone (360×740 and 390×844, touch) and on a desktop, light and dark: no page
// is wider than the screen, and axe-core finds no serious or critical accessibility problem.
// Screenshots go to end2end/artifacts/ with "-phone" in their names. Runs after the other
// browser tests, signed in as their first account (an administrator with files of all kinds).
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { hydrated, signIn, USER } from "./tests.mjs";

const ARTIFACTS = new URL("./artifacts", import.meta.url).pathname;
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const PHONES = [{ width: 360, height: 740 }, { width: 390, height: 844 }];

/** Files, folders and links to show, made through the API as the signed-in person. */
async function content(page) {
  return page.evaluate(async () => {
    const json = (r) => r.json();
    const post = (path, body) => fetch(path, { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify(body) }).then(json);
    const me = await fetch("/api/v1/me").then(json);
    const folder = await post("/api/v1/folders", { parent_id: me.root_id, name: `On the phone ${Date.now()}` });
    const name = "A quarterly report with a very long name that will not fit on a phone screen at all.txt";
    const up = async (filename, body) => (await fetch("/api/v1/uploads", { method: "POST", body,
      headers: { "tus-resumable": "1.0.0", "upload-length": String(new TextEncoder().encode(body).length),
        "upload-metadata": `filename ${btoa(filename)},parent_id ${btoa(folder.id)}`,
        "content-type": "application/offset+octet-stream" } })).headers.get("gosync-node-id");
    const file = await up(name, "revenue went up");
    await up("notes.txt", "short notes");
    const link = (id, role) => post(`/api/v1/nodes/${id}/links`, { role }).then((l) => l.token);
    return {
      folder: folder.id, file,
      fileLink: await link(file, "viewer"),
      folderLink: await link(folder.id, "viewer"),
      dropLink: await link(folder.id, "uploader"),
    };
  });
}

/** Fails when the page is wider than the screen; names what sticks out. */
async function fits(page, label) {
  const wide = await page.evaluate(() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const out = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} (${Math.round(el.getBoundingClientRect().right)} px)`);
    return `${document.documentElement.scrollWidth} px wide on a ${width} px screen: ${out.join(", ")}`;
  });
  assert.equal(wide, null, `${label}: ${wide}`);
}

/** Runs axe on the page; fails on serious or critical violations. */
async function accessible(page, label) {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(found, [], `${label}: accessibility`);
}

/** Each page: [name, open(page, data) → the page is showing]. */
const SIGNED_IN = [
  ["drive", async (page) => { await page.goto("/"); await hydrated(page); await page.waitForSelector("tr.entry"); }],
  ["folder", async (page, d) => { await page.goto(`/folders/${d.folder}`); await hydrated(page); await page.waitForSelector("tr.entry"); }],
  ["grid", async (page, d) => {
    await page.goto(`/folders/${d.folder}`); await hydrated(page);
    await page.click("#view-grid");
    await page.waitForFunction(() => document.documentElement.dataset.view === "grid");
  }],
  ["viewer", async (page, d) => {
    await page.evaluate(() => localStorage.removeItem("gosync-view"));
    await page.goto(`/folders/${d.folder}?open=${d.file}`); await hydrated(page);
    await page.waitForSelector(".viewer .viewer-text");
  }],
  ["menu", async (page, d) => {
    await page.goto(`/folders/${d.folder}`); await hydrated(page);
    await page.locator("tr.entry", { hasText: "notes.txt" }).locator(".more-button").click();
    await page.waitForSelector(".context-menu");
  }],
  ["share", async (page, d) => {
    await page.goto(`/folders/${d.folder}`); await hydrated(page);
    await page.locator("tr.entry", { hasText: "notes.txt" }).locator(".more-button").click();
    await page.click(".context-menu [data-action=share]");
    await page.waitForSelector(".share-dialog");
  }],
  ["versions", async (page, d) => {
    await page.goto(`/folders/${d.folder}`); await hydrated(page);
    await page.locator("tr.entry", { hasText: "notes.txt" }).locator(".more-button").click();
    await page.click(".context-menu [data-action=versions]");
    await page.waitForSelector(".side-panel .version");
  }],
  ["search", async (page) => { await page.goto("/search?q=notes"); await hydrated(page); await page.waitForSelector(".hit"); }],
  ["trash", async (page) => { await page.goto("/trash"); await hydrated(page); await page.waitForSelector("h1"); }],
  ["shared", async (page) => { await page.goto("/shared"); await hydrated(page); await page.waitForSelector("h1"); }],
  ["recent", async (page) => { await page.goto("/recent"); await hydrated(page); await page.waitForSelector(".placed-entry"); }],
  ["starred", async (page) => { await page.goto("/starred"); await hydrated(page); await page.waitForSelector("h1"); }],
  ["settings", async (page) => { await page.goto("/settings"); await hydrated(page); await page.waitForSelector("h1"); }],
  ["admin", async (page) => { await page.goto("/admin"); await hydrated(page); await page.waitForSelector("h1"); }],
  ["admin-people", async (page) => { await page.goto("/admin/people"); await hydrated(page); await page.waitForSelector("h1"); }],
  ["admin-activity", async (page) => { await page.goto("/admin/activity"); await hydrated(page); await page.waitForSelector("h1"); }],
];
const SIGNED_OUT = [
  ["sign-in", async (page) => { await page.goto("/login"); await hydrated(page); }],
  ["sign-up", async (page) => { await page.goto("/signup"); await hydrated(page); }],
  ["link-file", async (page, d) => { await page.goto(`/s/${d.fileLink}`); await hydrated(page); await page.waitForSelector("h1"); }],
  ["link-folder", async (page, d) => { await page.goto(`/s/${d.folderLink}`); await hydrated(page); await page.waitForSelector("tr.entry"); }],
  ["drop-box", async (page, d) => { await page.goto(`/s/${d.dropLink}`); await hydrated(page); await page.waitForSelector("h1"); }],
];

/** Visits every page at `viewport` in both color schemes: checks, screenshots. */
async function sweep(browser, base, data, viewport, { phone, axe }) {
  const failures = [];
  for (const scheme of ["light", "dark"]) {
    for (const [pages, signedIn] of [[SIGNED_IN, true], [SIGNED_OUT, false]]) {
      const context = await browser.newContext({ baseURL: base, viewport, colorScheme: scheme, bypassCSP: true,
        isMobile: phone, hasTouch: phone });
      const page = await context.newPage();
      if (signedIn) { await signIn(page, USER.email, USER.password); await page.waitForURL((u) => u.pathname === "/"); }
      for (const [name, open] of pages) {
        const label = `${name} at ${viewport.width}×${viewport.height} (${scheme})`;
        try {
          await open(page, data);
          await fits(page, label);
          if (axe) await accessible(page, label);
          if (phone && viewport.width === 360) {
            await page.screenshot({ path: `${ARTIFACTS}/${name}-${scheme}-phone.png` });
          }
        } catch (e) {
          failures.push(String(e.message || e).split("\n").filter((l) => /^\s*\+ /.test(l) || !/^\s*[+-]/.test(l)).slice(0, 12).join("\n"));
        }
      }
      await context.close();
    }
  }
  return failures;
}

export const phoneTests = [
  ["on a phone, by touch: the drawer, ⋯ and long-press menus, upload, preview, share and download", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    const folder = await page.evaluate(async () => {
      const me = await (await fetch("/api/v1/me")).json();
      const made = await (await fetch("/api/v1/folders", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ parent_id: me.root_id, name: `Touch ${Date.now()}` }) })).json();
      return made.id;
    });
    await page.goto(`/folders/${folder}`);
    await hydrated(page);
    // Upload with the phone's picker.
    await page.setInputFiles("#upload-files", { name: "holiday note.txt", mimeType: "text/plain", buffer: Buffer.from("sunny") });
    await page.waitForSelector("tr.entry a:has-text('holiday note.txt')");
    await page.waitForSelector("#upload-summary:has-text('All uploads complete')");
    await page.waitForSelector(".upload-list", { state: "detached" }); // the finished list folds away
    // ⋯ offers every action; the menu names the item in full.
    await page.locator("tr.entry", { hasText: "holiday note.txt" }).locator(".more-button").tap();
    const actions = await page.$$eval(".context-menu .menu-item", (els) => els.map((e) => e.dataset.action));
    assert.deepEqual(actions, ["download", "select", "share", "rename", "move", "copy", "star", "versions", "delete"]);
    assert.equal((await page.textContent(".context-menu .menu-name")).trim(), "holiday note.txt");
    await page.tap(".context-menu [data-action=share]");
    await page.waitForSelector(".share-dialog");
    await fits(page, "share dialog");
    await page.tap("#share-close");
    // A long press opens the same menu (a touch's contextmenu).
    await page.locator("tr.entry", { hasText: "holiday note.txt" }).dispatchEvent("contextmenu");
    await page.waitForSelector(".context-menu");
    await page.tap(".context-menu [data-action=select]");
    await page.waitForSelector(".selection-bar");
    assert.match(await page.textContent("#selection-count"), /1/);
    await page.tap("#selection-clear");
    // A tap on the name previews; the viewer's Download downloads.
    await page.tap("tr.entry a:has-text('holiday note.txt')");
    await page.waitForSelector(".viewer .viewer-text:has-text('sunny')");
    await fits(page, "viewer");
    const [download] = await Promise.all([page.waitForEvent("download"), page.tap(".viewer-bar a:has-text('Download')")]);
    assert.equal(download.suggestedFilename(), "holiday note.txt");
    await page.keyboard.press("Escape");
    await page.waitForSelector(".viewer", { state: "detached" });
    // The drawer.
    await page.tap(".drawer-button");
    await page.tap(".sidebar a:has-text('Starred')");
    await page.waitForURL((u) => u.pathname === "/starred");
    await fits(page, "starred");
  }, { contextOptions: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } }],
  ["every page fits a phone and passes axe, light and dark, phone and desktop", async ({ page, browser, base }) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    const data = await content(page);
    const failures = [];
    for (const viewport of PHONES) {
      failures.push(...await sweep(browser, base, data, viewport, { phone: true, axe: viewport.width === 360 }));
    }
    failures.push(...await sweep(browser, base, data, { width: 1280, height: 800 }, { phone: false, axe: true }));
    writeFileSync(`${ARTIFACTS}/phone-report.txt`, failures.join("\n\n"));
    assert.deepEqual(failures, [], failures.join("\n\n"));
  }],
].map(([name, fn, opts]) => { if (opts) fn.contextOptions = opts.contextOptions; return [name, fn]; });
