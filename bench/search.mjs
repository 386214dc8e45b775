// Benchmark of search against a running GoSync: uploads N generated documents (a name of two
// words and a few KB of text from a 2,000-word vocabulary, a fixed seed), waits until their text
// is extracted and indexed, then measures how soon a new or renamed file is found, and the
// latency of 1,000 mixed queries with filters. Prints the figures.
// Usage: node bench/search.mjs BASE_URL [documents=100000] [parallel=16]
const [base, n = "100000", parallel = "16"] = process.argv.slice(2);
const count = Number(n), inFlight = Number(parallel);

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (list) => list[Math.floor(random() * list.length)];
const syllables = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "da", "zu", "fe", "go", "hi", "ja", "bo"];
const vocabulary = Array.from({ length: 2000 }, (_, i) =>
  Array.from({ length: 2 + (i % 3) }, (_, j) => syllables[(i * 7 + j * 13 + Math.floor(i / 16)) % 16]).join("") + (i % 97));
const text = (words) => Array.from({ length: words }, () => pick(vocabulary)).join(" ");

const json = { "content-type": "application/json" };
const post = async (path, body, headers = {}) => {
  const res = await fetch(base + path, { method: "POST", headers: { ...json, ...headers }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
};
// BENCH_EMAIL: an account made by an earlier run (its documents are there already; pass 0).
const email = process.env.BENCH_EMAIL || `bench-${Date.now()}@example.com`;
if (!process.env.BENCH_EMAIL) {
  await post("/api/v1/auth/signup", { email, password: "benchmark password", name: "Bench" });
}
let auth;
const login = async () => {
  const { access_token } = await post("/api/v1/auth/login", { email, password: "benchmark password" });
  auth = { authorization: `Bearer ${access_token}` };
};
await login();
const timer = setInterval(login, 10 * 60 * 1000);
const get = async (path) => {
  const res = await fetch(base + path, { headers: auth });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
};
const me = await get("/api/v1/me");
const folders = [];
for (let i = 0; i < 20; i++) folders.push((await post("/api/v1/folders", { parent_id: me.root_id, name: `${pick(vocabulary)} ${i} ${Date.now()}` }, auth)).id);
const b64 = (s) => Buffer.from(s).toString("base64");
const upload = async (name, body, parent) => {
  const bytes = Buffer.from(body);
  const res = await fetch(`${base}/api/v1/uploads`, {
    method: "POST",
    headers: { ...auth, "tus-resumable": "1.0.0", "upload-length": String(bytes.length),
      "upload-metadata": `filename ${b64(name)},parent_id ${b64(parent)}`,
      "content-type": "application/offset+octet-stream" },
    body: bytes,
  });
  if (res.status !== 201) throw new Error(`${name}: ${res.status} ${await res.text()}`);
  return res.headers.get("gosync-node-id");
};

let next = 0;
const started = performance.now();
await Promise.all(Array.from({ length: inFlight }, async () => {
  while (next < count) {
    const i = next++;
    await upload(`${pick(vocabulary)} ${pick(vocabulary)} ${i}.txt`, text(300 + (i % 400)), folders[i % folders.length]);
  }
}));
const uploadSecs = (performance.now() - started) / 1000;
console.log(`uploaded ${count} documents in ${uploadSecs.toFixed(1)} s (${(count / uploadSecs).toFixed(0)}/s)`);

// Text extraction and indexing catch up.
const caughtUp = performance.now();
for (;;) {
  const s = await get("/api/v1/admin/stats");
  const jobs = count === 0 ? 0 : (s.jobs.queued || 0) + (s.jobs.running || 0);
  if (jobs === 0 && s.index_lag === 0) break;
  await new Promise((r) => setTimeout(r, 500));
}
console.log(`text extracted and indexed ${((performance.now() - caughtUp) / 1000).toFixed(1)} s after the last upload`);

// How soon a new file, then a renamed one, is found.
const found = async (q, id) => {
  for (;;) {
    const page = await get(`/api/v1/search?q=${encodeURIComponent(q)}&limit=5`);
    if (page.hits.some((h) => h.id === id)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
};
const seconds = (list) => { const s = [...list].sort((a, b) => a - b); return `median ${s[Math.floor(s.length / 2)].toFixed(3)} s, max ${s[s.length - 1].toFixed(3)} s`; };
const fresh = [], renamed = [];
for (let i = 0; i < 20; i++) {
  const word = `zqfresh${i}x`;
  const id = await upload(`${word}.txt`, "new", folders[0]);
  let t = performance.now();
  await found(word, id);
  fresh.push((performance.now() - t) / 1000);
  const res = await fetch(`${base}/api/v1/nodes/${id}`, { method: "PATCH", headers: { ...json, ...auth }, body: JSON.stringify({ name: `zqrenamed${i}y.txt` }) });
  if (!res.ok) throw new Error(`rename: ${res.status}`);
  t = performance.now();
  await found(`zqrenamed${i}y`, id);
  renamed.push((performance.now() - t) / 1000);
}
console.log(`new file found: ${seconds(fresh)}; renamed file found: ${seconds(renamed)} (20 each)`);

// 1,000 mixed queries: one or two words, a phrase, a typo, a prefix, with and without filters.
const filters = ["", "&kind=document", "&min_size=2KB", "&modified_after=2000-01-01", "&owner=me", "&kind=document&max_size=3KB"];
const latencies = [];
for (let i = 0; i < 1000; i++) {
  const a = pick(vocabulary), b = pick(vocabulary);
  const q = [a, `${a} ${b}`, `"${a} ${b}"`, a.slice(0, -1) + "q", a.slice(0, 4)][i % 5];
  const t = performance.now();
  await get(`/api/v1/search?q=${encodeURIComponent(q)}${filters[i % filters.length]}`);
  latencies.push(performance.now() - t);
}
latencies.sort((x, y) => x - y);
const at = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
console.log(`1000 queries over HTTP: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
clearInterval(timer);
