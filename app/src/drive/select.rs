//! Selecting entries as in a file manager: a click selects one, Ctrl/Cmd-click adds or
//! removes one, Shift-click takes the range from the last click, Ctrl/Cmd+A or the header's
//! box takes all; the bar above the list then acts on all of them.

use leptos::{ev, prelude::*};
use uuid::Uuid;

use super::{
    actions::{self, Item},
    context::DriveContext,
};

/// How a click changes the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    Only,
    Toggle,
    Range,
}

impl Pick {
    pub fn of(ev: &ev::MouseEvent) -> Self {
        if ev.shift_key() {
            Self::Range
        } else if ev.ctrl_key() || ev.meta_key() {
            Self::Toggle
        } else {
            Self::Only
        }
    }
}

/// The ids from `anchor` to `to` in `order` (both ends included), or just `to`.
pub fn range(order: &[Uuid], anchor: Option<Uuid>, to: Uuid) -> Vec<Uuid> {
    let at = |id| order.iter().position(|i| *i == id);
    match (anchor.and_then(at), at(to)) {
        (Some(a), Some(b)) => order[a.min(b)..=a.max(b)].to_vec(),
        _ => vec![to],
    }
}

/// Applies a click on `item` to the selection.
pub fn pick(ctx: DriveContext, item: Item, how: Pick) {
    match how {
        Pick::Only => ctx.selection.set(vec![item.clone()]),
        Pick::Toggle => ctx.selection.update(|s| {
            if let Some(at) = s.iter().position(|i| i.id == item.id) {
                s.remove(at);
            } else {
                s.push(item.clone());
            }
        }),
        Pick::Range => {
            let ids = range(&row_order(), ctx.anchor.get_untracked(), item.id);
            let items = ids.into_iter().filter_map(|id| ctx.item(id)).collect();
            ctx.selection.set(items);
            // The anchor stays where the range started.
            return;
        }
    }
    ctx.anchor.set(Some(item.id));
}

/// Every entry on the page, in the order shown.
pub fn select_all(ctx: DriveContext) {
    let items = row_order()
        .into_iter()
        .filter_map(|id| ctx.item(id))
        .collect();
    ctx.selection.set(items);
}

/// The ids of the rows on the page, top to bottom.
fn row_order() -> Vec<Uuid> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(rows) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector_all("tr.entry").ok())
        else {
            return Vec::new();
        };
        (0..rows.length())
            .filter_map(|i| rows.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
            .filter_map(|el| el.get_attribute("data-id"))
            .filter_map(|id: String| Uuid::parse_str(&id).ok())
            .collect()
    }
    #[cfg(not(feature = "hydrate"))]
    Vec::new()
}

/// Whether a click landed on a control inside a row (a link, a button, a field), which
/// does its own thing instead of selecting.
pub fn on_control(ev: &ev::MouseEvent) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a, button, input, form, label").ok().flatten())
            .is_some()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

/// The header's box: checked when everything on the page is selected.
#[component]
pub fn SelectAll() -> impl IntoView {
    let ctx = expect_context::<DriveContext>();
    let all = move || {
        let n = ctx.selection.with(Vec::len);
        n > 0 && n == row_order().len()
    };
    view! {
        <input type="checkbox" id="select-all" class="select-box" aria-label="Select all"
            prop:checked=all
            on:change=move |_| if all() { ctx.clear_selection() } else { select_all(ctx) }/>
    }
}

/// What can be done with the selection, shown while there is one.
#[component]
pub fn SelectionBar() -> impl IntoView {
    let ctx = expect_context::<DriveContext>();
    let count = move || ctx.selection.with(Vec::len);
    view! {
        <Show when=move || { count() > 0 }>
            <div class="selection-bar" role="toolbar" aria-label="Selected items">
                <strong id="selection-count">{move || match count() {
                    1 => "1 selected".to_owned(),
                    n => format!("{n} selected"),
                }}</strong>
                <button id="selection-download" class="button small" type="button"
                    on:click=move |_| actions::download(&ctx.selection.get_untracked())>
                    {move || if count() > 1 { "Download zip" } else { "Download" }}
                </button>
                <button id="selection-move" class="button small" type="button"
                    on:click=move |_| ctx.moving.set(Some(ctx.selection.get_untracked()))>
                    "Move to…"
                </button>
                <button id="selection-delete" class="button small danger" type="button"
                    on:click=move |_| actions::trash_items(ctx, ctx.selection.get_untracked())>
                    "Delete"
                </button>
                <button id="selection-clear" class="button small ghost" type="button"
                    aria-label="Clear the selection" on:click=move |_| ctx.clear_selection()>
                    "×"
                </button>
            </div>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_runs_from_the_anchor_either_way() {
        let ids: Vec<Uuid> = (0..5).map(|_| Uuid::new_v4()).collect();
        assert_eq!(range(&ids, Some(ids[1]), ids[3]), ids[1..=3].to_vec());
        assert_eq!(range(&ids, Some(ids[3]), ids[1]), ids[1..=3].to_vec());
        assert_eq!(range(&ids, None, ids[2]), vec![ids[2]]);
        assert_eq!(range(&ids, Some(Uuid::new_v4()), ids[4]), vec![ids[4]]);
    }
}
