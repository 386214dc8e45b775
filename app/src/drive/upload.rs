//! Uploads from the browser: the queue (one entry per file, kept across page changes), the
//! buttons and the drop zone that fill it, and the panel that shows each file's progress.
//! The bytes travel over tus with tus-js-client (public/uploads.js); progress counts only
//! what the server has acknowledged.

use leptos::prelude::*;

use super::clash::ClashPrompt;
#[cfg(feature = "hydrate")]
use super::upload_batch::Batch;

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
    pub(super) waiting: StoredValue<Vec<Batch>, LocalStorage>,
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

impl UploadQueue {
    #[cfg(feature = "hydrate")]
    pub(super) fn start(
        self,
        file: web_sys::File,
        path: String,
        parent: uuid::Uuid,
        endpoint: &str,
    ) {
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
pub(super) mod js {
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
