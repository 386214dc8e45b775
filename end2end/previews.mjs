// Browser tests of previews: thumbnails appear in the list and the grid as the workers make
// them; the viewer shows an image (fit, actual size, the next file with the arrow keys) and a
// PDF's pages, and closes with Escape.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hydrated, signIn, USER } from "./tests.mjs";

const ARTIFACTS = new URL("./artifacts", import.meta.url).pathname;

/** A PDF of `pages` Letter pages saying "Page n", built by hand. */
export function pdf(pages) {
  const objects = ["<< /Type /Catalog /Pages 2 0 R >>",
    `<< /Type /Pages /Kids [${Array.from({ length: pages }, (_, i) => `${3 + 2 * i} 0 R`).join(" ")}] /Count ${pages} >>`];
  const font = 3 + 2 * pages;
  for (let i = 0; i < pages; i++) {
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${4 + 2 * i} 0 R /Resources << /Font << /F1 ${font} 0 R >> >> >>`);
    const text = `BT /F1 48 Tf 72 700 Td (Page ${i + 1}) Tj ET`;
    objects.push(`<< /Length ${text.length} >>\nstream\n${text}\nendstream`);
  }
  objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  let out = "%PDF-1.4\n";
  const offsets = objects.map((body, i) => { const at = out.length; out += `${i + 1} 0 obj\n${body}\nendobj\n`; return at; });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}

/** A folder with two photos (drawn by the browser) and a 3-page PDF, opened. */
async function photoFolder(page, name) {
  await signIn(page, USER.email, USER.password);
  await page.waitForURL((u) => u.pathname === "/");
  const id = await page.evaluate(async ({ pdfText, name }) => {
    const me = await (await fetch("/api/v1/me")).json();
    const folder = (await (await fetch("/api/v1/folders", { method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ parent_id: me.root_id, name }) })).json()).id;
    const photo = (left, right) => new Promise((ok) => {
      const canvas = document.createElement("canvas");
      canvas.width = 1600; canvas.height = 1000;
      const g = canvas.getContext("2d");
      g.fillStyle = left; g.fillRect(0, 0, 800, 1000);
      g.fillStyle = right; g.fillRect(800, 0, 800, 1000);
      canvas.toBlob(ok, "image/jpeg", 0.9);
    });
    const send = async (name, blob) => fetch("/api/v1/uploads", { method: "POST", body: blob,
      headers: { "tus-resumable": "1.0.0", "upload-length": String(blob.size),
        "upload-metadata": `filename ${btoa(name)},parent_id ${btoa(folder)}`,
        "content-type": "application/offset+octet-stream" } });
    await send("beach.jpg", await photo("#e33", "#33e"));
    await send("forest.jpg", await photo("#2a2", "#fd3"));
    await send("guide.pdf", new Blob([pdfText]));
    // One second of a 440 Hz tone, as a WAV file.
    const rate = 8000, samples = new Int16Array(rate);
    for (let i = 0; i < rate; i++) samples[i] = Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / rate));
    const header = new DataView(new ArrayBuffer(44));
    const text = (at, s) => [...s].forEach((c, i) => header.setUint8(at + i, c.charCodeAt(0)));
    text(0, "RIFF"); header.setUint32(4, 36 + samples.byteLength, true); text(8, "WAVEfmt ");
    header.setUint32(16, 16, true); header.setUint16(20, 1, true); header.setUint16(22, 1, true);
    header.setUint32(24, rate, true); header.setUint32(28, rate * 2, true); header.setUint16(32, 2, true);
    header.setUint16(34, 16, true); text(36, "data"); header.setUint32(40, samples.byteLength, true);
    await send("tone.wav", new Blob([header, samples], { type: "audio/wav" }));
    return folder;
  }, { pdfText: pdf(3), name });
  await page.goto(`/folders/${id}`);
  await hydrated(page);
  await page.waitForSelector("tr.entry");
}

/** A Word document (2 pages), a slide deck (3 slides) and a WebM video, made by the same
 * tools as the Rust tests' (make_fixtures.py in tools/venv, ffmpeg), as base64. */
function convertedFixtures() {
  const root = new URL("..", import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), "gosync-e2e-fixtures-"));
  try {
    execFileSync(join(root, "tools/venv/bin/python"),
      [join(root, "server/tests/fixtures/previews/make_fixtures.py"), dir]);
    execFileSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=duration=3:size=320x240:rate=10",
      "-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-y", join(dir, "clip.webm")]);
    const read = (name) => readFileSync(join(dir, name)).toString("base64");
    return { docx: read("report.docx"), pptx: read("deck.pptx"), webm: read("clip.webm") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits until every file row shows its thumbnail, as listed once made (by its tag). */
async function thumbnailsShown(page, count) {
  await page.waitForFunction((count) => {
    const imgs = [...document.querySelectorAll("tr.entry .file-icon.thumb img")];
    return imgs.length === count && imgs.every((i) => /v=[0-9a-f]{16}$/.test(i.src) && i.complete && i.naturalWidth > 0);
  }, count, { timeout: 30_000 });
}

export const previewTests = [
  ["thumbnails appear in the list and the grid; the viewer shows photos, steps with the arrow keys, closes with Escape", async ({ page }) => {
    await photoFolder(page, "Holiday");
    await thumbnailsShown(page, 3);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.click("#view-grid");
    await thumbnailsShown(page, 3);
    await page.screenshot({ path: `${ARTIFACTS}/drive-grid-thumbnails-light.png` });
    await page.click("#view-list");

    await page.click("tr.entry a:has-text('beach.jpg')");
    await page.waitForSelector(".viewer[aria-label='Preview of beach.jpg']");
    const shown = () => page.$eval(".viewer-image", (i) => ({ src: i.getAttribute("src"), w: i.naturalWidth, done: i.complete }));
    await page.waitForFunction(() => { const i = document.querySelector(".viewer-image"); return i && i.complete && i.naturalWidth > 0; });
    let image = await shown();
    assert.match(image.src, /thumbnail\?size=1024/);
    assert.equal(image.w, 1024, "the fitted rendering");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: `${ARTIFACTS}/viewer-image-dark.png` });
    await page.emulateMedia({ colorScheme: "light" });
    await page.click(".zoom-button");
    await page.waitForFunction(() => { const i = document.querySelector(".viewer-image"); return i.naturalWidth === 1600; });
    assert.match((await shown()).src, /\/content$/, "actual size is the original");
    await page.keyboard.press("ArrowRight");
    await page.waitForSelector(".viewer[aria-label='Preview of forest.jpg']");
    assert.equal(await page.getAttribute(".zoom-button", "aria-pressed"), "false", "a new file opens fitted");
    await page.keyboard.press("ArrowLeft");
    await page.waitForSelector(".viewer[aria-label='Preview of beach.jpg']");
    await page.keyboard.press("Escape");
    await page.waitForSelector(".viewer", { state: "detached" });
  }],

  ["the viewer shows a PDF's pages, rendered on demand", async ({ page }) => {
    await photoFolder(page, "Reading");
    await thumbnailsShown(page, 3);
    await page.click("tr.entry a:has-text('guide.pdf')");
    await page.waitForSelector(".viewer[aria-label='Preview of guide.pdf']");
    assert.equal(await page.locator(".viewer-page").count(), 3);
    await page.waitForFunction(() => {
      const first = document.querySelector(".viewer-page");
      return first && first.complete && first.naturalWidth > 0;
    }, null, { timeout: 20_000 });
    const first = await page.$eval(".viewer-page", (i) => ({ h: i.naturalHeight, alt: i.alt }));
    assert.equal(first.h, 1024);
    assert.equal(first.alt, "Page 1 of 3");
    await page.screenshot({ path: `${ARTIFACTS}/viewer-pdf-light.png` });
    await page.click(".viewer-close");
    await page.waitForSelector(".viewer", { state: "detached" });

    // Audio plays in the browser's own player, over Range requests.
    await page.click("tr.entry a:has-text('tone.wav')");
    await page.waitForSelector(".viewer audio[controls]");
    await page.waitForFunction(() => { const a = document.querySelector(".viewer audio"); return a && a.readyState >= 1; });
    const seconds = await page.$eval(".viewer audio", (a) => a.duration);
    assert.ok(Math.abs(seconds - 1) < 0.05, `the tone lasts a second (${seconds})`);
  }],

  ["the viewer pages through a Word document and a slide deck, and plays a video from its poster", async ({ page }) => {
    const files = convertedFixtures();
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    const id = await page.evaluate(async (files) => {
      const me = await (await fetch("/api/v1/me")).json();
      const folder = (await (await fetch("/api/v1/folders", { method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ parent_id: me.root_id, name: "Converted" }) })).json()).id;
      const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      for (const [name, b64] of [["report.docx", files.docx], ["deck.pptx", files.pptx], ["clip.webm", files.webm]]) {
        const body = bytes(b64);
        await fetch("/api/v1/uploads", { method: "POST", body,
          headers: { "tus-resumable": "1.0.0", "upload-length": String(body.length),
            "upload-metadata": `filename ${btoa(name)},parent_id ${btoa(folder)}`,
            "content-type": "application/offset+octet-stream" } });
      }
      return folder;
    }, files);
    await page.goto(`/folders/${id}`);
    await hydrated(page);
    await page.waitForSelector("tr.entry");
    await thumbnailsShown(page, 3);
    const pagesOf = async (name, count) => {
      await page.click(`tr.entry a:has-text('${name}')`);
      await page.waitForSelector(`.viewer[aria-label='Preview of ${name}']`);
      assert.equal(await page.locator(".viewer-page").count(), count, name);
      await page.waitForFunction(() => [...document.querySelectorAll(".viewer-page")].every((i) => {
        i.scrollIntoView(); return i.complete && i.naturalWidth > 0;
      }), null, { timeout: 20_000 });
      const alts = await page.$$eval(".viewer-page", (all) => all.map((i) => i.alt));
      assert.deepEqual(alts, Array.from({ length: count }, (_, n) => `Page ${n + 1} of ${count}`));
    };
    await pagesOf("report.docx", 2);
    await page.screenshot({ path: `${ARTIFACTS}/viewer-docx.png` });
    await page.click(".viewer-close");
    await pagesOf("deck.pptx", 3);
    const slide = await page.$eval(".viewer-page", (i) => ({ w: i.naturalWidth, h: i.naturalHeight }));
    assert.ok(slide.w === 1024 && slide.h < slide.w, `a slide is landscape: ${JSON.stringify(slide)}`);
    await page.click(".viewer-close");
    await page.waitForSelector(".viewer", { state: "detached" });

    // The video shows its poster, then plays.
    await page.click("tr.entry a:has-text('clip.webm')");
    const poster = await page.getAttribute(".viewer video", "poster");
    assert.match(poster, /\/thumbnail\?size=1024&v=[0-9a-f]{16}$/);
    const shown = await page.evaluate(async (src) => {
      const img = new Image(); img.src = src; await img.decode(); return [img.naturalWidth, img.naturalHeight];
    }, poster);
    assert.deepEqual(shown, [320, 240]);
    await page.screenshot({ path: `${ARTIFACTS}/viewer-video-poster.png` });
    await page.$eval(".viewer video", (v) => { v.muted = true; return v.play(); });
    await page.waitForFunction(() => document.querySelector(".viewer video").currentTime > 0.5, null, { timeout: 15_000 });
    const length = await page.$eval(".viewer video", (v) => v.duration);
    assert.ok(Math.abs(length - 3) < 0.2, `the clip lasts 3 s (${length})`);
  }],

  ["the admin page shows the figures and the jobs the previews made", async ({ page }) => {
    await signIn(page, USER.email, USER.password);
    await page.waitForURL((u) => u.pathname === "/");
    await page.click(".sidebar a:has-text('Admin')");
    await page.waitForURL((u) => u.pathname === "/admin");
    await page.waitForSelector("#stat-users .stat-value");
    const people = Number(await page.textContent("#stat-users .stat-value"));
    assert.ok(people >= 1, `people: ${people}`);
    const files = Number(await page.textContent("#stat-files .stat-value"));
    assert.ok(files >= 8, `files: ${files} (the preview tests made 8)`);
    const done = Number(await page.textContent(".job-done dd"));
    assert.ok(done >= 3, `thumbnail jobs done: ${done}`);
    assert.match(await page.textContent("#stat-stored .stat-note"), /% saved/);
    for (const scheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${ARTIFACTS}/admin-${scheme}.png` });
    }
  }],
];
