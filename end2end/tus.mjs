// Interoperability with the reference tus client (tus-js-client in Node), including a
// resume after the connection is cut mid-upload.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import * as tus from "tus-js-client";

async function json(res) {
  const body = await res.json();
  if (!res.ok) throw new Error(`${res.status}: ${JSON.stringify(body)}`);
  return body;
}

async function apiUser(base) {
  const email = `tus-${Date.now()}@example.com`;
  const password = "a tus client password";
  const headers = { "content-type": "application/json" };
  await json(await fetch(`${base}/api/v1/auth/signup`, { method: "POST", headers, body: JSON.stringify({ email, password, name: "Tus Client" }) }));
  const tokens = await json(await fetch(`${base}/api/v1/auth/login`, { method: "POST", headers, body: JSON.stringify({ email, password }) }));
  const auth = { authorization: `Bearer ${tokens.access_token}` };
  const me = await json(await fetch(`${base}/api/v1/me`, { headers: auth }));
  return { auth, root: me.root_id };
}

function start(base, user, data, options) {
  return new tus.Upload(data, {
    endpoint: `${base}/api/v1/uploads`,
    headers: user.auth,
    chunkSize: 256 * 1024,
    metadata: { filename: "from-tus-js-client.bin", parent_id: user.root },
    retryDelays: [],
    ...options,
  });
}

export const apiTests = [
  ["tus-js-client uploads, is cut off mid-upload, resumes, and the bytes match", async ({ base }) => {
    const user = await apiUser(base);
    const data = randomBytes(3 * 1024 * 1024 + 123);
    let url = null;
    // First attempt: abort (the connection is torn down) once some chunks are in.
    await new Promise((resolve, reject) => {
      const upload = start(base, user, data, {
        onProgress: (sent) => {
          if (sent > 1024 * 1024 && upload.url) {
            url = upload.url;
            upload.abort(false).then(resolve, reject);
          }
        },
        onError: reject,
        onSuccess: () => reject(new Error("should have been cut off")),
      });
      upload.start();
    });
    assert.ok(url, "an upload URL was created");
    const head = await fetch(url, { method: "HEAD", headers: { ...user.auth, "tus-resumable": "1.0.0" } });
    const offset = Number(head.headers.get("upload-offset"));
    assert.ok(offset > 0 && offset < data.length, `the server kept ${offset} bytes`);

    // Second attempt: resume at the server's offset.
    let resumedFrom = null;
    await new Promise((resolve, reject) => {
      const upload = start(base, user, data, {
        uploadUrl: url,
        onProgress: (sent) => { if (resumedFrom === null) resumedFrom = sent; },
        onError: reject,
        onSuccess: resolve,
      });
      upload.start();
    });
    assert.ok(resumedFrom >= offset, `resumed at ${resumedFrom}, not from the start`);

    const page = await json(await fetch(`${base}/api/v1/nodes/${user.root}/children`, { headers: user.auth }));
    const file = page.items.find((n) => n.name === "from-tus-js-client.bin");
    assert.ok(file, "the file is in the folder");
    assert.equal(file.size, data.length);
    const body = Buffer.from(await (await fetch(`${base}/api/v1/nodes/${file.id}/content`, { headers: user.auth })).arrayBuffer());
    assert.equal(createHash("sha256").update(body).digest("hex"), createHash("sha256").update(data).digest("hex"));
  }],
  ["tus-js-client sends parallel parts of a folder upload; the server joins them in order", async ({ base }) => {
    const user = await apiUser(base);
    const data = randomBytes(2 * 1024 * 1024 + 77);
    await new Promise((resolve, reject) => {
      const upload = start(base, user, data, {
        parallelUploads: 3,
        metadata: { filename: "joined.bin", parent_id: user.root, relative_path: "Album/2026/joined.bin" },
        onError: reject,
        onSuccess: resolve,
      });
      upload.start();
    });
    const list = async (id) => (await json(await fetch(`${base}/api/v1/nodes/${id}/children`, { headers: user.auth }))).items;
    const album = (await list(user.root)).find((n) => n.name === "Album");
    assert.ok(album, "the folder of the relative path was made");
    const year = (await list(album.id)).find((n) => n.name === "2026");
    const file = (await list(year.id)).find((n) => n.name === "joined.bin");
    assert.equal(file.size, data.length);
    assert.equal(file.etag, `"${createHash("sha256").update(data).digest("hex")}"`);
  }],
];
