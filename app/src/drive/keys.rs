//! The keyboard in a folder's list: arrows move between rows, the menu key opens the context
//! menu (the row handles Enter, F2, Delete and the rest itself).

use leptos::ev::KeyboardEvent;

use super::{actions::Item, context::DriveContext};

/// Whether the key was pressed on the row itself (not in an input or on a button in it).
pub fn on_row(ev: &KeyboardEvent) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| el.tag_name().eq_ignore_ascii_case("tr"))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

/// Focuses the next (or previous) row.
pub fn focus_sibling(ev: &KeyboardEvent, next: bool) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let row = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let sibling = row.and_then(|row| {
            if next {
                row.next_element_sibling()
            } else {
                row.previous_element_sibling()
            }
        });
        if let Some(sibling) = sibling.and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = sibling.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, next);
}

/// Opens the context menu of the row that has the focus (the menu key, or Shift+F10).
pub fn open_menu(ev: &KeyboardEvent, ctx: DriveContext, item: Item) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::Set;
        use wasm_bindgen::JsCast;
        let rect = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| el.get_bounding_client_rect());
        let (x, y) = rect.map_or((0.0, 0.0), |r| (r.left() + 48.0, r.bottom()));
        ctx.menu.set(Some(super::context::MenuAt { item, x, y }));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, ctx, item);
}
