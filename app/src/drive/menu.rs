//! The context menu of an entry (right click on a row, or its "⋯" button): the same actions
//! as everywhere else, or, for a row of a selection, what applies to all of it.

use leptos::{ev, prelude::*};

use super::{
    actions::{self, Item},
    context::{DriveContext, MenuAt},
    versions_panel::VersionsOpen,
};

/// What a menu item does: with the drive, the item, the items it applies to, and the signal
/// that opens the versions panel.
type MenuAction = fn(DriveContext, Item, Vec<Item>, RwSignal<Option<(uuid::Uuid, String)>>);

/// Opens the menu for `item` at the pointer (a right click).
pub fn open_at_pointer(ctx: DriveContext, item: Item, ev: &ev::MouseEvent) {
    ev.prevent_default();
    let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
    ctx.menu.set(Some(MenuAt { item, x, y }));
}

/// Opens the menu for `item` below the button that was pressed.
pub fn open_below(ctx: DriveContext, item: Item, ev: &ev::MouseEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let rect = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| el.get_bounding_client_rect());
        let (x, y) = rect.map_or((0.0, 0.0), |r| (r.right() - 200.0, r.bottom()));
        ctx.menu.set(Some(MenuAt { item, x, y }));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ctx, item, ev);
}

/// Keeps a menu of this size inside the window.
fn clamp(x: f64, y: f64) -> (f64, f64) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let width = window
            .inner_width()
            .ok()
            .and_then(|w| w.as_f64())
            .unwrap_or(x);
        let height = window
            .inner_height()
            .ok()
            .and_then(|h| h.as_f64())
            .unwrap_or(y);
        return (
            x.min(width - 216.0).max(8.0),
            y.min(height - 440.0).max(8.0),
        );
    }
    (x, y)
}

#[component]
pub fn ContextMenu() -> impl IntoView {
    let ctx = expect_context::<DriveContext>();
    let versions = expect_context::<VersionsOpen>().0;
    let first = NodeRef::<leptos::html::Button>::new();
    Effect::new(move || {
        if let Some(button) = first.get() {
            let _ = button.focus();
        }
    });
    let close = move || ctx.menu.set(None);
    view! {
        {move || ctx.menu.get().map(|MenuAt { item, x, y }| {
            let targets = ctx.targets(&item);
            let many = targets.len() > 1;
            let (x, y) = clamp(x, y);
            let targets = StoredValue::new(targets);
            let item = StoredValue::new(item);
            let act = move |f: MenuAction| {
                move |_: ev::MouseEvent| {
                    close();
                    f(ctx, item.get_value(), targets.get_value(), versions);
                }
            };
            let is_folder = item.with_value(|i| i.is_folder);
            view! {
                <div class="menu-backdrop" on:click=move |_| close()
                    on:contextmenu=move |ev: ev::MouseEvent| { ev.prevent_default(); close(); }></div>
                <div class="context-menu" role="menu" style:left=format!("{x}px") style:top=format!("{y}px")
                    aria-label=move || format!("Actions for {}", actions::label(&targets.get_value()))
                    on:keydown=move |ev: ev::KeyboardEvent| match ev.key().as_str() {
                        "Escape" => { ev.prevent_default(); close(); }
                        "ArrowDown" | "ArrowUp" => { ev.prevent_default(); step(&ev, ev.key() == "ArrowDown"); }
                        _ => {}
                    }>
                    {if many {
                        view! {
                            <button node_ref=first class="menu-item" role="menuitem" data-action="download"
                                on:click=act(|_, _, t, _| actions::download(&t))>"Download as zip"</button>
                            <button class="menu-item" role="menuitem" data-action="move"
                                on:click=act(|c, _, t, _| c.moving.set(Some(t)))>"Move to…"</button>
                            <button class="menu-item danger" role="menuitem" data-action="delete"
                                on:click=act(|c, _, t, _| actions::trash_items(c, t))>"Move to trash"</button>
                        }.into_any()
                    } else {
                        view! {
                            // The whole name (a phone shows it cut short in the list).
                            <p class="menu-name" role="presentation">{item.with_value(|i| i.name.clone())}</p>
                            <button node_ref=first class="menu-item" role="menuitem" data-action="download"
                                on:click=act(|_, i, _, _| actions::download(&[i]))>
                                {if is_folder { "Download as zip" } else { "Download" }}
                            </button>
                            <button class="menu-item" role="menuitem" data-action="select"
                                on:click=act(|c, i, _, _| if !c.is_selected(i.id) {
                                    super::select::pick(c, i, super::select::Pick::Toggle);
                                })>
                                "Select"
                            </button>
                            <button class="menu-item" role="menuitem" data-action="share"
                                on:click=act(|c, i, _, _| c.sharing.set(Some(i)))>"Share…"</button>
                            <button class="menu-item" role="menuitem" data-action="rename"
                                on:click=act(|c, i, _, _| c.renaming.set(Some(i.id)))>"Rename"</button>
                            <button class="menu-item" role="menuitem" data-action="move"
                                on:click=act(|c, i, _, _| c.moving.set(Some(vec![i])))>"Move to…"</button>
                            <button class="menu-item" role="menuitem" data-action="copy"
                                on:click=act(|c, i, _, _| actions::copy_item(c, i.id))>"Make a copy"</button>
                            <button class="menu-item" role="menuitem" data-action="star"
                                on:click=act(|c, i, _, _| actions::toggle_star(c, i))>
                                {if ctx.is_starred(item.with_value(|i| i.id)) { "Remove star" } else { "Add star" }}
                            </button>
                            {(!is_folder).then(|| view! {
                                <button class="menu-item" role="menuitem" data-action="versions"
                                    on:click=act(|_, i, _, v| v.set(Some((i.id, i.name))))>"Versions"</button>
                            })}
                            <button class="menu-item danger" role="menuitem" data-action="delete"
                                on:click=act(|c, i, _, _| actions::trash_items(c, vec![i]))>"Move to trash"</button>
                        }.into_any()
                    }}
                </div>
            }
        })}
    }
}

/// Moves the focus to the next (or previous) item of the menu.
fn step(ev: &ev::KeyboardEvent, next: bool) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let here = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let sibling = here.and_then(|el| {
            if next {
                el.next_element_sibling()
            } else {
                el.previous_element_sibling()
            }
        });
        if let Some(el) = sibling.and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, next);
}
