// Browser tests of search: `/` focuses the header's box, results appear while typing (the
// match highlighted in its text), a hit opens in the viewer of its folder, and the results
// page filters by type.
import assert from "node:assert/strict";
import { openFolder } from "./organise.mjs";
import { hydrated } from "./tests.mjs";

const ARTIFACTS = new URL("./artifacts", import.meta.url).pathname;

export const searchTests = [
  ["search: type in the header box, see the highlighted match, open the hit, filter the results", async ({ page }) => {
    await openFolder(page, "Expeditions", {
      "packing list.txt": "tent, stove, and a thermos of cocoa for the glacier walk",
      "glacier notes.md": "# Route\nCrevasses near the second camp.",
    });
    await page.goto("/");
    await hydrated(page);
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("name")), "q");
    // The text is indexed a moment after its job ran: type until it shows.
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await page.fill(".search-box input", "");
      await page.keyboard.type("thermos", { delay: 30 });
      found = await page.waitForSelector(".quick-results .hit:has-text('packing list.txt')", { timeout: 1500 })
        .then(() => true, () => false);
    }
    assert.ok(found, "the file whose text matches is listed under the box");
    assert.equal((await page.textContent(".quick-results .hit mark")).toLowerCase(), "thermos");
    assert.match(await page.textContent(".quick-results .hit-path"), /My files \/ Expeditions/);
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      // Changing the colour scheme takes the focus away: come back to the box.
      await page.focus(".search-box input");
      await page.waitForSelector(".quick-results .hit:has-text('packing list.txt')");
      await page.screenshot({ path: `${ARTIFACTS}/search-quick-${scheme}.png` });
    }
    // ↓ then Enter opens the hit in its folder's viewer.
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForURL((u) => u.pathname.startsWith("/folders/") && u.searchParams.has("open"), { waitUntil: "commit" });
    await page.waitForSelector(".viewer :text('thermos of cocoa')");
    await page.keyboard.press("Escape");

    // The results page: a name match ranks first; the type filter narrows.
    await page.goto("/search?q=glacier");
    await hydrated(page);
    await page.waitForSelector(".hits .hit");
    const names = await page.$$eval(".hits .hit-name", (els) => els.map((e) => e.textContent));
    assert.deepEqual(names, ["glacier notes.md", "packing list.txt"], "the name match first");
    await page.selectOption("select[name=kind]", "document");
    await page.waitForURL((u) => u.searchParams.get("kind") === "document", { waitUntil: "commit" });
    await page.waitForFunction(() => document.querySelectorAll(".hits .hit").length === 2);
    await page.selectOption("select[name=kind]", "pdf");
    await page.waitForSelector(".empty-state:has-text('Nothing found')");
    await page.selectOption("select[name=kind]", "");
    await page.waitForSelector(".hits .hit");
    // Size: both files are small.
    await page.selectOption("select[name=size]", { label: "Over 100 MB" });
    await page.waitForURL((u) => u.searchParams.get("min_size") === String(100 * 2 ** 20 + 1), { waitUntil: "commit" });
    await page.waitForSelector(".empty-state:has-text('Nothing found')");
    await page.selectOption("select[name=size]", { label: "Under 1 MB" });
    await page.waitForFunction(() => document.querySelectorAll(".hits .hit").length === 2);
    // Modified between dates: today's files are in a range that ends today, not in one that
    // ended yesterday.
    await page.selectOption("select[name=modified]", "custom");
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.fill("input[name=modified_before]", yesterday);
    await page.waitForURL((u) => u.searchParams.get("modified_before") === yesterday, { waitUntil: "commit" });
    await page.waitForSelector(".empty-state:has-text('Nothing found')");
    await page.fill("input[name=modified_before]", today);
    await page.waitForFunction(() => document.querySelectorAll(".hits .hit").length === 2);
    assert.equal(await page.inputValue("select[name=modified]"), "custom", "the dates stay shown");
    await page.emulateMedia({ colorScheme: "light" });
    await page.screenshot({ path: `${ARTIFACTS}/search-results-light.png`, fullPage: true });
  }, { contextOptions: { viewport: { width: 1280, height: 800 } } }],
];
