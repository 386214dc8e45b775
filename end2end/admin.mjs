// Browser tests of the admin dashboard: making accounts (with a password, and with an
// invitation link its person opens), disabling one (its browser is signed out at once), the
// charts, the failed jobs and the activity log.
import assert from "node:assert/strict";
import { hydrated, signIn, USER } from "./tests.mjs";

const ARTIFACTS = new URL("./artifacts", import.meta.url).pathname;

async function makeAccount(page, email, password) {
  await page.fill("#new-email", email);
  await page.fill("#new-password", password);
  await page.click("#new-account button[type=submit]");
  await page.waitForSelector(`#account-created:has-text("${email}")`);
  return page.textContent("#account-created");
}

export const adminTests = [
  ["the admin dashboard: make people, disable one, see the charts and the log", async ({ page, browser, base }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await page.goto("/admin/people");
    await hydrated(page);
    assert.match(await makeAccount(page, "member@example.com", "member password 1"), /can sign in now/);
    await page.waitForSelector("tr.account[data-email='member@example.com']");

    // The member signs in elsewhere; the admin disables them; their next page is the sign-in.
    const other = await browser.newContext({ baseURL: base });
    const member = await other.newPage();
    await signIn(member, "member@example.com", "member password 1");
    await member.waitForURL((u) => u.pathname === "/");
    await page.fill("#people-search", "member");
    await page.waitForFunction(() => document.querySelectorAll("tr.account").length === 1);
    const row = "tr.account[data-email='member@example.com']";
    await page.click(`${row} button:has-text('Disable')`);
    await page.waitForSelector(`${row} .status:has-text('Disabled')`);
    await member.goto("/");
    await member.waitForURL((u) => u.pathname === "/login");

    // A quota shows as a bar.
    await page.click(`${row} button:has-text('Quota…')`);
    await page.fill(`${row} .inline-input`, "1 MB");
    await page.click(`${row} .inline-form button[type=submit]`);
    await page.waitForSelector(`${row} .usage .bar`);
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${ARTIFACTS}/admin-people-${scheme}.png`, fullPage: true });
    }

    // An invitation: the link opens a welcome page; its person chooses a password and is in.
    await page.fill("#new-password", "");
    await page.fill("#new-email", "invited@example.com");
    await page.click("#new-account button[type=submit]");
    await page.waitForSelector('#account-created:has-text("invited@example.com")');
    const link = (await page.textContent("#account-created")).match(/https?:\/\/\S+\/welcome\/\S+?(?=\s)/)[0];
    await member.goto(link);
    await hydrated(member);
    assert.equal(await member.textContent("#invited-email"), "invited@example.com");
    await member.fill("#password", "invited password 1");
    await member.click("#welcome-form button[type=submit]");
    await member.waitForURL((u) => u.pathname === "/");
    await other.close();
    const stranger = await browser.newContext({ baseURL: base });
    const used = await stranger.newPage();
    const answer = await used.goto(link);
    assert.equal(answer.status(), 410, "a used invitation is gone");
    await used.waitForSelector("#invitation-error");
    await stranger.close();

    // The overview: figures, both charts drawn, the failed-jobs card.
    await page.goto("/admin");
    await hydrated(page);
    await page.waitForSelector("#chart-storage circle.series-logical");
    assert.ok(await page.$("#chart-storage polyline.series-stored"), "the on-disk line");
    assert.ok((await page.$$("#chart-uploads rect.series-uploads")).length >= 1, "a bar for today");
    assert.match(await page.textContent("#chart-storage"), /\d{4}-\d{2}-\d{2}/);
    await page.waitForSelector(".admin-failures");
    // This server's health: database and storage answering, the search index, the settings.
    await page.waitForSelector("#health-database:has-text('answering')");
    assert.match(await page.textContent("#health-storage"), /Storage \(local\)\s*answering/);
    assert.match(await page.textContent("#health-index"), /changes behind|up to date/);
    await page.click(".health-settings summary");
    assert.match(await page.textContent(".settings-table"), /GOSYNC_STORAGE__SECRET_ACCESS_KEY\s*\(not set\)/);
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${ARTIFACTS}/admin-overview-${scheme}.png`, fullPage: true });
    }

    // The log says who disabled whom.
    await page.click(".admin-tabs a:has-text('Activity')");
    await page.waitForURL((u) => u.pathname === "/admin/activity");
    await hydrated(page);
    await page.selectOption("#activity-action", "account_disable");
    await page.waitForFunction(() => [...document.querySelectorAll("tr.activity-entry")]
      .every((r) => r.dataset.action === "account_disable"));
    const entries = await page.$$eval("tr.activity-entry", (rows) => rows.map((r) => r.textContent));
    assert.equal(entries.length, 1, entries.join(" | "));
    assert.match(entries[0], /ada@example\.com.*member@example\.com/);
  }],
];
