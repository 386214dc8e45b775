// Browser test of the settings page: an app password is made (its secret shown once), works
// for WebDAV from another program, shows when it was last used, and stops at once when revoked.
import assert from "node:assert/strict";
import { hydrated, signIn, USER } from "./tests.mjs";

const ARTIFACTS = new URL("./artifacts", import.meta.url).pathname;

async function propfind(base, secret) {
  const auth = Buffer.from(`${USER.email}:${secret}`).toString("base64");
  const r = await fetch(`${base}/dav/`, { method: "PROPFIND", headers: { depth: "0", authorization: `Basic ${auth}` } });
  return r.status;
}

export const settingsTests = [
  ["settings: make an app password, connect WebDAV with it, revoke it", async ({ page, base }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await hydrated(page);
    await page.click("#user-menu-button");
    await page.click("#settings-link");
    await page.waitForURL((u) => u.pathname === "/settings", { waitUntil: "commit" });
    await hydrated(page);
    await page.waitForFunction(() => document.querySelector("#dav-url")?.textContent.startsWith("http"));
    assert.equal(await page.textContent("#dav-url"), `${base}/dav/`);
    assert.equal(await page.textContent("#dav-user"), USER.email);

    // A blank name: the form asks for one and nothing is made.
    await page.click(".inline-form button[type=submit]");
    assert.equal(await page.$(".secret-once"), null);

    await page.fill("#app-password-name", "Laptop Finder");
    await page.click(".inline-form button[type=submit]");
    const secret = (await (await page.waitForSelector("#new-app-password")).textContent()).trim();
    assert.match(secret, /^gs_pat_/);
    assert.equal(await page.inputValue("#app-password-name"), "", "the form is ready for the next one");
    await page.waitForSelector(".app-password:has-text('Laptop Finder')");
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${ARTIFACTS}/settings-${scheme}.png`, fullPage: true });
    }

    assert.equal(await propfind(base, secret), 207, "WebDAV answers with the app password");
    await page.reload();
    await hydrated(page);
    await page.waitForSelector(".app-password:has-text('last used just now')");
    assert.equal(await page.$("#new-app-password"), null, "the secret is shown only once");

    await page.click("button[aria-label='Revoke Laptop Finder']");
    await page.waitForSelector("#no-app-passwords");
    assert.equal(await propfind(base, secret), 401, "revoked: the app is out at once");
  }],
];
