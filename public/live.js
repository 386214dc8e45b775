// Live updates for this tab. Every tab of the browser shares one server-sent-events stream
// through a SharedWorker (/live-worker.js), so that many open tabs do not use up the
// browser's connections to the server; where there are no shared workers (some phones), the
// tab opens its own stream. The page (WASM) subscribes with a callback that gets the changed
// items and folders as comma-separated ids, whether the trash changed, and whether to reload
// everything (after the connection dropped and came back).
(function () {
  const listeners = new Map();
  let next = 1;
  let user = null;
  let close = null;

  function emit(change) {
    const nodes = (change.nodes || []).join(",");
    const folders = (change.folders || []).join(",");
    for (const callback of listeners.values()) {
      try { callback(nodes, folders, !!change.trash, !!change.resync); } catch (e) { console.error(e); }
    }
  }

  function own() {
    let broken = false;
    const source = new EventSource("/api/v1/events");
    source.addEventListener("change", (e) => emit(JSON.parse(e.data)));
    source.addEventListener("ready", () => { if (broken) { broken = false; emit({ resync: true }); } });
    source.onerror = () => { broken = true; };
    return () => source.close();
  }

  function shared(who) {
    const worker = new SharedWorker("/live-worker.js", { name: "gosync-live" });
    worker.port.onmessage = (m) => { if (m.data && m.data.type === "change") emit(m.data.change); };
    worker.port.start();
    worker.port.postMessage({ type: "hello", user: who });
    const bye = () => worker.port.postMessage({ type: "bye" });
    addEventListener("pagehide", bye);
    return () => { removeEventListener("pagehide", bye); bye(); };
  }

  function connect(who) {
    if (user === who && close) return;
    if (close) close();
    user = who;
    try {
      close = typeof SharedWorker === "function" ? shared(who) : own();
    } catch (e) {
      close = own();
    }
  }

  window.gosyncLive = {
    subscribe(who, callback) {
      connect(who);
      const token = next++;
      listeners.set(token, callback);
      return token;
    },
    unsubscribe(token) { listeners.delete(token); },
  };
})();
