// One server-sent-events stream for every tab of this browser (see /live.js). The stream is
// opened for the signed-in person the tabs name; when a tab names someone else (signed out
// and in again), the stream is opened afresh, so that nobody hears of another's changes.
const ports = new Set();
let source = null;
let user = null;
let broken = false;

function send(change) {
  for (const port of ports) port.postMessage({ type: "change", change });
}

function open() {
  if (source) source.close();
  broken = false;
  source = new EventSource("/api/v1/events");
  source.addEventListener("change", (e) => send(JSON.parse(e.data)));
  source.addEventListener("ready", () => { if (broken) { broken = false; send({ resync: true }); } });
  source.onerror = () => { broken = true; };
}

onconnect = (event) => {
  const port = event.ports[0];
  port.onmessage = (m) => {
    const message = m.data || {};
    if (message.type === "hello") {
      ports.add(port);
      if (!source || message.user !== user) {
        user = message.user;
        open();
      }
    } else if (message.type === "bye") {
      ports.delete(port);
      if (ports.size === 0 && source) { source.close(); source = null; }
    }
  };
  port.start();
};
