//! The trash: what was deleted, most recent first; restore an item, delete it forever, or
//! empty the whole trash (after a confirmation).

use leptos::{either::Either, prelude::*};
use uuid::Uuid;

use super::{
    api::{empty_trash, purge, restore, trash_list},
    format::{human_size, relative_time},
};
use crate::dto::EntryDto;

#[component]
pub fn TrashView() -> impl IntoView {
    let page = Resource::new(|| (), |_| trash_list(None));
    let message = RwSignal::new(None::<String>);
    let refresh = Callback::new(move |()| page.refetch());
    crate::components::live::follow(|c| c.trash || c.resync, move || page.refetch());
    view! {
        <leptos_meta::Title text="Trash"/>
        <Suspense fallback=|| view! { <p class="muted loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let empty = page.entries.is_empty();
                        let retention = page.retention_days;
                        view! {
                            <div class="page-head">
                                <h1>"Trash"</h1>
                                {(!empty).then(|| view! { <EmptyTrash refresh=refresh message=message/> })}
                            </div>
                            <p class="muted">{format!(
                                "Items in the trash are deleted for good after {retention} days."
                            )}</p>
                            {if empty {
                                Either::Left(view! {
                                    <section class="empty-state" aria-labelledby="empty-title">
                                        <h2 id="empty-title">"The trash is empty"</h2>
                                        <p class="muted">"What you delete stays here for a while, in case you change your mind."</p>
                                    </section>
                                })
                            } else {
                                let now = page.now;
                                Either::Right(view! {
                                    <table class="entries trash">
                                        <thead><tr>
                                            <th>"Name"</th><th>"Size"</th><th>"Deleted"</th>
                                            <th class="actions"><span class="visually-hidden">"Actions"</span></th>
                                        </tr></thead>
                                        <tbody>
                                            {page.entries.into_iter().map(|entry| view! {
                                                <TrashRow entry=entry now=now refresh=refresh message=message/>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                })
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
        <div class="toast-region" aria-live="polite">
            {move || message.get().map(|text| view! {
                <div class="toast" role="status">
                    <span class="toast-text">{text}</span>
                    <button class="button small ghost" type="button" aria-label="Dismiss"
                        on:click=move |_| message.set(None)>"×"</button>
                </div>
            })}
        </div>
    }
}

#[component]
fn TrashRow(
    entry: EntryDto,
    now: i64,
    refresh: Callback<()>,
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let id: Uuid = entry.id;
    let name = StoredValue::new(entry.name.clone());
    let restoring = Action::new(move |_: &()| restore(id));
    let purging = Action::new(move |_: &()| purge(id));
    Effect::new(move || {
        if let Some(result) = restoring.value().get() {
            message.set(Some(match result {
                Ok(restored) => format!("Restored “{}”.", restored.name),
                Err(e) => e.to_string(),
            }));
            refresh.run(());
        }
    });
    Effect::new(move || {
        if let Some(result) = purging.value().get() {
            message.set(Some(match result {
                Ok(()) => format!("Deleted “{}” forever.", name.get_value()),
                Err(e) => e.to_string(),
            }));
            refresh.run(());
        }
    });
    let icon = if entry.is_folder {
        "icon-folder"
    } else {
        "icon-file"
    };
    let size = if entry.is_folder {
        "—".to_owned()
    } else {
        human_size(entry.size)
    };
    let deleted = entry
        .trashed
        .map(|t| relative_time(t, now))
        .unwrap_or_default();
    let label = entry.name.clone();
    view! {
        <tr class="entry" data-id=id.to_string()>
            <td class="name-cell"><div class="name-wrap">
                <span class=format!("file-icon {icon}") aria-hidden="true"></span>
                <span class="entry-name">{entry.name}</span>
            </div></td>
            <td class="size">{size}</td>
            <td class="modified">{deleted}</td>
            <td class="actions">
                <button class="button small restore-button" type="button" aria-label=format!("Restore {label}")
                    on:click=move |_| { restoring.dispatch(()); }>"Restore"</button>
                <button class="button small ghost purge-button" type="button" aria-label=format!("Delete {label} forever")
                    on:click=move |_| { purging.dispatch(()); }>"Delete forever"</button>
            </td>
        </tr>
    }
}

/// "Empty trash", then a confirmation: nothing is deleted for good by one stray click.
#[component]
fn EmptyTrash(refresh: Callback<()>, message: RwSignal<Option<String>>) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let emptying = Action::new(move |_: &()| empty_trash());
    Effect::new(move || {
        if let Some(result) = emptying.value().get() {
            confirming.set(false);
            message.set(Some(match result {
                Ok(n) => format!("Deleted {n} item{} forever.", if n == 1 { "" } else { "s" }),
                Err(e) => e.to_string(),
            }));
            refresh.run(());
        }
    });
    view! {
        <div class="toolbar">
            <Show when=move || confirming.get() fallback=move || view! {
                <button id="empty-trash" class="button" type="button" on:click=move |_| confirming.set(true)>
                    "Empty trash"
                </button>
            }>
                <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
                    <span id="confirm-text">"Delete everything in the trash forever?"</span>
                    <button id="confirm-empty" class="button danger" type="button"
                        on:click=move |_| { emptying.dispatch(()); }>"Delete forever"</button>
                    <button class="button" type="button" on:click=move |_| confirming.set(false)>"Cancel"</button>
                </div>
            </Show>
        </div>
    }
}
