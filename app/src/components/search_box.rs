//! The header's search box: `/` focuses it; results appear as you type (after a short pause),
//! ↓/↑ move through them, Enter opens the one chosen or the full results page, Escape closes.

use leptos::{ev, prelude::*};
use leptos_router::hooks::use_navigate;

use crate::{
    drive::format::now_secs,
    pages::search::{
        api::{find, query_string},
        hit::{href, Hit},
    },
};

/// Results shown under the box.
const QUICK: &str = "6";
/// Milliseconds of no typing before searching.
const PAUSE_MS: u64 = 200;

#[component]
pub fn SearchBox() -> impl IntoView {
    let text = RwSignal::new(String::new());
    // What was typed once the typing paused.
    let settled = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    // Whether the box has the focus: a blur closes the results a moment later (so a click on
    // one lands first) unless the focus came back in between.
    let focused = RwSignal::new(false);
    let chosen = RwSignal::new(None::<usize>);
    let input = NodeRef::<leptos::html::Input>::new();
    let results = Resource::new(
        move || settled.get(),
        |q| async move {
            if q.trim().is_empty() {
                return Ok(None);
            }
            find(query_string(&[("q", q), ("limit", QUICK.to_owned())]))
                .await
                .map(Some)
        },
    );
    let on_input = move |ev: ev::Event| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        open.set(true);
        chosen.set(None);
        set_timeout(
            // The box may be gone by then (a page without the header): `try_` does nothing.
            move || {
                if text.try_get_untracked().as_deref() == Some(value.as_str()) {
                    let _ = settled.try_set(value);
                }
            },
            std::time::Duration::from_millis(PAUSE_MS),
        );
    };
    let navigate = use_navigate();
    let hits = move || {
        results
            .get()
            .and_then(Result::ok)
            .flatten()
            .map(|p| p.hits)
            .unwrap_or_default()
    };
    let on_key = move |ev: ev::KeyboardEvent| {
        let count = hits().len();
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                chosen.update(|c| *c = Some(c.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                chosen.update(|c| *c = Some(c.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Escape" => {
                open.set(false);
                if let Some(el) = input.get() {
                    let _ = el.blur();
                }
            }
            "Enter" => {
                ev.prevent_default();
                open.set(false);
                let target = match chosen.get().and_then(|i| hits().into_iter().nth(i)) {
                    Some(hit) => href(&hit),
                    None => format!("/search?{}", query_string(&[("q", text.get())])),
                };
                if target.starts_with("/api/") {
                    let _ = window().location().set_href(&target);
                } else {
                    navigate(&target, Default::default());
                }
            }
            _ => {}
        }
    };
    // `/` anywhere but in a text field jumps to the box (while the box is there).
    let slash = window_event_listener(ev::keydown, move |ev| {
        if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| {
                leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::Element>(t).ok()
            })
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if !typing {
            ev.prevent_default();
            if let Some(el) = input.get() {
                let _ = el.focus();
            }
        }
    });
    on_cleanup(move || slash.remove());
    view! {
        <div class="search-box" role="search">
            <input node_ref=input type="search" name="q" placeholder="Search files  ( / )"
                aria-label="Search files" autocomplete="off" aria-controls="quick-results"
                role="combobox" aria-autocomplete="list" aria-haspopup="listbox"
                aria-expanded=move || open.get().to_string()
                prop:value=move || text.get()
                on:input=on_input on:keydown=on_key
                on:focus=move |_| {
                    focused.set(true);
                    open.set(true);
                }
                on:blur=move |_| {
                    focused.set(false);
                    set_timeout(
                        move || {
                            if focused.try_get_untracked() == Some(false) {
                                let _ = open.try_set(false);
                            }
                        },
                        std::time::Duration::from_millis(150),
                    );
                }/>
            <Show when=move || open.get() && !settled.get().trim().is_empty()>
                <div id="quick-results" class="quick-results" role="listbox">
                    <Transition fallback=|| view! { <p class="muted quick-note">"Searching…"</p> }>
                        {move || {
                            let now = now_secs();
                            let list = hits();
                            if list.is_empty() {
                                return view! { <p class="muted quick-note">"Nothing found"</p> }.into_any();
                            }
                            list.into_iter().enumerate().map(|(i, hit)| view! {
                                <div role="option" aria-selected=move || (chosen.get() == Some(i)).to_string()
                                    class:chosen=move || chosen.get() == Some(i)>
                                    <Hit hit=hit now=now compact=true/>
                                </div>
                            }).collect_view().into_any()
                        }}
                    </Transition>
                    <a class="quick-all" href=move || format!("/search?{}", query_string(&[("q", text.get())]))>
                        "All results"
                    </a>
                </div>
            </Show>
        </div>
    }
}
