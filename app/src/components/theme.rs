//! Light and dark: follows the system until the person picks one; the choice is remembered.
//! `public/theme.js` applies the stored choice before the first paint (no flash).

use leptos::prelude::*;

const KEY: &str = "gosync-theme";

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let on_click = move |_| toggle_theme();
    view! {
        <button id="theme-toggle" class="icon-button" type="button" on:click=on_click
            aria-label="Switch between light and dark theme" title="Switch theme">
            <span class="icon-theme" aria-hidden="true"></span>
        </button>
    }
}

#[cfg(feature = "hydrate")]
fn toggle_theme() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(root) = window.document().and_then(|d| d.document_element()) else {
        return;
    };
    let current = root.get_attribute("data-theme").unwrap_or_else(|| {
        let dark = window
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches());
        if dark { "dark" } else { "light" }.to_owned()
    });
    let next = if current == "dark" { "light" } else { "dark" };
    let _ = root.set_attribute("data-theme", next);
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = storage.set_item(KEY, next);
    }
}

#[cfg(not(feature = "hydrate"))]
fn toggle_theme() {
    let _ = KEY;
}
