//! Live updates in the page: the signed-in frame listens (through `/live.js`, which shares one
//! server-sent-events stream among the browser's tabs) and puts each change in a signal that
//! the drive, the trash, Shared with me, Starred and Recent follow by reloading what they show.

use leptos::prelude::*;
use uuid::Uuid;

/// A change heard from the server: the items that changed and the folders they are in; the
/// person's trash changed; or "reload everything" (after a dropped connection).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveChange {
    pub nodes: Vec<Uuid>,
    pub folders: Vec<Uuid>,
    pub trash: bool,
    pub resync: bool,
}

impl LiveChange {
    /// Whether a folder page showing `folder` with `listed` entries should reload.
    pub fn touches(&self, folder: Option<Uuid>, listed: &[Uuid]) -> bool {
        self.resync
            || folder.is_some_and(|f| self.folders.contains(&f) || self.nodes.contains(&f))
            || self.nodes.iter().any(|n| listed.contains(n))
    }
}

/// The last change heard, for pages to follow.
#[derive(Clone, Copy)]
pub struct Live(pub RwSignal<Option<LiveChange>>);

/// Starts listening for `user` (once per page; the stream itself is shared by the tabs).
pub fn provide_live(user: Uuid) {
    let heard = RwSignal::new(None::<LiveChange>);
    provide_context(Live(heard));
    #[cfg(feature = "hydrate")]
    listen(user, heard);
    #[cfg(not(feature = "hydrate"))]
    let _ = user;
}

/// Runs `reload` whenever a change that `matters` is heard.
pub fn follow(matters: impl Fn(&LiveChange) -> bool + 'static, reload: impl Fn() + 'static) {
    let Some(Live(heard)) = use_context::<Live>() else {
        return;
    };
    Effect::new(move |_| {
        if let Some(Some(change)) = heard.try_get() {
            if matters(&change) {
                reload();
            }
        }
    });
}

#[cfg(feature = "hydrate")]
fn listen(user: Uuid, heard: RwSignal<Option<LiveChange>>) {
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    let Some(window) = web_sys::window() else {
        return;
    };
    let live = js_sys::Reflect::get(&window, &JsValue::from_str("gosyncLive")).ok();
    let subscribe = live
        .as_ref()
        .and_then(|l| js_sys::Reflect::get(l, &JsValue::from_str("subscribe")).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let (Some(live), Some(subscribe)) = (live, subscribe) else {
        return;
    };
    let ids = |csv: String| -> Vec<Uuid> {
        csv.split(',')
            .filter_map(|id| Uuid::parse_str(id.trim()).ok())
            .collect()
    };
    let callback = Closure::<dyn FnMut(String, String, bool, bool)>::new(
        move |nodes: String, folders: String, trash: bool, resync: bool| {
            // The page may be gone by now (it unsubscribes as it goes): `try_` does nothing.
            let _ = heard.try_set(Some(LiveChange {
                nodes: ids(nodes),
                folders: ids(folders),
                trash,
                resync,
            }));
        },
    );
    let token = subscribe.call2(
        &live,
        &JsValue::from_str(&user.to_string()),
        callback.as_ref().unchecked_ref(),
    );
    // The page keeps it for as long as it lives; leaving the page unsubscribes.
    callback.forget();
    if let Ok(token) = token {
        if let Some(token) = token.as_f64() {
            on_cleanup(move || unsubscribe(token));
        }
    }
}

#[cfg(feature = "hydrate")]
fn unsubscribe(token: f64) {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(window) = web_sys::window() else {
        return;
    };
    let live = js_sys::Reflect::get(&window, &JsValue::from_str("gosyncLive")).ok();
    let stop = live
        .as_ref()
        .and_then(|l| js_sys::Reflect::get(l, &JsValue::from_str("unsubscribe")).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let (Some(live), Some(stop)) = (live, stop) {
        let _ = stop.call1(&live, &JsValue::from_f64(token));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_page_reloads_for_its_own_changes_only() {
        let (here, there, item) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let added_here = LiveChange {
            nodes: vec![Uuid::new_v4()],
            folders: vec![here],
            ..Default::default()
        };
        assert!(added_here.touches(Some(here), &[]));
        assert!(!added_here.touches(Some(there), &[item]));
        let moved_away = LiveChange {
            nodes: vec![item],
            folders: vec![there],
            ..Default::default()
        };
        assert!(moved_away.touches(Some(here), &[item]), "it left the list");
        let resync = LiveChange {
            resync: true,
            ..Default::default()
        };
        assert!(resync.touches(Some(there), &[]));
    }
}
