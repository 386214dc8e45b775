// The browser tests, in order (later ones use the account the first one makes).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ARTIFACTS = new URL("./artifacts", import.meta.url).pathname;

const USER = { name: "Ada Lovelace", email: "ada@example.com", password: "analytical engine" };

/** Resolves once the WASM has hydrated the page: the theme toggle then answers clicks. (Not
 * "network idle": a signed-in page keeps its live-updates stream open.) */
async function hydrated(page) {
  await page.waitForLoadState("load");
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}

async function signIn(page, email, password) {
  await page.goto("/login");
  await hydrated(page);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("#login-form button[type=submit]");
}

/** The SHA-256 of a file in the root folder, downloaded with the page's session. */
async function sha256Of(page, name) {
  return page.evaluate(async (name) => {
    const me = await (await fetch("/api/v1/me")).json();
    const list = await (await fetch(`/api/v1/nodes/${me.root_id}/children?limit=1000`)).json();
    const file = list.items.find((n) => n.name === name);
    const bytes = await (await fetch(`/api/v1/nodes/${file.id}/content`)).arrayBuffer();
    const digest = await crypto.subtle.digest("SHA-256", bytes);
    return Array.from(new Uint8Array(digest)).map((b) => b.toString(16).padStart(2, "0")).join("");
  }, name);
}

export { hydrated, signIn, USER };

// The scraper's token for /metrics (the live-update test counts the open streams there).
export const METRICS_TOKEN = "e2e-metrics-token";

export const tests = [
  ["sign up shows field errors, then lands in an empty drive", async ({ page }) => {
    await page.goto("/signup");
    await hydrated(page);
    await page.fill("#name", USER.name);
    await page.fill("#email", USER.email);
    await page.fill("#password", "short");
    await page.click("#signup-form button[type=submit]");
    await page.waitForSelector("#password-error");
    assert.match(await page.textContent("#password-error"), /at least 10 characters/);
    assert.equal(new URL(page.url()).pathname, "/signup", "handled in place by the WASM");

    await page.fill("#password", USER.password);
    await page.click("#signup-form button[type=submit]");
    await page.waitForURL((u) => u.pathname === "/");
    await page.waitForSelector("h1:has-text('My files')");
    assert.match(await page.textContent(".empty-state"), /Your drive is empty/);
    assert.match(await page.textContent("#user-menu-button"), /Ada Lovelace/);
  }],

  ["the shell: sidebar links only to pages that exist; admin sees Admin", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    const links = await page.$$eval(".sidebar a", (as) => as.map((a) => a.textContent.trim()));
    assert.deepEqual(links, ["My files", "Shared with me", "Recent", "Starred", "Trash", "Admin"]);
    assert.equal(await page.getAttribute(".sidebar a", "aria-current"), "page");
  }],

  ["hydration: the theme toggle is handled by the WASM and remembered", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    assert.equal(await page.getAttribute("html", "data-theme"), null, "follows the system at first");
    await page.click("#theme-toggle");
    const theme = await page.getAttribute("html", "data-theme");
    assert.ok(theme === "dark" || theme === "light", `a theme was chosen (${theme})`);
    await page.reload();
    assert.equal(await page.getAttribute("html", "data-theme"), theme, "applied before paint after reload");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.ok(theme === "dark" ? bg === "rgb(17, 20, 24)" : bg === "rgb(255, 255, 255)", `background ${bg}`);
  }],

  ["no layout shift when the WASM hydrates", async ({ page }) => {
    await page.addInitScript(() => {
      window.__shift = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
      }).observe({ type: "layout-shift", buffered: true });
    });
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    const before = await page.$eval("h1", (h) => JSON.stringify(h.getBoundingClientRect()));
    await hydrated(page);
    await page.waitForTimeout(300);
    const after = await page.$eval("h1", (h) => JSON.stringify(h.getBoundingClientRect()));
    assert.equal(after, before);
    const shift = await page.evaluate(() => window.__shift);
    assert.ok(shift < 0.01, `cumulative layout shift ${shift}`);
  }],

  ["sign out from the user menu; Escape or a click elsewhere closes the menu", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    await page.click("#user-menu-button");
    await page.waitForSelector("#user-menu", { state: "visible" });
    assert.equal(await page.getAttribute("#user-menu-button", "aria-expanded"), "true");
    await page.keyboard.press("Escape");
    await page.waitForSelector("#user-menu", { state: "hidden" });
    await page.click("#user-menu-button");
    await page.waitForSelector("#user-menu", { state: "visible" });
    await page.click("h1");
    await page.waitForSelector("#user-menu", { state: "hidden" });
    await page.click("#user-menu-button");
    assert.match(await page.textContent("#user-menu"), /ada@example\.com/);
    await page.click("#sign-out");
    await page.waitForURL((u) => u.pathname === "/login");
    await page.goto("/");
    await page.waitForURL((u) => u.pathname === "/login");
  }],

  ["a wrong password shows one clear message and no session", async ({ page }) => {
    await signIn(page, USER.email, "not the password");
    await page.waitForSelector(".form-error");
    assert.equal((await page.textContent(".form-error")).trim(), "Incorrect email or password.");
    assert.equal(new URL(page.url()).pathname, "/login");
    await signIn(page, "nobody@example.com", USER.password);
    await page.waitForSelector(".form-error");
    assert.equal((await page.textContent(".form-error")).trim(), "Incorrect email or password.");
    await page.goto("/");
    await page.waitForURL((u) => u.pathname === "/login");
  }],

  ["forms work before the WASM arrives (no JavaScript)", async ({ page }) => {
    await page.goto("/login");
    await page.fill("#email", USER.email);
    await page.fill("#password", USER.password);
    await page.click("#login-form button[type=submit]");
    await page.waitForURL((u) => u.pathname === "/");
    await page.waitForSelector("h1:has-text('My files')");
  }, { contextOptions: { javaScriptEnabled: false } }],

  ["phone-sized screens: no sideways scrolling, navigation still there", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    assert.ok(!(await page.isVisible(".sidebar a:has-text('Trash')")), "the sidebar is a drawer");
    await hydrated(page);
    await page.click(".drawer-button");
    await page.click(".sidebar a:has-text('Trash')");
    await page.waitForURL((u) => u.pathname === "/trash");
    assert.ok(!(await page.isVisible(".sidebar a:has-text('Trash')")), "it closes on the way");
  }, { contextOptions: { viewport: { width: 375, height: 740 } } }],

  ["keyboard: sign in with Tab and Enter only", async ({ page }) => {
    await page.goto("/login");
    await hydrated(page);
    await page.focus("#email");
    await page.keyboard.type(USER.email);
    await page.keyboard.press("Tab");
    await page.keyboard.type(USER.password);
    await page.keyboard.press("Enter");
    await page.waitForURL((u) => u.pathname === "/");
  }],
  ["the drive: make a folder, open it, and come back by the breadcrumbs", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    await page.click("#new-folder");
    await page.fill("#new-folder-name", "Projects");
    await page.press("#new-folder-name", "Enter");
    await page.waitForSelector("tr.entry[data-kind=folder] a:has-text('Projects')");
    await page.click("tr.entry a:has-text('Projects')");
    await page.waitForSelector("h1:has-text('Projects')");
    assert.match(new URL(page.url()).pathname, /^\/folders\//);
    assert.match(await page.textContent(".empty-state"), /This folder is empty/);
    assert.equal((await page.textContent(".breadcrumbs [aria-current]")).trim(), "Projects");
    await page.click(".breadcrumbs a:has-text('My files')");
    await page.waitForURL((u) => u.pathname === "/");
    await page.waitForSelector("tr.entry a:has-text('Projects')");

    // The same name again: told why, nothing made twice.
    await page.click("#new-folder");
    await page.fill("#new-folder-name", "Projects");
    await page.press("#new-folder-name", "Enter");
    await page.waitForSelector("#new-folder-error");
    assert.match(await page.textContent("#new-folder-error"), /already there/);
    assert.equal(await page.locator("tr.entry").count(), 1);
  }],

  ["rename in place: Enter saves, Escape cancels, a bad name is explained", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    const row = page.locator("tr.entry", { hasText: "Projects" });
    await row.hover();
    await row.locator(".rename-button").click();
    await page.fill(".rename-input", "a/b");
    await page.press(".rename-input", "Enter");
    await page.waitForSelector(".rename-form .field-error");
    assert.match(await page.textContent(".rename-form .field-error"), /\//);
    await page.press(".rename-input", "Escape");
    await page.waitForSelector("tr.entry a:has-text('Projects')");
    await row.hover();
    await row.locator(".rename-button").click();
    await page.fill(".rename-input", "Work 2026");
    await page.press(".rename-input", "Enter");
    await page.waitForSelector("tr.entry a:has-text('Work 2026')");
    assert.equal(await page.locator("tr.entry a:has-text('Projects')").count(), 0);
  }],

  ["delete goes to the trash, and Undo brings it back", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    const row = page.locator("tr.entry", { hasText: "Work 2026" });
    await row.hover();
    await row.locator(".delete-button").click();
    await page.waitForSelector(".toast:has-text('Moved “Work 2026” to the trash.')");
    await page.waitForSelector(".empty-state");
    await page.click(".toast .undo");
    await page.waitForSelector(".toast:has-text('Restored “Work 2026”.')");
    await page.waitForSelector("tr.entry a:has-text('Work 2026')");
  }],

  ["the trash: restore, delete forever, and empty it after a confirmation", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    for (const name of ["Old A", "Old B", "Old C"]) {
      await page.click("#new-folder");
      await page.fill("#new-folder-name", name);
      await page.press("#new-folder-name", "Enter");
      const row = page.locator("tr.entry", { hasText: name });
      await row.waitFor();
      await row.hover();
      await row.locator(".delete-button").click();
      await page.waitForSelector(`.toast:has-text('Moved “${name}” to the trash.')`);
      await row.waitFor({ state: "detached" });
    }
    await page.click(".sidebar a:has-text('Trash')");
    await page.waitForSelector("h1:has-text('Trash')");
    await hydrated(page);
    const names = await page.$$eval("tr.entry .entry-name", (els) => els.map((e) => e.textContent));
    assert.deepEqual(names, ["Old C", "Old B", "Old A"], "most recent first");
    await page.locator("tr.entry", { hasText: "Old A" }).locator(".restore-button").click();
    await page.waitForSelector(".toast:has-text('Restored “Old A”.')");
    await page.locator("tr.entry", { hasText: "Old B" }).locator(".purge-button").click();
    await page.waitForSelector(".toast:has-text('Deleted “Old B” forever.')");
    await page.waitForFunction(() => document.querySelectorAll("tr.entry").length === 1);
    await page.click("#empty-trash");
    await page.waitForSelector("#confirm-empty");
    assert.equal(await page.locator("tr.entry").count(), 1, "nothing deleted before confirming");
    await page.click("#confirm-empty");
    await page.waitForSelector("text=The trash is empty");
    await page.click(".sidebar a:has-text('My files')");
    await page.waitForSelector("tr.entry a:has-text('Old A')");
    assert.equal(await page.locator("tr.entry a:has-text('Old B')").count(), 0);
  }],
  ["file names are shown as text, never as HTML; sizes and sorting read like a file manager", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    const hostile = "<img src=x onerror=alert(1)>.txt";
    await page.evaluate(async (name) => {
      const me = await (await fetch("/api/v1/me")).json();
      const b64 = (s) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
      const upload = (filename, body) => fetch("/api/v1/uploads", {
        method: "POST",
        headers: {
          "tus-resumable": "1.0.0", "upload-length": String(body.length),
          "upload-metadata": `filename ${b64(filename)},parent_id ${b64(me.root_id)}`,
          "content-type": "application/offset+octet-stream",
        },
        body,
      });
      await upload(name, "boo");
      await upload("big.bin", "x".repeat(4_200_000));
    }, hostile);
    page.on("dialog", () => { throw new Error("a dialog opened: the name ran as HTML"); });
    await page.reload();
    await page.waitForSelector("tr.entry[data-kind=file]");
    const names = await page.$$eval("tr.entry .entry-name", (as) => as.map((a) => a.textContent));
    assert.ok(names.includes(hostile), `shown as typed: ${names}`);
    // Thumbnails are the only pictures in the list; none came from the name.
    const foreign = await page.$$eval(".entries img", (imgs) => imgs.filter((i) => !i.closest(".file-icon")).length);
    assert.equal(foreign, 0, "no element came from the name");
    assert.equal(await page.locator(".entries img[src=x]").count(), 0);
    const big = page.locator("tr.entry", { hasText: "big.bin" });
    assert.equal((await big.locator(".size").textContent()).trim(), "4.2 MB");
    assert.equal((await big.locator(".modified").textContent()).trim(), "just now");
    assert.deepEqual(names.slice(0, 2), ["Old A", "Work 2026"], "folders first");

    await page.click("th.sort-size a");
    await page.waitForURL((u) => u.search.includes("sort=size"));
    await page.waitForSelector("th.sort-size[aria-sort=ascending]");
    await page.click("th.sort-size a");
    await page.waitForSelector("th.sort-size[aria-sort=descending]");
    const sorted = await page.$$eval("tr.entry[data-kind=file] .entry-name", (as) => as.map((a) => a.textContent));
    assert.deepEqual(sorted, ["big.bin", hostile]);
  }],
  ["drag a file onto a folder to move it, and onto a breadcrumb to move it back", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    await page.dragAndDrop("tr.entry:has-text('big.bin')", "tr.entry:has-text('Work 2026')");
    await page.waitForSelector(".toast:has-text('Moved “big.bin” to “Work 2026”.')");
    await page.waitForSelector("tr.entry:has-text('big.bin')", { state: "detached" });
    await page.click("tr.entry a:has-text('Work 2026')");
    await page.waitForSelector("h1:has-text('Work 2026')");
    await page.waitForSelector("tr.entry a:has-text('big.bin')");
    await page.dragAndDrop("tr.entry:has-text('big.bin')", ".breadcrumbs li:has-text('My files')");
    await page.waitForSelector(".toast:has-text('Moved “big.bin” to “My files”.')");
    await page.waitForSelector(".empty-state");
    await page.click(".breadcrumbs a:has-text('My files')");
    await page.waitForSelector("tr.entry a:has-text('big.bin')");
  }],
  ["versions: the side panel lists them, and restoring one makes it the newest", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    await page.evaluate(async () => {
      const me = await (await fetch("/api/v1/me")).json();
      const b64 = (s) => btoa(s);
      for (const body of ["first draft", "second draft, longer"]) {
        await fetch("/api/v1/uploads", {
          method: "POST",
          headers: { "tus-resumable": "1.0.0", "upload-length": String(body.length),
            "upload-metadata": `filename ${b64("notes.txt")},parent_id ${b64(me.root_id)}`,
            "content-type": "application/offset+octet-stream" },
          body,
        });
      }
    });
    await page.reload();
    await hydrated(page);
    const row = page.locator("tr.entry", { hasText: "notes.txt" });
    await row.locator(".more-button").click();
    await page.click(".context-menu [data-action=versions]");
    await page.waitForSelector(".side-panel li.version");
    assert.equal(await page.locator(".side-panel li.version").count(), 2);
    assert.match(await page.textContent(".side-panel li.version[data-number='2']"), /Current/);
    assert.match(await page.textContent(".side-panel li.version[data-number='1']"), /11 bytes · Ada Lovelace/);
    await page.click(".side-panel li.version[data-number='1'] .restore-version");
    await page.waitForSelector(".toast:has-text('Restored an earlier version of “notes.txt”.')");
    await page.waitForSelector(".side-panel li.version[data-number='3']");
    assert.match(await page.textContent(".side-panel li.version[data-number='3']"), /Current/);
    assert.equal(await sha256Of(page, "notes.txt"), createHash("sha256").update("first draft").digest("hex"));
  }],
  ["upload with the button: each file's bar moves with what the server acknowledged, then it is listed", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    await page.evaluate(() => {
      window.__progress = [];
      new MutationObserver(() => {
        const bar = document.querySelector(".upload-progress");
        if (bar) window.__progress.push(Number(bar.value));
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["value"] });
    });
    const data = randomBytes(9 * 1024 * 1024 + 5);
    await page.setInputFiles("#upload-files", { name: "movie.bin", mimeType: "application/octet-stream", buffer: data });
    await page.waitForSelector(".upload-item[data-state=done]");
    const progress = await page.evaluate(() => window.__progress);
    assert.ok(progress.some((v) => v > 0 && v < data.length), `partial progress was shown: ${progress}`);
    assert.equal(progress[progress.length - 1], data.length);
    // The summary catches up with the rows within a moment.
    await page.waitForFunction(() => /All uploads complete/.test(document.querySelector("#upload-summary").textContent));
    await page.waitForSelector("tr.entry a:has-text('movie.bin')");
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/drive-uploads-light.png` });
    assert.equal(await sha256Of(page, "movie.bin"), createHash("sha256").update(data).digest("hex"));
  }],

  ["drag and drop of a nested folder: every file lands in its folder, the small ones in one request", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    const sent = [];
    page.on("request", (r) => { if (r.method() === "POST" && r.url().includes("/api/v1/uploads")) sent.push(new URL(r.url()).pathname); });
    await page.evaluate(() => {
      const file = (name, text) => new File([text], name, { type: "text/plain" });
      const fileEntry = (f) => ({ isFile: true, isDirectory: false, name: f.name, file: (ok) => ok(f) });
      const dirEntry = (name, children) => ({
        isFile: false, isDirectory: true, name,
        createReader: () => {
          let read = false;
          return { readEntries: (ok) => { const batch = read ? [] : children; read = true; setTimeout(() => ok(batch)); } };
        },
      });
      const album = dirEntry("Album", [
        fileEntry(file("cover.txt", "the cover")),
        dirEntry("2026", [fileEntry(file("day1.txt", "day one")), dirEntry("empty", [])]),
      ]);
      const loose = file("loose.txt", "not in a folder");
      const dt = new DataTransfer();
      dt.items.add(new File([""], "Album"));
      dt.items.add(loose);
      // What the browser would hand over for a dropped folder: directory entries to walk.
      const entries = { Album: album, "loose.txt": fileEntry(loose) };
      DataTransferItem.prototype.webkitGetAsEntry = function () { return entries[this.getAsFile()?.name]; };
      const zone = document.querySelector(".drop-zone");
      zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.querySelectorAll(".upload-item[data-state=done]").length === 3);
    assert.deepEqual(sent, ["/api/v1/uploads/batch"], "three small files, one request");
    await page.waitForSelector("tr.entry a:has-text('Album')");
    await page.waitForSelector("tr.entry a:has-text('loose.txt')");
    await page.click("tr.entry a:has-text('Album')");
    await page.waitForSelector("h1:has-text('Album')");
    await page.waitForSelector("tr.entry a:has-text('cover.txt')");
    await page.click("tr.entry a:has-text('2026')");
    await page.waitForSelector("h1:has-text('2026')");
    await page.waitForSelector("tr.entry a:has-text('day1.txt')");
    await page.waitForSelector("tr.entry[data-kind=folder] a:has-text('empty')");
    assert.equal(await page.locator("tr.entry").count(), 2, "day1.txt and the empty folder in Album/2026");
  }],

  ["make a copy: a folder is copied with what it holds, as “name (1)”", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    const row = page.locator("tr.entry", { hasText: "Album" }).first();
    await row.click({ button: "right" });
    await page.click(".context-menu [data-action=copy]");
    await page.waitForSelector(".toast:has-text('Made a copy: “Album (1)”.')");
    await page.click("tr.entry a:has-text('Album (1)')");
    await page.waitForSelector("h1:has-text('Album (1)')");
    await page.waitForSelector("tr.entry a:has-text('cover.txt')");
    await page.waitForSelector("tr.entry a:has-text('2026')");
  }],
  ["keyboard in the list: arrows move, F2 renames, Enter opens, Delete trashes", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    await page.focus("tr.entry >> nth=0");
    await page.keyboard.press("ArrowDown");
    const focused = await page.evaluate(() => document.activeElement.textContent);
    assert.match(focused, /Album \(1\)|Old A|Work 2026/, "the next row has the focus");
    const second = await page.evaluate(() => document.activeElement.dataset.id);
    await page.keyboard.press("F2");
    await page.waitForSelector(`tr.entry[data-id='${second}'] .rename-input`);
    await page.keyboard.press("Escape");
    await page.focus(`tr.entry[data-id='${second}']`);
    await page.keyboard.press("Delete");
    await page.waitForSelector(".toast .undo");
    await page.click(".toast .undo");
    await page.waitForSelector(`tr.entry[data-id='${second}']`);
    await page.focus("tr.entry[data-kind=folder] >> nth=0");
    await page.keyboard.press("Enter");
    await page.waitForURL((u) => u.pathname.startsWith("/folders/"));
  }],
  ["an upload cut off by a reload resumes where the server stopped, byte-identical", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    const data = randomBytes(10 * 1024 * 1024 + 17);
    // A file on disk, so that picking it again is the same file (name, size, modification time).
    const file = join(mkdtempSync(join(tmpdir(), "gosync-e2e-")), "resumable.bin");
    writeFileSync(file, data);
    // The first chunk goes through with the creation request; the next ones never arrive.
    let release;
    await page.route("**/api/v1/uploads/**", async (route) => {
      if (route.request().method() !== "PATCH") return route.continue();
      await new Promise((resolve) => { release = resolve; });
      return route.abort();
    });
    await page.setInputFiles("#upload-files", file);
    await page.waitForFunction(() => Number(document.querySelector(".upload-progress")?.value) >= 4 * 1024 * 1024);
    await page.unroute("**/api/v1/uploads/**");
    if (release) release();
    await page.reload();
    await hydrated(page);
    assert.equal(await page.locator("tr.entry a:has-text('resumable.bin')").count(), 0, "not a file yet");

    const sent = [];
    page.on("request", (r) => { if (r.method() === "PATCH") sent.push(Number(r.headers()["upload-offset"])); });
    await page.setInputFiles("#upload-files", file);
    await page.waitForSelector(".upload-item[data-state=done]");
    assert.match(await page.textContent(".upload-item .upload-status"), /resumed/);
    assert.ok(sent.length > 0 && sent[0] >= 4 * 1024 * 1024, `continued from the server's offset: ${sent}`);
    await page.waitForSelector("tr.entry a:has-text('resumable.bin')");
    assert.equal(await sha256Of(page, "resumable.bin"), createHash("sha256").update(data).digest("hex"));
  }],
  ["screenshots of the drive, light and dark (end2end/artifacts)", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    await page.waitForSelector("tr.entry");
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(100);
      await page.screenshot({ path: `${ARTIFACTS}/drive-${scheme}.png` });
    }
    const folder = page.locator("tr.entry a:has-text('Work 2026')");
    await folder.click();
    await page.waitForSelector("h1:has-text('Work 2026')");
    await page.screenshot({ path: `${ARTIFACTS}/folder-empty-dark.png` });
  }, { contextOptions: { viewport: { width: 1280, height: 720 } } }],
].map(([name, fn, opts]) => { if (opts) fn.contextOptions = opts.contextOptions; return [name, fn]; });
