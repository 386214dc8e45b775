// The drive's uploads, as the WASM asks for them: the files (with their folders) that were
// dropped or picked, and tus uploads run by tus-js-client (the reference client, /tus.min.js).
// Progress is reported as bytes the server has acknowledged, never as bytes merely sent.
"use strict";

(function () {
  /** Every file below a dropped entry, with its path relative to the drop; a folder with
   *  nothing in it comes as {dir: true, path}, so that it is made too. */
  function walk(entry, prefix, out) {
    return new Promise((resolve) => {
      if (entry.isFile) {
        entry.file((file) => { out.push({ file, path: prefix + file.name }); resolve(); }, () => resolve());
      } else if (entry.isDirectory) {
        const reader = entry.createReader();
        const children = [];
        const more = () => reader.readEntries(async (batch) => {
          if (batch.length === 0) {
            if (children.length === 0) out.push({ dir: true, path: prefix + entry.name });
            for (const child of children) await walk(child, prefix + entry.name + "/", out);
            resolve();
          } else {
            children.push(...batch);
            more();
          }
        }, () => resolve());
        more();
      } else {
        resolve();
      }
    });
  }

  /**
   * The files of a drop (folders walked) or of a file input, as [{file, path}] (and
   * [{dir: true, path}] for empty folders). Everything
   * the event holds is read before the first await: a drop's items vanish once it is handled.
   */
  function collect(source) {
    const items = source.items ? Array.from(source.items) : [];
    const entries = items.map((item) => item.webkitGetAsEntry && item.webkitGetAsEntry()).filter(Boolean);
    const files = Array.from(source.files || []).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
    if (entries.length === 0) return Promise.resolve(files);
    return (async () => {
      const out = [];
      for (const entry of entries) await walk(entry, "", out);
      return out;
    })();
  }

  /**
   * Starts (or resumes, when an earlier page load left this same file unfinished) a tus
   * upload into `parentId`, as `path` ("a.txt", or "Photos/2026/a.jpg" in a folder upload;
   * the last part is the name it gets). `events` has onProgress(accepted, total),
   * onSuccess(nodeId), onError(message), onResume() and onRetry() (the connection was lost
   * and it tries again by itself). `endpoint`: the tus URL (a public link's, or the drive's by
   * default). Returns {pause, resume, cancel}.
   */
  // tus-js-client starts an upload over from nothing when asking where it stands (HEAD) gets
  // any answer but 2xx, a balancer's 502 or a busy server's 503 included. Those are made
  // failures to retry instead, so a node restarting behind the balancer costs a retry, not
  // the bytes already sent (and leaves no abandoned upload behind).
  const base = new tus.DefaultHttpStack();
  const httpStack = {
    getName: () => "gosync",
    createRequest(method, url) {
      const request = base.createRequest(method, url);
      const send = request.send.bind(request);
      request.send = (body) => send(body).then((response) => {
        if (method === "HEAD" && response.getStatus() >= 500) {
          throw new Error(`the server answered ${response.getStatus()}; retrying`);
        }
        return response;
      });
      return request;
    },
  };

  const CHUNK = 4 * 1024 * 1024;
  /** Up to this size a file goes in one request of its own (the server stores it whole). */
  const SMALL = 1024 * 1024;
  const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000];
  const STOPPED = "The upload stopped. Check your connection and try again.";

  /** Whether an answer is a refusal that trying again does not change (507: quota full). */
  function refused(status) {
    return (status >= 400 && status < 500 && status !== 409 && status !== 423) || status === 507;
  }

  function base64(text) {
    let binary = "";
    for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
    return btoa(binary);
  }

  /**
   * A small file in one tus creation request that carries all its bytes, without
   * tus-js-client's machinery (slicing, fingerprints): most of a drop of many small files.
   * Retried as tus-js-client would; its progress is all or nothing, as the server
   * acknowledges it all at once.
   */
  function sendWhole(file, metadata, events, endpoint) {
    const encoded = Object.entries(metadata).map(([k, v]) => `${k} ${base64(v)}`).join(",");
    let request = null, stopped = false, attempt = 0;
    /** `answer`: {status, body} from the server, or null when the connection failed. */
    const failed = (answer) => {
      if (stopped) return;
      if (!(answer && refused(answer.status)) && attempt < RETRY_DELAYS.length) {
        events.onRetry();
        setTimeout(go, RETRY_DELAYS[attempt++]);
        return;
      }
      let message = STOPPED;
      if (answer) {
        try { message = JSON.parse(answer.body).error.message; } catch (_) { /* keep the general message */ }
      } else {
        window.addEventListener("online", () => { if (!stopped) { attempt = 0; events.onRetry(); go(); } }, { once: true });
      }
      events.onError(message);
    };
    // XMLHttpRequest: in Chromium it costs the page less per request than fetch.
    const go = () => {
      if (stopped) return;
      request = new XMLHttpRequest();
      request.open("POST", endpoint);
      request.setRequestHeader("Tus-Resumable", "1.0.0");
      request.setRequestHeader("Upload-Length", String(file.size));
      request.setRequestHeader("Upload-Metadata", encoded);
      request.setRequestHeader("Content-Type", "application/offset+octet-stream");
      request.onload = () => {
        if (request.status < 200 || request.status >= 300) {
          failed({ status: request.status, body: request.responseText });
          return;
        }
        events.onProgress(file.size, file.size);
        events.onSuccess(request.getResponseHeader("GoSync-Node-Id") || "");
      };
      request.onerror = () => failed(null);
      request.send(file);
    };
    go();
    const stop = () => { stopped = true; if (request) request.abort(); };
    return { pause: stop, resume: () => { stopped = false; attempt = 0; go(); }, cancel: stop };
  }

  /** Up to this size a file of the drive travels with others in one batch request. */
  const BATCHED = 256 * 1024;
  const BATCH_FILES = 32;
  const BATCH_BYTES = 2 * 1024 * 1024;
  /** The files waiting for the batch that leaves once the current task is done. */
  let pending = null;

  /**
   * A small file of the drive, sent with the others picked at the same moment in one
   * multipart request (POST /api/v1/uploads/batch): a thousand notes cost the browser tens
   * of requests, not a thousand. Each file still gets its own outcome; a file the batch
   * could not make for a passing reason, or a batch the server does not take, goes on alone.
   */
  function batched(file, size, metadata, events) {
    const job = { file, size, metadata, events, stopped: false, alone: null };
    if (!pending) {
      pending = [];
      setTimeout(flush, 0);
    }
    pending.push(job);
    pending.bytes = (pending.bytes || 0) + size;
    if (pending.length >= BATCH_FILES || pending.bytes >= BATCH_BYTES) flush();
    const alone = () => { job.alone = sendWhole(file, metadata, events, "/api/v1/uploads"); };
    job.goAlone = alone;
    return {
      pause: () => { job.stopped = true; if (job.alone) job.alone.pause(); },
      resume: () => { if (job.alone) job.alone.resume(); else { job.stopped = false; alone(); } },
      cancel: () => { job.stopped = true; if (job.alone) job.alone.cancel(); },
    };
  }

  function flush() {
    const jobs = pending;
    pending = null;
    if (jobs) sendBatch(jobs, 0);
  }

  function sendBatch(all, attempt) {
    const jobs = all.filter((job) => !job.stopped && !job.alone);
    if (jobs.length === 0) return;
    const form = new FormData();
    form.append("manifest", JSON.stringify(jobs.map((job) => Object.assign({ length: job.size }, job.metadata))));
    for (const job of jobs) form.append("file", job.file, "file");
    const request = new XMLHttpRequest();
    request.open("POST", "/api/v1/uploads/batch");
    const again = () => {
      if (attempt < RETRY_DELAYS.length) {
        for (const job of jobs) if (!job.stopped) job.events.onRetry();
        setTimeout(() => sendBatch(jobs, attempt + 1), RETRY_DELAYS[attempt]);
      } else {
        // Each file tries once more on its own, and reports what stops it.
        for (const job of jobs) if (!job.stopped) job.goAlone();
      }
    };
    request.onload = () => {
      if (request.status !== 200) {
        if (refused(request.status)) { for (const job of jobs) if (!job.stopped) job.goAlone(); } else again();
        return;
      }
      let outcomes = [];
      try { outcomes = JSON.parse(request.responseText).files || []; } catch (_) { /* each goes alone below */ }
      jobs.forEach((job, n) => {
        if (job.stopped) return;
        const outcome = outcomes[n];
        if (outcome && outcome.id) {
          job.events.onProgress(job.size, job.size);
          job.events.onSuccess(outcome.id);
        } else if (outcome && outcome.error && refusedCode(outcome.error.code)) {
          job.events.onError(outcome.error.message);
        } else {
          job.goAlone();
        }
      });
    };
    request.onerror = again;
    request.send(form);
  }

  /** Whether a file's own error in a batch is a refusal that sending it again does not change. */
  function refusedCode(code) {
    return code !== "unavailable" && code !== "internal" && code !== "conflict" && code !== "locked";
  }

  function upload(file, path, parentId, events, endpoint) {
    const parts = (path || file.name).split("/");
    const metadata = { filename: parts[parts.length - 1], parent_id: parentId, mtime: String(file.lastModified || Date.now()) };
    if (parts.length > 1) metadata.relative_path = path;
    const drive = !endpoint || endpoint === "/api/v1/uploads";
    // Asked once: for a file on disk, each asking costs the browser a look at the disk.
    const size = file.size;
    if (drive && size <= BATCHED) return batched(file, size, metadata, events);
    if (size <= SMALL) return sendWhole(file, metadata, events, endpoint || "/api/v1/uploads");
    let cancelled = false;
    // A file sent in one request has nothing to resume: no fingerprint to store or look up.
    const whole = file.size <= CHUNK;
    const task = new tus.Upload(file, {
      endpoint: endpoint || "/api/v1/uploads",
      chunkSize: CHUNK,
      // The first chunk rides on the creation request: a small file is one request.
      uploadDataDuringCreation: true,
      retryDelays: RETRY_DELAYS,
      httpStack,
      metadata,
      storeFingerprintForResuming: !whole,
      removeFingerprintOnSuccess: true,
      // The fingerprint also names the folder, so the same file into two folders is two uploads.
      fingerprint: (f) => Promise.resolve(["gosync", endpoint, parentId, path, f.name, f.type, f.size, f.lastModified].join("/")),
      onChunkComplete: (_chunk, accepted, total) => events.onProgress(accepted, total),
      // As tus-js-client decides by default (no retry on a refusal), also while the browser
      // says it is offline (the later delays outlast a short drop), and the panel is told.
      onShouldRetry: (error) => {
        const status = error && error.originalResponse ? error.originalResponse.getStatus() : 0;
        const retry = !refused(status);
        if (retry) events.onRetry();
        return retry;
      },
      onSuccess: (payload) => {
        const response = payload && payload.lastResponse;
        events.onSuccess((response && response.getHeader("GoSync-Node-Id")) || "");
      },
      onError: (error) => {
        const response = error && error.originalResponse;
        let message = STOPPED;
        if (response) {
          try { message = JSON.parse(response.getBody()).error.message; } catch (_) { /* keep the general message */ }
        } else {
          // The connection is gone: once the browser is back online, carry on by itself.
          window.addEventListener("online", () => { if (!cancelled) { events.onRetry(); task.start(); } }, { once: true });
        }
        events.onError(message);
      },
    });
    const previous = whole ? Promise.resolve([]) : task.findPreviousUploads();
    previous.then((previous) => {
      if (previous.length > 0) {
        task.resumeFromPreviousUpload(previous[0]);
        events.onResume();
      }
      task.start();
    });
    return {
      pause: () => { task.abort(false); },
      resume: () => { task.start(); },
      cancel: () => { cancelled = true; task.abort(true); },
    };
  }

  window.gosyncUploads = { collect, upload };
})();
