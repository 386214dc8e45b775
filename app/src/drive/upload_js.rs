//! The bridge to public/uploads.js: collecting a drop, starting an upload, and the callbacks
//! through which an upload reports back to its item in the queue.

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
        queue.touch();
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
        queue.pump();
    });
    set("onSuccess", success.as_ref());
    success.forget();
    let error = Closure::<dyn FnMut(String)>::new(move |message: String| {
        state.set(UploadState::Failed(message));
        queue.pump();
    });
    set("onError", error.as_ref());
    error.forget();
    let resume = Closure::<dyn FnMut()>::new(move || {
        queue.touch();
        resumed.set(true);
        started.set((js_sys::Date::now(), accepted.get_untracked()));
    });
    set("onResume", resume.as_ref());
    resume.forget();
    let retry = Closure::<dyn FnMut()>::new(move || {
        queue.touch();
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
