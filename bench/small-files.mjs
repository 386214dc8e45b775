// Benchmark: many small files uploaded with a fixed number in flight, to GoSync (tus
// creation-with-upload: one POST per file) or to dufs (one PUT per file). The same bytes for
// both: files are generated from a fixed seed. Prints files per second.
// Requests go through node:http with kept-alive connections, one per request in flight:
// `fetch` costs the client about 2 ms of CPU a request, which on 2 cores shared with the
// servers measured the client more than the server.
// Usage: node bench/small-files.mjs gosync|dufs BASE_URL [files=5000] [bytes=4096] [parallel=16]
import { createHash } from "node:crypto";
import http from "node:http";

const [kind, base, n = "5000", bytes = "4096", parallel = "16"] = process.argv.slice(2);
const count = Number(n), size = Number(bytes), inFlight = Number(parallel);

// Deterministic content: SHA-256 in counter mode from a fixed seed, distinct per file.
const files = Array.from({ length: count }, (_, i) => {
  const out = Buffer.alloc(size);
  for (let at = 0, block = 0; at < size; at += 32, block++) {
    createHash("sha256").update(`gosync-bench-${i}-${block}`).digest().copy(out, at);
  }
  return out;
});

const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
// One request: resolves with the status and headers once the response has been read.
const request = (method, url, headers, body) => new Promise((resolve, reject) => {
  const req = http.request(url, { method, headers: { ...headers, "content-length": body.length }, agent }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
  });
  req.on("error", reject);
  req.end(body);
});

let send;
if (kind === "gosync") {
  const json = { "content-type": "application/json" };
  const post = async (path, body, headers = {}) => {
    const res = await fetch(base + path, { method: "POST", headers: { ...json, ...headers }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return res.json();
  };
  const email = `bench-${Date.now()}@example.com`;
  await post("/api/v1/auth/signup", { email, password: "benchmark password", name: "Bench" });
  const { access_token } = await post("/api/v1/auth/login", { email, password: "benchmark password" });
  const auth = { authorization: `Bearer ${access_token}` };
  const me = await (await fetch(`${base}/api/v1/me`, { headers: auth })).json();
  const folder = await post("/api/v1/folders", { parent_id: me.root_id, name: "bench" }, auth);
  const b64 = (s) => Buffer.from(s).toString("base64");
  send = async (i) => {
    const res = await request("POST", `${base}/api/v1/uploads`, {
      ...auth, "tus-resumable": "1.0.0", "upload-length": String(size),
      "upload-metadata": `filename ${b64(`file-${i}.bin`)},parent_id ${b64(folder.id)}`,
      "content-type": "application/offset+octet-stream",
    }, files[i]);
    if (res.status !== 201 || !res.headers["gosync-node-id"]) throw new Error(`file ${i}: ${res.status} ${res.body}`);
  };
} else if (kind === "dufs") {
  send = async (i) => {
    const res = await request("PUT", `${base}/bench/file-${i}.bin`, {}, files[i]);
    if (res.status !== 201 && res.status !== 200 && res.status !== 204) throw new Error(`file ${i}: ${res.status}`);
  };
} else {
  throw new Error("first argument: gosync or dufs");
}


let next = 0;
const started = process.hrtime.bigint();
await Promise.all(Array.from({ length: inFlight }, async () => {
  while (next < count) await send(next++);
}));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(`${kind}: ${count} files of ${size} B, ${inFlight} at a time, in ${seconds.toFixed(2)} s = ${(count / seconds).toFixed(0)} files/s`);
agent.destroy();
