// Benchmark: one large upload over tus (8 MiB PATCHes) against a running GoSync, then the
// time for the completed file to be listed, and the server's peak RSS.
// Usage: node bench/upload.mjs http://127.0.0.1:PORT SERVER_PID [MiB=1024]
// (scripts/bench-upload.sh starts a release server on a fresh data dir and calls this.)
import { readFileSync } from "node:fs";
import { randomFillSync } from "node:crypto";

const [base, pid, mib = "1024"] = process.argv.slice(2);
const total = Number(mib) * 1024 * 1024;
const chunk = 8 * 1024 * 1024;
const headers = { "content-type": "application/json" };
const post = async (path, body) => (await fetch(base + path, { method: "POST", headers, body: JSON.stringify(body) })).json();
const email = `bench-${Date.now()}@example.com`;
await post("/api/v1/auth/signup", { email, password: "benchmark password", name: "Bench" });
const { access_token } = await post("/api/v1/auth/login", { email, password: "benchmark password" });
const auth = { authorization: `Bearer ${access_token}`, "tus-resumable": "1.0.0" };
const me = await (await fetch(`${base}/api/v1/me`, { headers: auth })).json();

const b64 = (s) => Buffer.from(s).toString("base64");
const created = await fetch(`${base}/api/v1/uploads`, {
  method: "POST",
  headers: { ...auth, "upload-length": String(total), "upload-metadata": `filename ${b64("big.bin")},parent_id ${b64(me.root_id)}` },
});
const url = base + created.headers.get("location");
const data = Buffer.alloc(chunk);
randomFillSync(data);

const started = process.hrtime.bigint();
let offset = 0, lastMs = 0, chunkMs = [];
while (offset < total) {
  const size = Math.min(chunk, total - offset);
  const t0 = process.hrtime.bigint();
  const res = await fetch(url, {
    method: "PATCH",
    headers: { ...auth, "upload-offset": String(offset), "content-type": "application/offset+octet-stream" },
    body: data.subarray(0, size),
  });
  if (res.status !== 204) throw new Error(`PATCH at ${offset}: ${res.status} ${await res.text()}`);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  offset += size;
  if (offset < total) chunkMs.push(ms); else lastMs = ms;
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const t1 = process.hrtime.bigint();
const page = await (await fetch(`${base}/api/v1/nodes/${me.root_id}/children`, { headers: auth })).json();
const listMs = Number(process.hrtime.bigint() - t1) / 1e6;
if (!page.items.some((n) => n.name === "big.bin" && n.size === total)) throw new Error("not listed");
const median = chunkMs.sort((a, b) => a - b)[Math.floor(chunkMs.length / 2)];
const hwm = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmHWM:\s+(\d+)/)[1];
console.log(`upload ${mib} MiB in ${seconds.toFixed(2)} s = ${(total / 1048576 / seconds).toFixed(0)} MiB/s`);
console.log(`median 8 MiB PATCH ${median.toFixed(1)} ms; last PATCH (completes the file) ${lastMs.toFixed(1)} ms`);
console.log(`completion cost over a normal PATCH: ${(lastMs - median).toFixed(1)} ms; listing right after: ${listMs.toFixed(1)} ms`);
console.log(`server peak RSS ${(Number(hwm) / 1024).toFixed(0)} MiB`);
