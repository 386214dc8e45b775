// Browser tests of organising many things at once: selection, the context menu, "Move to…",
// the grid, name clashes on upload, and what an upload says when it cannot go through.
// They run after tests.mjs, signed in as its first account, each in a folder of its own.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hydrated, signIn, USER } from "./tests.mjs";

const ARTIFACTS = new URL("./artifacts", import.meta.url).pathname;

/** Makes a folder in the root holding `files` (name → text) and `folders`, and opens it. */
export async function openFolder(page, name, files = {}, folders = []) {
  await signIn(page, USER.email, USER.password);
  await page.waitForURL((u) => u.pathname === "/");
  const id = await page.evaluate(async ({ name, files, folders }) => {
    const me = await (await fetch("/api/v1/me")).json();
    const folder = async (parent, name) => (await (await fetch("/api/v1/folders", {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ parent_id: parent, name }),
    })).json()).id;
    const id = await folder(me.root_id, name);
    for (const path of folders) {
      let parent = id;
      for (const part of path.split("/")) parent = await folder(parent, part);
    }
    for (const [file, body] of Object.entries(files)) {
      await fetch("/api/v1/uploads", {
        method: "POST",
        headers: { "tus-resumable": "1.0.0", "upload-length": String(new TextEncoder().encode(body).length),
          "upload-metadata": `filename ${btoa(file)},parent_id ${btoa(id)}`,
          "content-type": "application/offset+octet-stream" },
        body,
      });
    }
    return id;
  }, { name, files, folders });
  await page.goto(`/folders/${id}`);
  await hydrated(page);
  await page.waitForSelector("tr.entry");
  return id;
}

const selectedNames = (page) =>
  page.$$eval("tr.entry[aria-selected=true] .entry-name", (els) => els.map((e) => e.textContent));

/** Names in a folder, through the API. */
async function namesIn(page, folder) {
  return page.evaluate(async (folder) => {
    const list = await (await fetch(`/api/v1/nodes/${folder}/children?limit=1000`)).json();
    return list.items.map((n) => n.name);
  }, folder);
}

/** Drops a synthesised folder (name → text files, nested objects are folders) on the page. */
async function dropTree(page, tree) {
  await page.waitForSelector(".drop-zone");
  await page.evaluate((tree) => {
    const entryOf = (name, value) => {
      if (typeof value === "string") {
        const f = new File([value], name, { type: "text/plain" });
        return { isFile: true, isDirectory: false, name, file: (ok) => ok(f) };
      }
      const children = Object.entries(value).map(([n, v]) => entryOf(n, v));
      return { isFile: false, isDirectory: true, name, createReader: () => {
        let read = false;
        return { readEntries: (ok) => { const batch = read ? [] : children; read = true; setTimeout(() => ok(batch)); } };
      } };
    };
    const entries = {};
    const dt = new DataTransfer();
    for (const [name, value] of Object.entries(tree)) {
      entries[name] = entryOf(name, value);
      dt.items.add(new File([typeof value === "string" ? value : ""], name));
    }
    DataTransferItem.prototype.webkitGetAsEntry = function () { return entries[this.getAsFile()?.name]; };
    const zone = document.querySelector(".drop-zone");
    zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, tree);
}

export const organiseTests = [
  ["select with a click, Ctrl-click, Shift-click and Ctrl+A; the selection goes to the trash and comes back", async ({ page }) => {
    await openFolder(page, "Selecting", { "a.txt": "a", "b.txt": "bb", "c.txt": "ccc", "d.txt": "dddd" });
    const rows = page.locator("tr.entry");
    await rows.nth(0).locator(".size").click();
    assert.equal((await page.textContent("#selection-count")).trim(), "1 selected");
    await rows.nth(2).locator(".size").click({ modifiers: ["Control"] });
    assert.deepEqual(await selectedNames(page), ["a.txt", "c.txt"]);
    await rows.nth(3).locator(".size").click({ modifiers: ["Shift"] });
    assert.deepEqual(await selectedNames(page), ["c.txt", "d.txt"], "the range from the last click");
    await rows.nth(0).locator(".size").click();
    await rows.nth(2).locator(".size").click({ modifiers: ["Shift"] });
    assert.deepEqual(await selectedNames(page), ["a.txt", "b.txt", "c.txt"]);
    await rows.nth(2).locator(".size").click({ modifiers: ["Control"] });
    assert.deepEqual(await selectedNames(page), ["a.txt", "b.txt"], "Ctrl-click takes one out again");

    await rows.nth(0).focus();
    await page.keyboard.press("Escape");
    await page.waitForSelector(".selection-bar", { state: "detached" });
    await page.keyboard.press("Control+A");
    assert.equal((await page.textContent("#selection-count")).trim(), "4 selected");
    assert.equal(await page.isChecked("#select-all"), true);
    await page.uncheck("#select-all");
    await page.waitForSelector(".selection-bar", { state: "detached" });
    await page.check("#select-all");
    assert.equal((await page.textContent("#selection-count")).trim(), "4 selected");

    await page.click("#selection-delete");
    await page.waitForSelector(".toast:has-text('Moved 4 items to the trash.')");
    await page.waitForSelector(".empty-state");
    await page.click(".toast .undo");
    await page.waitForSelector(".toast:has-text('Restored 4 items.')");
    await page.waitForFunction(() => document.querySelectorAll("tr.entry").length === 4);
  }],

  ["a selection downloads as one zip with everything in it", async ({ page }) => {
    await openFolder(page, "Zipping", { "one.txt": "the first file", "two.txt": "the second file" }, ["Inside"]);
    await page.check("#select-all");
    assert.equal((await page.textContent("#selection-download")).trim(), "Download zip");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#selection-download")]);
    assert.equal(download.suggestedFilename(), "GoSync download (3 items).zip");
    const bytes = readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 2).toString(), "PK", "a zip");
    const text = bytes.toString("latin1");
    for (const part of ["Inside/", "one.txt", "two.txt", "the first file", "the second file"]) {
      assert.ok(text.includes(part), `${part} is in it`);
    }
    // A file's name opens it in the viewer, whose Download downloads it.
    await page.click("tr.entry a:has-text('one.txt')");
    await page.waitForSelector(".viewer .viewer-text:has-text('the first file')");
    const [single] = await Promise.all([page.waitForEvent("download"), page.click(".viewer-bar a:has-text('Download')")]);
    assert.equal(readFileSync(await single.path(), "utf8"), "the first file");
  }],

  ["the context menu: right click or ⋯, the keyboard moves through it, Escape closes it, its actions work", async ({ page }) => {
    await openFolder(page, "Menus", { "report.txt": "r" }, ["Sub"]);
    const file = page.locator("tr.entry", { hasText: "report.txt" });
    await file.click({ button: "right" });
    await page.waitForSelector(".context-menu");
    const actions = await page.$$eval(".context-menu .menu-item", (els) => els.map((e) => e.dataset.action));
    assert.deepEqual(actions, ["download", "select", "share", "rename", "move", "copy", "star", "versions", "delete"]);
    assert.equal(await page.evaluate(() => document.activeElement.dataset.action), "download", "the first item has the focus");
    await page.keyboard.press("ArrowDown");
    assert.equal(await page.evaluate(() => document.activeElement.dataset.action), "select");
    await page.keyboard.press("Escape");
    await page.waitForSelector(".context-menu", { state: "detached" });

    const folder = page.locator("tr.entry", { hasText: "Sub" });
    await folder.locator(".more-button").click();
    const folderActions = await page.$$eval(".context-menu .menu-item", (els) => els.map((e) => e.textContent.trim()));
    assert.deepEqual(folderActions, ["Download as zip", "Select", "Share…", "Rename", "Move to…", "Make a copy", "Add star", "Move to trash"], "a folder has no versions");
    await page.click(".menu-backdrop");
    await page.waitForSelector(".context-menu", { state: "detached" });

    await file.locator(".more-button").click();
    await page.click(".context-menu [data-action=rename]");
    await page.fill(".rename-input", "final.txt");
    await page.press(".rename-input", "Enter");
    await page.waitForSelector("tr.entry a:has-text('final.txt')");
    await page.locator("tr.entry", { hasText: "final.txt" }).click({ button: "right" });
    await page.click(".context-menu [data-action=delete]");
    await page.waitForSelector(".toast:has-text('Moved “final.txt” to the trash.')");
    await page.waitForSelector("tr.entry:has-text('final.txt')", { state: "detached" });
  }],

  ["names in natural order; star from the menu and with S; Starred lists them; Recent has what was opened", async ({ page }) => {
    await openFolder(page, "Marks", { "notes-10.txt": "ten", "notes-2.txt": "two", "Notes-1.txt": "one" });
    const names = await page.$$eval("tr.entry .entry-name", (els) => els.map((e) => e.textContent));
    assert.deepEqual(names, ["Notes-1.txt", "notes-2.txt", "notes-10.txt"], "2 before 10, case aside");

    await page.locator("tr.entry", { hasText: "notes-2.txt" }).locator(".more-button").click();
    await page.click(".context-menu [data-action=star]");
    await page.waitForSelector(".toast:has-text('Starred “notes-2.txt”')");
    await page.waitForSelector("tr.entry:has-text('notes-2.txt') .star-mark");
    await page.focus("tr.entry:has-text('notes-10.txt')");
    await page.keyboard.press("s");
    await page.waitForSelector("tr.entry:has-text('notes-10.txt') .star-mark");
    await page.locator("tr.entry", { hasText: "notes-2.txt" }).locator(".more-button").click();
    assert.equal((await page.textContent(".context-menu [data-action=star]")).trim(), "Remove star");
    await page.keyboard.press("Escape");

    await page.click(".sidebar a:has-text('Starred')");
    await page.waitForURL((u) => u.pathname === "/starred");
    await page.waitForSelector(".placed-entry");
    const starred = await page.$$eval(".placed-entry .hit-name", (els) => els.map((e) => e.textContent));
    assert.deepEqual(starred, ["notes-10.txt", "notes-2.txt"], "newest star first");
    await page.screenshot({ path: `${ARTIFACTS}/starred-light.png` });
    await page.click(".placed-entry:has-text('notes-2.txt') a");
    await page.waitForSelector(".viewer .viewer-text:has-text('two')");

    await page.goto("/recent");
    await hydrated(page);
    await page.waitForSelector(".placed-entry");
    const recent = await page.$$eval(".placed-entry .hit-name", (els) => els.map((e) => e.textContent));
    assert.equal(recent[0], "notes-2.txt", "the file just opened comes first");
    assert.ok(recent.includes("notes-10.txt"), "what was uploaded is there too");
    await page.screenshot({ path: `${ARTIFACTS}/recent-light.png` });
  }],
  ["Move to…: pick a folder in the dialog; a folder cannot go into itself; a selection moves together", async ({ page }) => {
    const here = await openFolder(page, "Moving", { "m1.txt": "1", "m2.txt": "2", "m3.txt": "3" }, ["Dest/Inner"]);
    await page.locator("tr.entry", { hasText: "m1.txt" }).click({ button: "right" });
    await page.click(".context-menu [data-action=move]");
    await page.waitForSelector(".move-dialog");
    assert.equal((await page.textContent("#move-title")).trim(), "Move “m1.txt” to…");
    assert.equal(await page.isDisabled("#move-here"), true, "it is in this folder already");
    await page.click(".picker-folder:has-text('Dest')");
    await page.waitForSelector(".picker-crumbs [aria-current]:has-text('Dest')");
    assert.equal((await page.textContent("#move-here")).trim(), "Move to “Dest”");
    await page.click("#move-here");
    await page.waitForSelector(".move-dialog", { state: "detached" });
    await page.waitForSelector(".toast:has-text('Moved “m1.txt” to “Dest”.')");
    await page.waitForSelector("tr.entry:has-text('m1.txt')", { state: "detached" });

    await page.locator("tr.entry", { hasText: "m2.txt" }).locator(".size").click();
    await page.locator("tr.entry", { hasText: "m3.txt" }).locator(".size").click({ modifiers: ["Control"] });
    await page.click("#selection-move");
    assert.equal((await page.textContent("#move-title")).trim(), "Move 2 items to…");
    await page.click(".picker-folder:has-text('Dest')");
    await page.click(".picker-folder:has-text('Inner')");
    await page.waitForSelector(".picker-crumbs [aria-current]:has-text('Inner')");
    await page.click("#move-here");
    await page.waitForSelector(".toast:has-text('Moved 2 items to “Inner”.')");
    assert.deepEqual(await namesIn(page, here), ["Dest"]);

    await page.locator("tr.entry", { hasText: "Dest" }).click({ button: "right" });
    await page.click(".context-menu [data-action=move]");
    await page.waitForSelector(".picker-folder:has-text('Dest')");
    assert.equal(await page.isDisabled(".picker-folder:has-text('Dest')"), true, "not into itself");
    await page.click(".picker-crumbs button:has-text('My files')");
    await page.waitForSelector(".picker-crumbs [aria-current]:has-text('My files')");
    await page.click("#move-cancel");
    await page.waitForSelector(".move-dialog", { state: "detached" });
  }],

  ["grid view: the choice is remembered and applied before the page paints; screenshots", async ({ page }) => {
    await openFolder(page, "Gallery", { "photo.jpg": "jpeg", "notes.md": "# notes", "song.mp3": "mp3" }, ["Albums"]);
    await page.click("#view-grid");
    assert.equal(await page.getAttribute("html", "data-view"), "grid");
    assert.equal(await page.getAttribute("#view-grid", "aria-pressed"), "true");
    const display = await page.$eval("tr.entry", (el) => getComputedStyle(el).display);
    assert.equal(display, "flex", "rows are cards");
    await page.reload({ waitUntil: "commit" });
    await page.waitForSelector("tr.entry");
    assert.equal(await page.getAttribute("html", "data-view"), "grid", "before the WASM arrives");
    await hydrated(page);
    assert.equal(await page.getAttribute("#view-grid", "aria-pressed"), "true");
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator("tr.entry", { hasText: "notes.md" }).locator(".size").click();
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(100);
      await page.screenshot({ path: `${ARTIFACTS}/drive-grid-${scheme}.png` });
    }
    await page.locator("tr.entry", { hasText: "photo.jpg" }).click({ button: "right" });
    await page.screenshot({ path: `${ARTIFACTS}/drive-grid-menu-dark.png` });
    await page.keyboard.press("Escape");
    await page.click("#view-list");
    await page.reload();
    await hydrated(page);
    assert.notEqual(await page.getAttribute("html", "data-view"), "grid");
    assert.equal(await page.getAttribute("#view-list", "aria-pressed"), "true");
  }, { contextOptions: { viewport: { width: 1280, height: 720 } } }],

  ["a name already there: keep both, replace (a new version), or skip; a dropped folder merges", async ({ page }) => {
    const here = await openFolder(page, "Clashes", { "clash.txt": "old" }, ["Photos"]);
    const file = join(mkdtempSync(join(tmpdir(), "gosync-e2e-")), "clash.txt");
    writeFileSync(file, "new content");

    await page.setInputFiles("#upload-files", file);
    await page.waitForSelector(".clash-dialog");
    assert.equal((await page.textContent("#clash-title")).trim(), "“clash.txt” is already in this folder");
    await page.screenshot({ path: `${ARTIFACTS}/upload-clash-light.png` });
    await page.click("#clash-keep");
    await page.waitForSelector(".clash-dialog", { state: "detached" });
    await page.waitForSelector("tr.entry a:has-text('clash (1).txt')");

    await page.setInputFiles("#upload-files", file);
    await page.click("#clash-replace");
    await page.waitForFunction(() => document.querySelectorAll(".upload-item[data-state=done]").length === 2);
    const versions = await page.evaluate(async (here) => {
      const list = await (await fetch(`/api/v1/nodes/${here}/children`)).json();
      const node = list.items.find((n) => n.name === "clash.txt");
      return (await (await fetch(`/api/v1/nodes/${node.id}/versions`)).json()).length;
    }, here);
    assert.equal(versions, 2, "replace made a new version and kept the old one");

    await page.setInputFiles("#upload-files", file);
    await page.click("#clash-skip");
    await page.waitForSelector(".clash-dialog", { state: "detached" });
    assert.equal(await page.locator(".upload-item").count(), 2, "skip uploads nothing");
    assert.deepEqual((await namesIn(page, here)).sort(), ["Photos", "clash (1).txt", "clash.txt"]);

    await dropTree(page, { Photos: { "beach.txt": "sand" } });
    await page.waitForSelector("#clash-replace:has-text('Merge')");
    await page.click("#clash-replace");
    await page.waitForFunction(() => document.querySelectorAll(".upload-item[data-state=done]").length === 3);
    assert.deepEqual((await namesIn(page, here)).sort(), ["Photos", "clash (1).txt", "clash.txt"], "no second Photos");
    await page.click("tr.entry a:has-text('Photos')");
    await page.waitForSelector("tr.entry a:has-text('beach.txt')");
  }],

  ["an upload that cannot go through says why: connection lost (and it carries on), bad name, too large, quota", async ({ page, bin, dataDir }) => {
    await openFolder(page, "Troubles", { "placeholder.txt": "x" });
    // The connection drops twice in the middle; the upload says so, retries by itself, completes.
    let cut = 0;
    await page.route("**/api/v1/uploads/**", (route) => {
      if (route.request().method() === "PATCH" && cut < 2) { cut++; return route.abort("internetdisconnected"); }
      return route.continue();
    });
    const big = join(mkdtempSync(join(tmpdir(), "gosync-e2e-")), "flaky.bin");
    writeFileSync(big, Buffer.alloc(6 * 1024 * 1024, 7));
    await page.setInputFiles("#upload-files", big);
    await page.waitForSelector(".upload-item[data-state=retrying]");
    assert.match(await page.textContent(".upload-item[data-state=retrying] .upload-status"), /Connection lost at 4\.\d MB\. Retrying…/);
    await page.waitForSelector(".upload-item[data-state=done]");
    await page.unroute("**/api/v1/uploads/**");

    // A small file travels in a batch request: that request, cut off, is sent again.
    let smallCuts = 0;
    await page.route("**/api/v1/uploads/batch", (route) => {
      if (route.request().method() === "POST" && smallCuts < 1) { smallCuts++; return route.abort("internetdisconnected"); }
      return route.continue();
    });
    const small = join(mkdtempSync(join(tmpdir(), "gosync-e2e-")), "small-flaky.txt");
    writeFileSync(small, "one request, sent twice");
    await page.setInputFiles("#upload-files", small);
    await page.waitForSelector(".upload-item:has-text('small-flaky.txt')[data-state=done]");
    await page.unroute("**/api/v1/uploads/batch");
    assert.equal(smallCuts, 1, "the first try was cut off");
    await page.waitForSelector("tr.entry a:has-text('small-flaky.txt')");

    await dropTree(page, { "bad\u0007name.txt": "x" });
    await page.waitForSelector(".upload-item[data-state=failed]");
    assert.match(await page.textContent(".upload-item[data-state=failed] .upload-status"), /control characters/);

    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(64 * 1024 * 1024 + 1)], "huge.bin"));
      DataTransferItem.prototype.webkitGetAsEntry = function () { return null; };
      document.querySelector(".drop-zone").dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => document.querySelectorAll(".upload-item[data-state=failed]").length === 2);
    assert.match(await page.textContent(".upload-item:has-text('huge.bin') .upload-status"),
      /larger than 67 MB, the most one upload may be/);

    // Someone with a small quota.
    const made = spawnSync(bin, ["admin", "create-user", "--email", "small@example.com", "--password-stdin",
      "--quota", "1KiB", "--data-dir", dataDir], { input: "a small quota here\n", encoding: "utf8" });
    assert.equal(made.status, 0, made.stderr);
    await page.context().clearCookies();
    await signIn(page, "small@example.com", "a small quota here");
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    const file = join(mkdtempSync(join(tmpdir(), "gosync-e2e-")), "too-much.txt");
    writeFileSync(file, "x".repeat(4096));
    await page.setInputFiles("#upload-files", file);
    await page.waitForSelector(".upload-item[data-state=failed]");
    assert.match(await page.textContent(".upload-item[data-state=failed] .upload-status"), /exceed your storage quota/);
    assert.match(await page.textContent(".empty-state"), /Your drive is empty/, "nothing half-stored");
  }],
];
