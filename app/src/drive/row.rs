//! One entry of a folder: its box and icon and name (a link into a folder, or a download),
//! size and time, and its actions: download, rename in place, delete to the trash, and "⋯"
//! for the context menu (which a right click opens too). A click selects it.

use leptos::{either::Either, ev, prelude::*};
use uuid::Uuid;

use super::{
    actions::{self, Item},
    api::rename,
    context::DriveContext,
    dnd,
    format::{human_size, relative_time},
    keys, menu,
    select::{self, Pick},
    thumb::Thumbnail,
    viewer::Source,
};
use crate::dto::EntryDto;

#[component]
pub fn Row(entry: EntryDto, now: i64) -> impl IntoView {
    let ctx = expect_context::<DriveContext>();
    let listed = entry.clone();
    let EntryDto {
        id,
        name,
        is_folder,
        size,
        mime,
        modified,
        shared,
        thumb,
        starred,
        ..
    } = entry;
    let name = StoredValue::new(name);
    let editing = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let renaming = Action::new(move |new_name: &String| rename(id, new_name.clone()));
    Effect::new(move || {
        if let Some(result) = renaming.value().get() {
            match result {
                Ok(_) => {
                    editing.set(false);
                    error.set(None);
                    ctx.refresh.run(());
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    let item = Item {
        id,
        name: name.get_value(),
        is_folder,
    };
    ctx.register(listed);
    let item = StoredValue::new(item);
    let selected = move || ctx.is_selected(id);
    // "Rename" from the context menu.
    Effect::new(move || {
        if ctx.renaming.get() == Some(id) {
            ctx.renaming.set(None);
            editing.set(true);
        }
    });
    let input = NodeRef::<leptos::html::Input>::new();
    // The name field takes the focus as it appears (autofocus does not, once a page is up).
    Effect::new(move || {
        if let Some(input) = input.get() {
            let _ = input.focus();
            input.select();
        }
    });
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(input) = input.get() {
            renaming.dispatch(input.value());
        }
    };
    let keydown = move |ev: ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            editing.set(false);
            error.set(None);
        }
    };
    let label = name.get_value();
    let kind = if is_folder { "folder" } else { "file" };
    let icon = icon_class(is_folder, mime.as_deref());
    let shown_size = if is_folder {
        "—".to_owned()
    } else {
        human_size(size)
    };
    let over = RwSignal::new(false);
    let target_name = name.get_value();
    let into = dnd::Drop::here();
    let navigate = leptos_router::hooks::use_navigate();
    view! {
        <tr class="entry" data-id=id.to_string() data-kind=kind draggable="true" tabindex="0"
            class:drop-target=move || over.get() class:selected=selected
            aria-selected=move || selected().to_string()
            on:click=move |ev: ev::MouseEvent| if !select::on_control(&ev) {
                select::pick(ctx, item.get_value(), Pick::of(&ev));
            }
            on:contextmenu=move |ev: ev::MouseEvent| {
                if !selected() { select::pick(ctx, item.get_value(), Pick::Only); }
                menu::open_at_pointer(ctx, item.get_value(), &ev);
            }
            on:keydown=move |ev: ev::KeyboardEvent| {
                if ev.key() == "Escape" && editing.get_untracked() {
                    editing.set(false);
                    error.set(None);
                    return;
                }
                // Keys act on the row itself, not on the inputs and buttons inside it.
                if !keys::on_row(&ev) || editing.get_untracked() {
                    return;
                }
                let command = ev.ctrl_key() || ev.meta_key();
                match ev.key().as_str() {
                    "F2" => { ev.prevent_default(); editing.set(true); }
                    "s" | "S" if !command && !ev.alt_key() => { ev.prevent_default(); actions::toggle_star(ctx, item.get_value()); }
                    "Delete" => { ev.prevent_default(); actions::trash_items(ctx, ctx.targets(&item.get_value())); }
                    "a" | "A" if command => { ev.prevent_default(); select::select_all(ctx); }
                    " " => { ev.prevent_default(); select::pick(ctx, item.get_value(), Pick::Toggle); }
                    "Escape" => ctx.clear_selection(),
                    "ContextMenu" => { ev.prevent_default(); keys::open_menu(&ev, ctx, item.get_value()); }
                    "F10" if ev.shift_key() => { ev.prevent_default(); keys::open_menu(&ev, ctx, item.get_value()); }
                    "Enter" if is_folder => { ev.prevent_default(); navigate(&format!("/folders/{id}"), Default::default()); }
                    "Enter" => { ev.prevent_default(); ctx.viewing.set(Some(id)); }
                    "ArrowDown" => { ev.prevent_default(); keys::focus_sibling(&ev, true); }
                    "ArrowUp" => { ev.prevent_default(); keys::focus_sibling(&ev, false); }
                    _ => {}
                }
            }
            on:dragstart=move |ev| dnd::start(&ev, &ctx.targets(&item.get_value()))
            on:dragover=move |ev| if is_folder && dnd::accepts(&ev) { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false)
            on:drop=move |ev| if is_folder { over.set(false); dnd::drop_into(&ev, into, id, target_name.clone()); }>
            <td class="select">
                <input type="checkbox" class="select-box" aria-label=format!("Select {label}")
                    prop:checked=selected
                    on:click=move |ev: ev::MouseEvent| {
                        let how = if ev.shift_key() { Pick::Range } else { Pick::Toggle };
                        select::pick(ctx, item.get_value(), how);
                    }/>
            </td>
            <td class="name-cell"><div class="name-wrap">
                <Thumbnail id=id thumb=thumb.clone() icon=icon source=Source::Drive
                    on_ready=Callback::new(move |()| ctx.refresh_soon())/>
                {move || if editing.get() {
                    Either::Left(view! {
                        <form class="rename-form" on:submit=submit>
                            <input node_ref=input class="rename-input" aria-label="New name"
                                value=name.get_value() autofocus on:keydown=keydown/>
                            <button class="button small" type="submit">"Save"</button>
                            {move || error.get().map(|e| view! {
                                <p class="field-error" role="alert">{e}</p>
                            })}
                        </form>
                    })
                } else {
                    Either::Right(entry_link(ctx, id, is_folder, name.get_value()))
                }}
                {starred.then(|| view! { <span class="star-mark" role="img" aria-label="Starred" title="Starred">"★"</span> })}
                {shared.then(|| view! { <span class="badge shared-badge" title="Shared">"Shared"</span> })}
            </div></td>
            <td class="size">{shown_size}</td>
            <td class="modified">{relative_time(modified, now)}</td>
            <td class="actions">
                <a class="button small ghost download-button" rel="external" href=format!("/api/v1/nodes/{id}/content")
                    aria-label=format!("Download {label}")>
                    {if is_folder { "Download zip" } else { "Download" }}
                </a>
                <button class="button small ghost rename-button" type="button"
                    aria-label=format!("Rename {label}") on:click=move |_| editing.set(true)>
                    "Rename"
                </button>
                <button class="button small ghost delete-button" type="button"
                    aria-label=format!("Delete {label}")
                    on:click=move |_| actions::trash_items(ctx, vec![item.get_value()])>
                    "Delete"
                </button>
                <button class="button small ghost more-button" type="button" aria-haspopup="menu"
                    aria-label=format!("More actions for {label}")
                    on:click=move |ev: ev::MouseEvent| menu::open_below(ctx, item.get_value(), &ev)>
                    "⋯"
                </button>
            </td>
        </tr>
    }
}

/// A folder's name opens it; a file's opens the viewer (its address is the download, for a
/// new tab or "Save link as").
fn entry_link(ctx: DriveContext, id: Uuid, is_folder: bool, name: String) -> impl IntoView {
    let full = name.clone();
    if is_folder {
        Either::Left(view! {
            <a class="entry-name" href=format!("/folders/{id}") title=full>{name}</a>
        })
    } else {
        let open = move |ev: ev::MouseEvent| {
            if super::viewer::plain_click(&ev) {
                ev.prevent_default();
                ctx.viewing.set(Some(id));
            }
        };
        Either::Right(view! {
            <a class="entry-name" rel="external" href=format!("/api/v1/nodes/{id}/content")
                title=full on:click=open>{name}</a>
        })
    }
}

/// The icon's class from the kind of file.
pub fn icon_class(is_folder: bool, mime: Option<&str>) -> &'static str {
    if is_folder {
        return "icon-folder";
    }
    match mime.unwrap_or_default() {
        m if m.starts_with("image/") => "icon-image",
        m if m.starts_with("video/") => "icon-video",
        m if m.starts_with("audio/") => "icon-audio",
        "application/pdf" => "icon-pdf",
        "application/zip" => "icon-archive",
        m if m.starts_with("text/") || m == "application/json" => "icon-text",
        _ => "icon-file",
    }
}
