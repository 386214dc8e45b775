// Live updates: how soon a change made through one node reaches a listener on another.
// Bob listens on node A (GET /api/v1/events); Ann uploads into a folder shared with him
// through node B, one file at a time; each latency is from the upload's 201 (the file is
// committed) to the event that names it arriving at Bob.
// Usage: node bench/live.mjs http://NODE_A http://NODE_B [changes=40]
const [a, b, count = "40"] = process.argv.slice(2);
const n = Number(count);

async function call(base, path, { token, body, method } = {}) {
  const r = await fetch(base + path, {
    method: method || (body ? "POST" : "GET"),
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
}

async function account(email) {
  const who = { email, password: "correct horse battery", name: email.split("@")[0] };
  await fetch(`${a}/api/v1/auth/signup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(who) });
  const { access_token } = await call(a, "/api/v1/auth/login", { body: who });
  const me = await call(a, "/api/v1/me", { token: access_token });
  return { token: access_token, root: me.root_id };
}

const ann = await account("ann@example.com");
const bob = await account("bob@example.com");
const folder = await call(b, "/api/v1/folders", { token: ann.token, body: { parent_id: ann.root, name: `Live ${Date.now()}` } });
await call(b, `/api/v1/nodes/${folder.id}/shares`, { token: ann.token, body: { email: "bob@example.com", role: "viewer" } });

// Bob's stream: every event's node ids, with when they arrived.
const arrived = new Map();
const waiting = new Map();
const stream = await fetch(`${a}/api/v1/events`, { headers: { authorization: `Bearer ${bob.token}` } });
const reader = stream.body.getReader();
let ready;
const isReady = new Promise((ok) => { ready = ok; });
(async () => {
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.includes("event: ready")) ready();
      const data = /^data: (.*)$/m.exec(block);
      if (!block.includes("event: change") || !data) continue;
      const now = performance.now();
      for (const id of JSON.parse(data[1]).nodes) {
        if (!arrived.has(id)) arrived.set(id, now);
        waiting.get(id)?.();
      }
    }
  }
})();
await isReady;

const latencies = [];
for (let i = 0; i < n; i++) {
  const body = `change ${i}`;
  const r = await fetch(`${b}/api/v1/uploads`, {
    method: "POST", body,
    headers: { authorization: `Bearer ${ann.token}`, "tus-resumable": "1.0.0", "upload-length": String(body.length),
      "upload-metadata": `filename ${btoa(`file-${i}.txt`)},parent_id ${btoa(folder.id)}`,
      "content-type": "application/offset+octet-stream" },
  });
  const committed = performance.now();
  const id = r.headers.get("gosync-node-id");
  if (!arrived.has(id)) await new Promise((ok) => waiting.set(id, ok));
  latencies.push(arrived.get(id) - committed);
  // Changes spread out over time, as people make them.
  await new Promise((ok) => setTimeout(ok, 100 + Math.random() * 400));
}
latencies.sort((x, y) => x - y);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(`live updates across nodes, ${n} changes: p50 ${at(0.5).toFixed(0)} ms, p95 ${at(0.95).toFixed(0)} ms, max ${latencies.at(-1).toFixed(0)} ms (goal: 2,000 ms)`);
await reader.cancel();
