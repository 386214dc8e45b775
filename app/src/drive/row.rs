//! One entry of a folder: its icon and name (a link into a folder, or a download), size and
//! time, and its actions: rename in place, delete to the trash.

use leptos::{either::Either, ev, prelude::*};
use uuid::Uuid;

use super::{
    api::{copy, rename, trash},
    dnd,
    format::{human_size, relative_time},
    keys,
    list::DriveContext,
};
use crate::dto::EntryDto;

#[component]
pub fn Row(entry: EntryDto, now: i64) -> impl IntoView {
    let ctx = expect_context::<DriveContext>();
    let EntryDto {
        id,
        name,
        is_folder,
        size,
        mime,
        modified,
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
    let copying = Action::new(move |_: &()| copy(id));
    Effect::new(move || {
        if let Some(result) = copying.value().get() {
            match result {
                Ok(made) => {
                    let text = format!("Made a copy: “{}”.", made.name);
                    ctx.toast.set(Some(super::list::Toast::Info(text)));
                    ctx.refresh.run(());
                }
                Err(e) => ctx
                    .toast
                    .set(Some(super::list::Toast::Error(e.to_string()))),
            }
        }
    });
    let deleting = Action::new(move |_: &()| trash(id));
    Effect::new(move || {
        if let Some(result) = deleting.value().get() {
            match result {
                Ok(()) => {
                    ctx.toast.set(Some(super::list::Toast::Trashed {
                        id,
                        name: name.get_value(),
                    }));
                    ctx.refresh.run(());
                }
                Err(e) => ctx
                    .toast
                    .set(Some(super::list::Toast::Error(e.to_string()))),
            }
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
            class:drop-target=move || over.get()
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
                match ev.key().as_str() {
                    "F2" => { ev.prevent_default(); editing.set(true); }
                    "Delete" => { ev.prevent_default(); deleting.dispatch(()); }
                    "Enter" if is_folder => { ev.prevent_default(); navigate(&format!("/folders/{id}"), Default::default()); }
                    "Enter" => { ev.prevent_default(); keys::download(id); }
                    "ArrowDown" => { ev.prevent_default(); keys::focus_sibling(&ev, true); }
                    "ArrowUp" => { ev.prevent_default(); keys::focus_sibling(&ev, false); }
                    _ => {}
                }
            }
            on:dragstart=move |ev| dnd::start(&ev, id)
            on:dragover=move |ev| if is_folder && dnd::accepts(&ev) { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false)
            on:drop=move |ev| if is_folder { over.set(false); dnd::drop_into(&ev, into, id, target_name.clone()); }>
            <td class="name-cell"><div class="name-wrap">
                <span class=format!("file-icon {icon}") aria-hidden="true"></span>
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
                    Either::Right(entry_link(id, is_folder, name.get_value()))
                }}
            </div></td>
            <td class="size">{shown_size}</td>
            <td class="modified">{relative_time(modified, now)}</td>
            <td class="actions">
                <a class="button small ghost download-button" href=format!("/api/v1/nodes/{id}/content")
                    aria-label=format!("Download {label}")>
                    {if is_folder { "Download zip" } else { "Download" }}
                </a>
                {(!is_folder).then(|| {
                    let versions = expect_context::<super::versions_panel::VersionsOpen>().0;
                    let label = label.clone();
                    view! {
                        <button class="button small ghost versions-button" type="button"
                            aria-label=format!("Versions of {label}")
                            on:click=move |_| versions.set(Some((id, name.get_value())))>
                            "Versions"
                        </button>
                    }
                })}
                <button class="button small ghost copy-button" type="button"
                    aria-label=format!("Make a copy of {label}") on:click=move |_| { copying.dispatch(()); }>
                    "Copy"
                </button>
                <button class="button small ghost rename-button" type="button"
                    aria-label=format!("Rename {label}") on:click=move |_| editing.set(true)>
                    "Rename"
                </button>
                <button class="button small ghost delete-button" type="button"
                    aria-label=format!("Delete {label}") on:click=move |_| { deleting.dispatch(()); }>
                    "Delete"
                </button>
            </td>
        </tr>
    }
}

fn entry_link(id: Uuid, is_folder: bool, name: String) -> impl IntoView {
    if is_folder {
        Either::Left(view! { <a class="entry-name" href=format!("/folders/{id}")>{name}</a> })
    } else {
        Either::Right(view! {
            <a class="entry-name" href=format!("/api/v1/nodes/{id}/content")>{name}</a>
        })
    }
}

/// The icon's class from the kind of file.
fn icon_class(is_folder: bool, mime: Option<&str>) -> &'static str {
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
