// Browser tests of sharing: the Share dialog with people and roles, "Shared with me" for the
// person shared with, and a public link opened by someone with no account.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hydrated, METRICS_TOKEN, signIn, USER } from "./tests.mjs";

const ARTIFACTS = new URL("./artifacts", import.meta.url).pathname;
const BOB = { name: "Bob Baker", email: "bob@example.com", password: "bread and butter" };

/** Signs in as Ada, makes a folder holding one file, and opens the Share dialog for it. */
async function folderToShare(page, name, file) {
  await signIn(page, USER.email, USER.password);
  await page.waitForURL((u) => u.pathname === "/");
  await page.evaluate(async ({ name, file, bob }) => {
    await fetch("/api/v1/auth/signup", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify(bob) });
    const me = await (await fetch("/api/v1/me")).json();
    const folder = await (await fetch("/api/v1/folders", { method: "POST",
      headers: { "content-type": "application/json" }, body: JSON.stringify({ parent_id: me.root_id, name }) })).json();
    await fetch("/api/v1/uploads", { method: "POST", body: file.body,
      headers: { "tus-resumable": "1.0.0", "upload-length": String(file.body.length),
        "upload-metadata": `filename ${btoa(file.name)},parent_id ${btoa(folder.id)}`,
        "content-type": "application/offset+octet-stream" } });
  }, { name, file, bob: BOB });
  await page.reload();
  await hydrated(page);
  await page.locator("tr.entry", { hasText: name }).click({ button: "right" });
  await page.click(".context-menu [data-action=share]");
  await page.waitForSelector(".share-dialog");
}

/** A second `gosync serve` on the first one's database and blobs (a cluster of two). */
async function secondNode(bin, dataDir) {
  const dir = mkdtempSync(join(tmpdir(), "gosync-e2e-node-"));
  symlinkSync(join(dataDir, "blobs"), join(dir, "blobs"));
  const port = await new Promise((ok) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => ok(port)); });
  });
  const server = spawn(bin, ["serve", "--addr", `127.0.0.1:${port}`, "--data-dir", dir], {
    stdio: "ignore",
    env: { ...process.env, RUST_LOG: "warn", DATABASE_URL: `sqlite://${join(dataDir, "gosync.db")}?mode=rwc`,
      GOSYNC_LIMITS__LOGIN_PER_IP: "500", GOSYNC_PREVIEWS__IN_PROCESS: "false" },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) return { base, server }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  server.kill();
  throw new Error("the second node did not start");
}

export const sharingTests = [
  ["share a folder from the drive; the person finds it in Shared with me and browses it from there", async ({ page }) => {
    await folderToShare(page, "Team notes", { name: "agenda.txt", body: "monday" });
    assert.equal((await page.textContent("#share-title")).trim(), "Share “Team notes”");
    await page.fill("#share-email", "nobody@example.com");
    await page.click("#share-add");
    await page.waitForSelector("#share-error:has-text('No one with this email')");
    await page.fill("#share-email", BOB.email);
    await page.selectOption("#share-role", "editor");
    await page.click("#share-add");
    await page.waitForSelector(`li.grant[data-email='${BOB.email}']`);
    assert.equal(await page.inputValue(`li.grant[data-email='${BOB.email}'] .grant-role`), "editor");
    await page.selectOption(`li.grant[data-email='${BOB.email}'] .grant-role`, "viewer");
    await page.waitForFunction((email) => {
      const el = document.querySelector(`li.grant[data-email='${email}'] .grant-role`);
      return el && el.value === "viewer";
    }, BOB.email);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/share-dialog-light.png` });
    await page.click("#share-close");
    await page.waitForSelector("tr.entry:has-text('Team notes') .shared-badge");

    await page.context().clearCookies();
    await signIn(page, BOB.email, BOB.password);
    await page.waitForURL((u) => u.pathname === "/");
    await page.click(".sidebar a:has-text('Shared with me')");
    await page.waitForSelector("tr.shared-entry a:has-text('Team notes')");
    assert.equal((await page.textContent("tr.shared-entry .shared-role")).trim(), "viewer");
    await page.click("tr.shared-entry a:has-text('Team notes')");
    await page.waitForSelector("h1:has-text('Team notes')");
    await page.waitForSelector("tr.entry a:has-text('agenda.txt')");
    assert.match(await page.textContent(".shared-by"), /Shared with you by Ada Lovelace/);
    const crumbs = await page.$$eval(".breadcrumbs li", (els) => els.map((e) => e.textContent.trim()));
    assert.deepEqual(crumbs, ["Team notes"], "nothing of Ada's drive above it");
    await page.click("tr.entry a:has-text('agenda.txt')");
    await page.waitForSelector(".viewer .viewer-text:has-text('monday')");
    const [opened] = await Promise.all([page.waitForEvent("download"), page.click(".viewer-bar a:has-text('Download')")]);
    assert.equal(readFileSync(await opened.path(), "utf8"), "monday");
  }],

  ["a public link with a password: the recipient gives it, sees the file, downloads; once revoked the link says so", async ({ page, browser }) => {
    await folderToShare(page, "Handout", { name: "slides.txt", body: "slide one" });
    await page.click(".link-options summary");
    await page.fill("#link-label", "For the workshop");
    await page.fill("#link-password-new", "open sesame");
    await page.click("#link-create");
    await page.waitForSelector(".link-row .link-url");
    const url = await page.inputValue(".link-row .link-url");
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9_-]{22}$/);
    assert.match(await page.textContent(".link-row .link-notes"), /^For the workshop · view · password/);

    const visitor = await browser.newContext();
    const them = await visitor.newPage();
    await them.goto(url);
    await hydrated(them);
    await them.waitForSelector("h1:has-text('This link is protected')");
    assert.equal(await them.locator("text=Handout").count(), 0, "no name before the password");
    await them.fill("#link-password", "open barley");
    await them.click("#unlock-form button[type=submit]");
    await them.waitForSelector("#link-password-error:has-text('not right')");
    await them.fill("#link-password", "open sesame");
    await them.click("#unlock-form button[type=submit]");
    await them.waitForSelector("h1:has-text('Handout')");
    await them.waitForSelector("tr.entry a:has-text('slides.txt')");
    assert.equal(await them.getAttribute("meta[name=robots]", "content"), "noindex, nofollow");
    for (const scheme of ["light", "dark"]) {
      await them.emulateMedia({ colorScheme: scheme });
      await them.screenshot({ path: `${ARTIFACTS}/link-folder-${scheme}.png` });
    }
    await them.click("tr.entry a:has-text('slides.txt')");
    await them.waitForSelector(".viewer .viewer-text:has-text('slide one')");
    const [download] = await Promise.all([them.waitForEvent("download"), them.click(".viewer-bar a:has-text('Download')")]);
    assert.equal(readFileSync(await download.path(), "utf8"), "slide one");

    await page.click(".link-row .link-revoke");
    await page.waitForSelector(".link-row", { state: "detached" });
    const gone = await them.goto(url);
    assert.equal(gone.status(), 410);
    await them.waitForSelector("h1:has-text('This link is no longer available')");
    await them.screenshot({ path: `${ARTIFACTS}/link-gone-dark.png` });
    await visitor.close();
  }, { contextOptions: { viewport: { width: 1100, height: 700 } } }],
  ["live: a folder open in two tabs follows what someone else does in it on another node, over one shared stream", async ({ page, browser, base, bin, dataDir }) => {
    await folderToShare(page, "Live room", { name: "start.txt", body: "start" });
    await page.fill("#share-email", BOB.email);
    await page.selectOption("#share-role", "editor");
    await page.click("#share-add");
    await page.waitForSelector(`li.grant[data-email='${BOB.email}']`);
    await page.click("#share-close");
    await page.click("tr.entry a:has-text('Live room')");
    await page.waitForSelector("tr.entry a:has-text('start.txt')");
    const folder = page.url().split("/folders/")[1];
    const listeners = async () => {
      const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      return Number(/^gosync_live_listeners (\d+)$/m.exec(text)[1]);
    };
    await page.waitForFunction(() => window.gosyncLive !== undefined);
    await new Promise((r) => setTimeout(r, 500));
    const before = await listeners();
    const second = await page.context().newPage();
    await second.goto(`/folders/${folder}`);
    await hydrated(second);
    await second.waitForSelector("tr.entry a:has-text('start.txt')");
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(await listeners() <= before, "the second tab uses the first one's stream");

    // Bob, in a browser of his own, adds and renames (as any client of the API might) through
    // a second node of the same database and blobs.
    const other = await secondNode(bin, dataDir);
    const bobContext = await browser.newContext({ baseURL: other.base });
    const bob = await bobContext.newPage();
    await signIn(bob, BOB.email, BOB.password);
    await bob.waitForURL((u) => u.pathname === "/");
    const added = await bob.evaluate(async (folder) => {
      const r = await fetch("/api/v1/uploads", { method: "POST", body: "fresh",
        headers: { "tus-resumable": "1.0.0", "upload-length": "5",
          "upload-metadata": `filename ${btoa("added.txt")},parent_id ${btoa(folder)}`,
          "content-type": "application/offset+octet-stream" } });
      return r.headers.get("gosync-node-id");
    }, folder);
    for (const tab of [page, second]) await tab.waitForSelector("tr.entry a:has-text('added.txt')", { timeout: 15000 });
    await bob.evaluate(async (id) => { await fetch(`/api/v1/nodes/${id}`, { method: "PATCH",
      headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "renamed.txt" }) }); }, added);
    for (const tab of [page, second]) await tab.waitForSelector("tr.entry a:has-text('renamed.txt')", { timeout: 15000 });
    await page.screenshot({ path: `${ARTIFACTS}/live-folder-light.png` });
    // Bob is an editor and may not delete: Ada deletes from her other tab, and the first follows.
    await second.locator("tr.entry", { hasText: "renamed.txt" }).locator(".delete-button").click();
    await page.waitForSelector("tr.entry:has-text('renamed.txt')", { state: "detached", timeout: 15000 });
    await bobContext.close();
    await second.close();
    other.server.kill("SIGTERM");
  }],
  ["a drop box link: the recipient uploads without an account and sees only their own uploads", async ({ page, browser }) => {
    await folderToShare(page, "Submissions", { name: "rules.txt", body: "the rules" });
    await page.click(".link-options summary");
    await page.selectOption("#link-role", "uploader");
    await page.click("#link-create");
    await page.waitForSelector(".link-row .link-url");
    assert.match(await page.textContent(".link-row .link-notes"), /upload only/);
    const url = await page.inputValue(".link-row .link-url");

    const visitor = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    const them = await visitor.newPage();
    await them.goto(url);
    await hydrated(them);
    await them.waitForSelector("h1:has-text('Submissions')");
    assert.equal(await them.locator("text=rules.txt").count(), 0, "nothing of what is there");
    const file = join(mkdtempSync(join(tmpdir(), "gosync-e2e-")), "essay.txt");
    writeFileSync(file, "my essay");
    await them.setInputFiles("#link-upload-files", file);
    await them.waitForSelector(".upload-item[data-state=done]");
    await them.screenshot({ path: `${ARTIFACTS}/link-dropbox-light.png` });
    await visitor.close();

    await page.click("#share-close");
    await page.click("tr.entry a:has-text('Submissions')");
    await page.waitForSelector("tr.entry a:has-text('essay.txt')");
    await page.waitForSelector("tr.entry a:has-text('rules.txt')");
  }],
].map(([name, fn, opts]) => { if (opts) fn.contextOptions = opts.contextOptions; return [name, fn]; });
