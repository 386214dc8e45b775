//! Uploads from the browser: the queue (one entry per file, kept across page changes), the
//! buttons and the drop zone that fill it, and the panel that shows each file's progress.
//! The bytes travel over tus with tus-js-client (public/uploads.js), small files of the drive
//! many to a request (`/api/v1/uploads/batch`); progress counts only what the server has
//! acknowledged.

use leptos::prelude::*;

use super::clash::ClashPrompt;
#[cfg(feature = "hydrate")]
use super::upload_batch::Batch;

/// Where one file's upload stands.
#[derive(Clone, Debug, PartialEq)]
pub enum UploadState {
    /// Waiting for its turn (a few files go at once; the rest wait in order).
    Queued,
    Uploading,
    /// The connection dropped; tus-js-client tries again by itself.
    Retrying,
    Paused,
    Done,
    Failed(String),
    Cancelled,
}

/// What the panel's buttons ask of an upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Pause,
    Resume,
    Cancel,
}

impl Control {
    /// The method of the handle `gosyncUploads.upload` returns.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn method(self) -> &'static str {
        match self {
            Control::Pause => "pause",
            Control::Resume => "resume",
            Control::Cancel => "cancel",
        }
    }
}

/// One file in the queue.
#[derive(Clone)]
pub struct UploadItem {
    pub key: usize,
    pub name: String,
    pub total: f64,
    pub accepted: RwSignal<f64>,
    pub state: RwSignal<UploadState>,
    pub resumed: RwSignal<bool>,
    /// When it started, and the bytes accepted then (milliseconds, bytes): for speed.
    pub started: RwSignal<(f64, f64)>,
    /// Its share of the uploads in flight: [`BATCH_SHARE`] for a file that travels alone, 1
    /// for one that travels with others in a batch.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    weight: usize,
    #[cfg(feature = "hydrate")]
    handle: StoredValue<Option<wasm_bindgen::JsValue>, LocalStorage>,
    /// What a queued upload will send: the file, its path, folder and endpoint.
    #[cfg(feature = "hydrate")]
    source: StoredValue<Option<Source>, LocalStorage>,
}

#[cfg(feature = "hydrate")]
type Source = (web_sys::File, String, uuid::Uuid, String);

/// Uploads in flight at once: more than the 6 connections a browser keeps to one server, so
/// that the next request is always ready (2,000 small files: 8.6 s at 8, 7.6–8.2 s at 16).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const IN_FLIGHT: usize = 16;

/// Files of the drive up to this size travel together, many in one request (`BATCHED` in
/// public/uploads.js); so many of them take the place of one file that travels alone.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const BATCHED_BYTES: f64 = 256.0 * 1024.0;
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const BATCH_SHARE: usize = 16;
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const DRIVE_ENDPOINT: &str = "/api/v1/uploads";

/// Files queued in one turn of the page's event loop (about 50 ms of asking for sizes).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const ENQUEUE_SLICE: usize = 200;

/// Every upload of this page session, and a counter that ticks when one finishes (or when a
/// folder is made for one).
#[derive(Clone, Copy)]
pub struct UploadQueue {
    pub items: RwSignal<Vec<UploadItem>>,
    pub finished: RwSignal<u64>,
    /// Drops whose names are already in their folder, waiting for the person to choose.
    pub prompts: RwSignal<Vec<ClashPrompt>>,
    /// The files of those drops, in the same order.
    #[cfg(feature = "hydrate")]
    pub(super) waiting: StoredValue<Vec<Batch>, LocalStorage>,
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    next_key: StoredValue<usize>,
    /// Ticks (at most every 150 ms) when any upload moved on: what sums up the whole queue
    /// follows this instead of every upload's every step.
    pub tick: RwSignal<u64>,
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    tick_queued: StoredValue<bool>,
    /// The uploads waiting their turn, and those under way.
    #[cfg(feature = "hydrate")]
    lanes: StoredValue<Lanes, LocalStorage>,
}

#[cfg(feature = "hydrate")]
#[derive(Default)]
struct Lanes {
    waiting: std::collections::VecDeque<UploadItem>,
    moving: Vec<UploadItem>,
}

impl Default for UploadQueue {
    fn default() -> Self {
        Self {
            items: RwSignal::new(Vec::new()),
            finished: RwSignal::new(0),
            prompts: RwSignal::new(Vec::new()),
            #[cfg(feature = "hydrate")]
            waiting: StoredValue::new_local(Vec::new()),
            next_key: StoredValue::new(0),
            tick: RwSignal::new(0),
            tick_queued: StoredValue::new(false),
            #[cfg(feature = "hydrate")]
            lanes: StoredValue::new_local(Lanes::default()),
        }
    }
}

impl UploadQueue {
    /// Queues the uploads of `files` (each with its path) into `parent`; they start a few at a
    /// time, in order. A long list is taken in slices, one per turn of the page's event loop:
    /// the browser looks at the disk for each file's size, and the page keeps answering
    /// meanwhile.
    #[cfg(feature = "hydrate")]
    pub(super) fn enqueue(
        self,
        mut files: Vec<(web_sys::File, String)>,
        parent: uuid::Uuid,
        endpoint: &str,
    ) {
        if files.len() > ENQUEUE_SLICE {
            let rest = files.split_off(ENQUEUE_SLICE);
            let endpoint = endpoint.to_owned();
            set_timeout(
                move || self.enqueue(rest, parent, &endpoint),
                std::time::Duration::ZERO,
            );
        }
        let first = self.next_key.get_value();
        self.next_key.set_value(first + files.len());
        let now = js_sys::Date::now();
        let items: Vec<UploadItem> = files
            .into_iter()
            .enumerate()
            .map(|(i, (file, path))| (i, file.size(), file, path))
            // A file's size is asked once: for a file on disk, each asking costs the browser.
            .map(|(i, total, file, path)| UploadItem {
                key: first + i,
                name: path.clone(),
                total,
                accepted: RwSignal::new(0.0),
                state: RwSignal::new(UploadState::Queued),
                resumed: RwSignal::new(false),
                started: RwSignal::new((now, 0.0)),
                weight: if endpoint == DRIVE_ENDPOINT && total <= BATCHED_BYTES {
                    1
                } else {
                    BATCH_SHARE
                },
                handle: StoredValue::new_local(None),
                source: StoredValue::new_local(Some((file, path, parent, endpoint.to_owned()))),
            })
            .collect();
        self.lanes
            .update_value(|lanes| lanes.waiting.extend(items.iter().cloned()));
        self.items.update(|all| all.extend(items));
        self.pump();
    }

    /// Makes `tick` tick soon (once for everything that happens meanwhile).
    #[cfg(feature = "hydrate")]
    pub(super) fn touch(self) {
        if self.tick_queued.get_value() {
            return;
        }
        self.tick_queued.set_value(true);
        set_timeout(
            move || {
                self.tick_queued.try_set_value(false);
                self.tick.try_update(|t| *t += 1);
            },
            std::time::Duration::from_millis(150),
        );
    }

    /// Starts queued uploads, oldest first, while fewer than `IN_FLIGHT` are under way (each
    /// batch of small files counting as one).
    #[cfg(feature = "hydrate")]
    pub(super) fn pump(self) {
        let busy = |i: &UploadItem| {
            i.state
                .with_untracked(|s| matches!(s, UploadState::Uploading | UploadState::Retrying))
        };
        let room = IN_FLIGHT * BATCH_SHARE;
        let mut turn = Vec::new();
        self.lanes.update_value(|lanes| {
            lanes.moving.retain(busy);
            let mut used: usize = lanes.moving.iter().map(|i| i.weight).sum();
            while let Some(next) = lanes.waiting.front() {
                if used + next.weight > room {
                    break;
                }
                let Some(next) = lanes.waiting.pop_front() else {
                    break;
                };
                // Cancelled while it waited.
                if next.state.with_untracked(|s| *s == UploadState::Queued) {
                    used += next.weight;
                    turn.push(next);
                }
            }
            lanes.moving.extend(turn.iter().cloned());
        });
        self.touch();
        for item in turn {
            let Some((file, path, parent, endpoint)) = item.source.get_value() else {
                continue;
            };
            item.source.set_value(None);
            item.state.set(UploadState::Uploading);
            item.started.set((js_sys::Date::now(), 0.0));
            let events = js::events(self, &item);
            let handle = js::upload(&file, &path, &parent.to_string(), &events, &endpoint);
            item.handle.set_value(Some(handle));
        }
    }

    /// Pause, resume (or retry) or cancel one upload.
    pub fn control(&self, item: &UploadItem, what: Control) {
        #[cfg(feature = "hydrate")]
        if let Some(handle) = item.handle.get_value() {
            js::call(&handle, what.method());
        }
        match what {
            Control::Pause => item.state.set(UploadState::Paused),
            Control::Cancel => {
                #[cfg(feature = "hydrate")]
                item.source.set_value(None);
                item.state.set(UploadState::Cancelled);
            }
            Control::Resume => {
                item.started.set((now_ms(), item.accepted.get_untracked()));
                item.state.set(UploadState::Uploading);
                #[cfg(feature = "hydrate")]
                self.lanes
                    .update_value(|lanes| lanes.moving.push(item.clone()));
            }
        }
        // A paused or cancelled upload leaves its turn to a waiting one.
        #[cfg(feature = "hydrate")]
        self.pump();
    }
}

/// Milliseconds since `since` (a `Date.now()` reading).
pub fn elapsed_ms(since: f64) -> f64 {
    now_ms() - since
}

fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    return js_sys::Date::now();
    #[cfg(not(feature = "hydrate"))]
    0.0
}

#[cfg(feature = "hydrate")]
#[path = "upload_js.rs"]
pub(super) mod js;
