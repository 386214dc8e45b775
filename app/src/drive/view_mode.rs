//! List or grid: how a folder's entries are laid out, remembered in the browser.
//! `public/theme.js` applies the stored choice to `<html data-view>` before the first paint,
//! and the stylesheet lays the same rows out as cards for "grid".

use leptos::prelude::*;

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const KEY: &str = "gosync-view";

#[component]
pub fn ViewToggle() -> impl IntoView {
    // The server cannot know the choice: it renders "list", and the page says otherwise
    // once hydrated (the layout itself was right from the first paint).
    let grid = RwSignal::new(false);
    Effect::new(move || grid.set(current_is_grid()));
    let choose = move |to_grid: bool| {
        grid.set(to_grid);
        remember(to_grid);
    };
    view! {
        <div class="view-toggle" role="group" aria-label="Layout">
            <button id="view-list" class="icon-button" type="button" title="List"
                aria-pressed=move || (!grid.get()).to_string() on:click=move |_| choose(false)>
                <span class="icon-list" aria-hidden="true"></span>
                <span class="visually-hidden">"List"</span>
            </button>
            <button id="view-grid" class="icon-button" type="button" title="Grid"
                aria-pressed=move || grid.get().to_string() on:click=move |_| choose(true)>
                <span class="icon-grid" aria-hidden="true"></span>
                <span class="visually-hidden">"Grid"</span>
            </button>
        </div>
    }
}

fn current_is_grid() -> bool {
    #[cfg(feature = "hydrate")]
    return web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|root| root.get_attribute("data-view"))
        .is_some_and(|v| v == "grid");
    #[cfg(not(feature = "hydrate"))]
    false
}

fn remember(grid: bool) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let value = if grid { "grid" } else { "list" };
        if let Some(root) = window.document().and_then(|d| d.document_element()) {
            let _ = root.set_attribute("data-view", value);
        }
        if let Ok(Some(storage)) = window.local_storage() {
            let _ = storage.set_item(KEY, value);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = grid;
}
