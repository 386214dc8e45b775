//! Uploads from the browser: the queue (one entry per file, kept across page changes), the
//! buttons and the drop zone that fill it, and the panel that shows each file's progress.
//! The bytes travel over tus with tus-js-client (public/uploads.js); progress counts only
//! what the server has acknowledged.

use leptos::prelude::*;

#[cfg(feature = "hydrate")]
use super::clash;
use super::clash::{Choice, ClashPrompt};

/// Where one file's upload stands.
#[derive(Clone, Debug, PartialEq)]
pub enum UploadState {
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
    #[cfg(feature = "hydrate")]
    handle: StoredValue<Option<wasm_bindgen::JsValue>, LocalStorage>,
}

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
    waiting: StoredValue<Vec<Batch>, LocalStorage>,
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    next_key: StoredValue<usize>,
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
        }
    }
}

/// What one drop (or one pick of files) holds: files with their paths, and empty folders.
#[cfg(feature = "hydrate")]
pub struct Batch {
    parent: uuid::Uuid,
    files: Vec<(web_sys::File, String)>,
    dirs: Vec<String>,
    /// The tus endpoint: the drive's, or a public link's (`/s/{token}/uploads`).
    endpoint: Option<String>,
}

#[cfg(feature = "hydrate")]
impl Batch {
    /// The names this batch would take in its folder (the first part of every path).
    fn tops(&self) -> Vec<String> {
        let mut tops: Vec<String> = Vec::new();
        let paths = self.files.iter().map(|(_, p)| p).chain(self.dirs.iter());
        for path in paths {
            let top = clash::top(path).to_owned();
            if !tops.contains(&top) {
                tops.push(top);
            }
        }
        tops
    }

    /// This batch split in two: what goes under one of `names`, and the rest.
    fn split(self, names: &[String]) -> (Batch, Batch) {
        let hit = |path: &String| names.iter().any(|n| n == clash::top(path));
        let (files_in, files_out) = self.files.into_iter().partition(|(_, p)| hit(p));
        let (dirs_in, dirs_out) = self.dirs.into_iter().partition(hit);
        let make = |files, dirs| Batch {
            parent: self.parent,
            files,
            dirs,
            endpoint: self.endpoint.clone(),
        };
        (make(files_in, dirs_in), make(files_out, dirs_out))
    }
}

impl UploadQueue {
    /// Uploads the files of a drop or a file input (`source`: a DataTransfer or an input)
    /// into the folder `parent`; first asks the server which of their names are taken there.
    #[cfg(feature = "hydrate")]
    pub fn add_from(self, source: wasm_bindgen::JsValue, parent: uuid::Uuid) {
        self.add_to(source, parent, None);
    }

    /// The same through a public link's tus endpoint: the link's server side decides about
    /// names already there (a drop box keeps both), and empty folders are not made.
    #[cfg(feature = "hydrate")]
    pub fn add_to(
        self,
        source: wasm_bindgen::JsValue,
        parent: uuid::Uuid,
        endpoint: Option<String>,
    ) {
        use wasm_bindgen::JsCast;
        // Called at once: a drop's items can only be read while its event is handled.
        let collected = js::collect(&source);
        if let Ok(input) = source.dyn_into::<web_sys::HtmlInputElement>() {
            // Its files are taken: the same ones can be picked again later.
            input.set_value("");
        }
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(list) = wasm_bindgen_futures::JsFuture::from(collected).await else {
                return;
            };
            let mut batch = Batch {
                parent,
                files: Vec::new(),
                dirs: Vec::new(),
                endpoint,
            };
            for pair in js_sys::Array::from(&list).iter() {
                let get = |name: &str| js_sys::Reflect::get(&pair, &name.into()).ok();
                let path = get("path").and_then(|p| p.as_string()).unwrap_or_default();
                if get("dir").is_some_and(|d| d.is_truthy()) {
                    batch.dirs.push(path);
                } else if let Some(Ok(file)) = get("file").map(|f| f.dyn_into::<web_sys::File>()) {
                    let path = if path.is_empty() { file.name() } else { path };
                    batch.files.push((file, path));
                }
            }
            if batch.endpoint.is_some() {
                batch.dirs.clear();
                self.begin(batch, &[]);
                return;
            }
            // When the question cannot be asked, upload: a name taken becomes a new version.
            let clashes = super::api::clashes(parent, batch.tops())
                .await
                .unwrap_or_default();
            if clashes.is_empty() {
                self.begin(batch, &[]);
                return;
            }
            let asked: Vec<String> = clashes.iter().map(|c| c.asked.clone()).collect();
            let (clashing, free) = batch.split(&asked);
            let mut folders: Vec<String> = Vec::new();
            let folder_paths = clashing
                .files
                .iter()
                .map(|(_, p)| p)
                .filter(|p| p.contains('/'));
            for path in folder_paths.chain(clashing.dirs.iter()) {
                let top = clash::top(path).to_owned();
                if !folders.contains(&top) {
                    folders.push(top);
                }
            }
            self.begin(free, &[]);
            self.waiting.update_value(|w| w.push(clashing));
            self.prompts
                .update(|p| p.push(ClashPrompt { clashes, folders }));
        });
    }

    /// What the person chose for the first drop that waits.
    pub fn resolve(self, choice: Choice) {
        let Some(prompt) = self
            .prompts
            .try_update(|p| (!p.is_empty()).then(|| p.remove(0)))
            .flatten()
        else {
            return;
        };
        #[cfg(feature = "hydrate")]
        {
            let batch = self
                .waiting
                .try_update_value(|w| (!w.is_empty()).then(|| w.remove(0)))
                .flatten();
            let Some(batch) = batch else { return };
            let renames: Vec<(String, String)> = match choice {
                Choice::Skip => return,
                Choice::Replace => Vec::new(),
                Choice::KeepBoth => prompt
                    .clashes
                    .into_iter()
                    .map(|c| (c.asked, c.free_name))
                    .collect(),
            };
            // Not under the dialog's reactive owner: the uploads outlive the dialog.
            wasm_bindgen_futures::spawn_local(async move { self.begin(batch, &renames) });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (prompt, choice);
    }

    /// Starts the uploads of a batch, each path's first part renamed as `renames` says, and
    /// makes its empty folders.
    #[cfg(feature = "hydrate")]
    fn begin(self, batch: Batch, renames: &[(String, String)]) {
        let rename = |path: &str| {
            let top = clash::top(path);
            match renames.iter().find(|(from, _)| from == top) {
                Some((_, to)) => clash::renamed(path, to),
                None => path.to_owned(),
            }
        };
        let parent = batch.parent;
        for dir in &batch.dirs {
            let path = rename(dir);
            wasm_bindgen_futures::spawn_local(async move {
                if super::api::make_folders(parent, path).await.is_ok() {
                    self.finished.update(|n| *n += 1);
                }
            });
        }
        let endpoint = batch
            .endpoint
            .unwrap_or_else(|| "/api/v1/uploads".to_owned());
        for (file, path) in batch.files {
            self.start(file, rename(&path), parent, &endpoint);
        }
    }

    #[cfg(feature = "hydrate")]
    fn start(self, file: web_sys::File, path: String, parent: uuid::Uuid, endpoint: &str) {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        let item = UploadItem {
            key,
            name: path.clone(),
            total: file.size(),
            accepted: RwSignal::new(0.0),
            state: RwSignal::new(UploadState::Uploading),
            resumed: RwSignal::new(false),
            started: RwSignal::new((js_sys::Date::now(), 0.0)),
            handle: StoredValue::new_local(None),
        };
        self.items.update(|items| items.push(item.clone()));
        let events = js::events(self, &item);
        let handle = js::upload(&file, &path, &parent.to_string(), &events, endpoint);
        item.handle.set_value(Some(handle));
    }

    /// Pause, resume (or retry) or cancel one upload.
    pub fn control(&self, item: &UploadItem, what: Control) {
        #[cfg(feature = "hydrate")]
        if let Some(handle) = item.handle.get_value() {
            js::call(&handle, what.method());
        }
        match what {
            Control::Pause => item.state.set(UploadState::Paused),
            Control::Cancel => item.state.set(UploadState::Cancelled),
            Control::Resume => {
                item.started.set((now_ms(), item.accepted.get_untracked()));
                item.state.set(UploadState::Uploading);
            }
        }
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
mod js {
    use leptos::prelude::*;
    use wasm_bindgen::{closure::Closure, prelude::*, JsValue};

    use super::{UploadItem, UploadQueue, UploadState};

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = gosyncUploads, js_name = collect)]
        pub fn collect(source: &JsValue) -> js_sys::Promise;
        #[wasm_bindgen(js_namespace = gosyncUploads, js_name = upload)]
        pub fn upload(
            file: &web_sys::File,
            path: &str,
            parent: &str,
            events: &JsValue,
            endpoint: &str,
        ) -> JsValue;
    }

    pub fn call(handle: &JsValue, method: &str) {
        if let Ok(f) = js_sys::Reflect::get(handle, &method.into()) {
            if let Ok(f) = f.dyn_into::<js_sys::Function>() {
                let _ = f.call0(handle);
            }
        }
    }

    /// The callbacks tus-js-client reports to; they live as long as the page.
    pub fn events(queue: UploadQueue, item: &UploadItem) -> JsValue {
        let events = js_sys::Object::new();
        let set = |name: &str, value: &JsValue| {
            let _ = js_sys::Reflect::set(&events, &name.into(), value);
        };
        let (accepted, state, resumed, started) =
            (item.accepted, item.state, item.resumed, item.started);
        let progress = Closure::<dyn FnMut(f64, f64)>::new(move |done: f64, _total: f64| {
            accepted.set(done);
            if state.get_untracked() == UploadState::Retrying {
                state.set(UploadState::Uploading);
            }
        });
        set("onProgress", progress.as_ref());
        progress.forget();
        let total = item.total;
        let success = Closure::<dyn FnMut(String)>::new(move |_node: String| {
            accepted.set(total);
            state.set(UploadState::Done);
            queue.finished.update(|n| *n += 1);
        });
        set("onSuccess", success.as_ref());
        success.forget();
        let error = Closure::<dyn FnMut(String)>::new(move |message: String| {
            state.set(UploadState::Failed(message));
        });
        set("onError", error.as_ref());
        error.forget();
        let resume = Closure::<dyn FnMut()>::new(move || {
            resumed.set(true);
            started.set((js_sys::Date::now(), accepted.get_untracked()));
        });
        set("onResume", resume.as_ref());
        resume.forget();
        let retry = Closure::<dyn FnMut()>::new(move || {
            if matches!(
                state.get_untracked(),
                UploadState::Uploading | UploadState::Failed(_)
            ) {
                state.set(UploadState::Retrying);
            }
        });
        set("onRetry", retry.as_ref());
        retry.forget();
        events.into()
    }
}
