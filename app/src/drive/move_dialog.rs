//! "Move to…": a dialog to pick the folder that items go into, browsing from the folder on
//! screen (its breadcrumbs lead up, its folders lead down). A folder being moved cannot be
//! opened in it (nothing moves into itself), and moving where the items already are is off.

use leptos::{either::Either, ev, prelude::*};
use uuid::Uuid;

use super::{
    actions::{self, Item},
    api::list_folder,
    context::DriveContext,
};
use crate::dto::SortKey;

#[component]
pub fn MoveDialog() -> impl IntoView {
    let ctx = expect_context::<DriveContext>();
    move || {
        ctx.moving
            .get()
            .map(|items| view! { <Picker items=items start=ctx.here.get_untracked()/> })
    }
}

#[component]
fn Picker(items: Vec<Item>, start: Option<Uuid>) -> impl IntoView {
    let ctx = expect_context::<DriveContext>();
    let at = RwSignal::new(start);
    let page = LocalResource::new(move || list_folder(at.get(), SortKey::Name, false, None));
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let title = format!("Move {} to…", actions::label(&items));
    let moving_ids: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    let items = StoredValue::new(items);
    let moving_ids = StoredValue::new(moving_ids);
    // The folder shown, once loaded: (id, name to tell).
    let target = move || {
        page.get().and_then(|r| r.ok()).and_then(|p| {
            let at_root = p.path.len() <= 1 && p.shared_by.is_none();
            p.path.last().map(|c| {
                let name = if at_root {
                    "My files".to_owned()
                } else {
                    c.name.clone()
                };
                (c.id, name)
            })
        })
    };
    let close = move || ctx.moving.set(None);
    let confirm = move |_| {
        let Some((id, name)) = target() else { return };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match actions::move_items(ctx, items.get_value(), id, name).await {
                Ok(()) => close(),
                Err(message) => error.set(Some(message)),
            }
            busy.set(false);
        });
    };
    let first = NodeRef::<leptos::html::Button>::new();
    Effect::new(move || {
        if let Some(button) = first.get() {
            let _ = button.focus();
        }
    });
    view! {
        <div class="dialog-backdrop" on:keydown=move |ev: ev::KeyboardEvent| if ev.key() == "Escape" { close() }>
            <div class="dialog move-dialog" role="dialog" aria-modal="true" aria-labelledby="move-title">
                <h2 id="move-title">{title}</h2>
                {move || match page.get() {
                    None => Either::Left(view! { <p class="muted">"Loading…"</p> }.into_any()),
                    Some(Err(e)) => Either::Left(view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any()),
                    Some(Ok(page)) => {
                        let last = page.path.len().saturating_sub(1);
                        let shared = page.shared_by.is_some();
                        let crumbs = page.path.into_iter().enumerate().map(|(i, crumb)| {
                            let own_root = i == 0 && !shared;
                            let name = if own_root { "My files".to_owned() } else { crumb.name };
                            let id = (!own_root).then_some(crumb.id);
                            if i == last {
                                Either::Left(view! { <li><span aria-current="location">{name}</span></li> })
                            } else {
                                Either::Right(view! {
                                    <li><button class="link-button" type="button" on:click=move |_| at.set(id)>{name}</button></li>
                                })
                            }
                        }).collect_view();
                        let folders: Vec<_> = page.entries.into_iter().filter(|e| e.is_folder).collect();
                        let empty = folders.is_empty();
                        Either::Right(view! {
                            <nav class="breadcrumbs picker-crumbs" aria-label="Folder to move into"><ol>{crumbs}</ol></nav>
                            <ul class="picker-folders">
                                {folders.into_iter().map(|f| {
                                    let id = f.id;
                                    let moving = moving_ids.with_value(|m| m.contains(&id));
                                    view! {
                                        <li><button class="picker-folder" type="button" disabled=moving
                                            title=if moving { "A folder cannot go into itself" } else { "" }
                                            on:click=move |_| { error.set(None); at.set(Some(id)); }>
                                            <span class="file-icon icon-folder" aria-hidden="true"></span>
                                            {f.name}
                                        </button></li>
                                    }
                                }).collect_view()}
                                {empty.then(|| view! { <li class="muted picker-empty">"No folders in here."</li> })}
                            </ul>
                        })
                    }
                }}
                {move || error.get().map(|e| view! { <p class="form-error" id="move-error" role="alert">{e}</p> })}
                <div class="dialog-choices">
                    <button id="move-here" class="button primary" type="button"
                        disabled=move || busy.get() || target().is_none_or(|(id, _)| Some(id) == ctx.here.get())
                        on:click=confirm>
                        {move || match target() {
                            Some((_, name)) => format!("Move to “{name}”"),
                            None => "Move here".to_owned(),
                        }}
                    </button>
                    <button node_ref=first id="move-cancel" class="button" type="button" on:click=move |_| close()>"Cancel"</button>
                </div>
            </div>
        </div>
    }
}
