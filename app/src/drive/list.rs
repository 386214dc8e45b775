//! A folder's page: breadcrumbs, the toolbar (or the selection's bar), the entries (folders
//! first, sortable, a page at a time, as a list or a grid), the context menu, the "Move to…"
//! dialog, and a toast that can undo a delete.

use leptos::{
    either::{Either, EitherOf3},
    ev,
    prelude::*,
};
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use super::{
    api::{create_folder, list_folder},
    context::DriveContext,
    dnd,
    menu::ContextMenu,
    move_dialog::MoveDialog,
    row::Row,
    select::{SelectAll, SelectionBar},
    upload::UploadQueue,
    upload_panel::{DropZone, UploadButtons},
    view_mode::ViewToggle,
};
use crate::dto::{Crumb, EntryDto, FolderPage, SortKey};
use crate::error::AppError;

use super::toast::ToastView;

#[component]
pub fn FolderView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let folder = move || {
        params
            .read()
            .get("id")
            .and_then(|s| Uuid::parse_str(&s).ok())
    };
    let sort = move || SortKey::parse(query.read().get("sort").as_deref());
    let descending = move || query.read().get("order").as_deref() == Some("desc");
    let page = Resource::new(
        move || (folder(), sort(), descending()),
        |(folder, sort, descending)| list_folder(folder, sort, descending, None),
    );
    provide_context(super::versions_panel::VersionsOpen(RwSignal::new(None)));
    let here = Signal::derive(move || {
        page.get()
            .and_then(Result::ok)
            .and_then(|p| p.path.last().map(|c| c.id))
    });
    let ctx = DriveContext::new(Callback::new(move |()| page.refetch()), here);
    provide_context(ctx);
    // Changes made anywhere else (another person, tab or node) to what this folder shows.
    crate::components::live::follow(
        move |change| {
            let listed: Vec<Uuid> = ctx
                .entries
                .try_with_value(|e| e.iter().map(|x| x.id).collect())
                .unwrap_or_default();
            change.touches(here.try_get_untracked().flatten(), &listed)
        },
        move || ctx.refresh_soon(),
    );
    let toast = ctx.toast;
    // Another folder: nothing of the last one stays selected.
    Effect::watch(
        folder,
        move |_, _, _| {
            ctx.clear_selection();
            ctx.entries.set_value(Vec::new());
            ctx.viewing.set(None);
        },
        false,
    );
    // A finished upload may have landed here: show it (once for many finishing together).
    let queue = expect_context::<UploadQueue>();
    Effect::watch(
        move || queue.finished.get(),
        move |_, _, _| ctx.refresh_soon(),
        false,
    );
    view! {
        <Transition fallback=|| view! { <p class="muted loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => EitherOf3::A(view! { <Folder page=page sort=sort() descending=descending()/> }),
                    // The server cannot reach its database or storage for a moment: say
                    // so, and ask again by itself after the time it asked for.
                    Err(AppError::Unavailable { retry_after_secs }) => {
                        #[cfg(feature = "hydrate")]
                        set_timeout(
                            move || page.refetch(),
                            std::time::Duration::from_secs(retry_after_secs.clamp(1, 30)),
                        );
                        let _ = retry_after_secs;
                        EitherOf3::B(view! {
                            <div class="page-head"><h1>"Files"</h1></div>
                            <p class="muted busy" role="status">"Server busy, retrying…"</p>
                        })
                    }
                    Err(e) => EitherOf3::C(view! {
                        <div class="page-head"><h1>"Files"</h1></div>
                        <p class="form-error" role="alert">{e.to_string()}</p>
                    }),
                }
            })}
        </Transition>
        <super::versions_panel::VersionsPanel/>
        <ContextMenu/>
        <MoveDialog/>
        <super::share_dialog::ShareDialog/>
        <super::viewer::Viewer files=ctx.entries open=ctx.viewing source=super::viewer::Source::Drive/>
        <ToastView toast=toast/>
    }
}

#[component]
fn Folder(page: FolderPage, sort: SortKey, descending: bool) -> impl IntoView {
    let FolderPage {
        path,
        shared_by,
        entries,
        next_cursor,
        now,
    } = page;
    let here = path.last().cloned();
    let shared = shared_by.is_some();
    // Someone else's folder has no "My files" above it: its path starts where it was shared.
    let at_root = path.len() <= 1 && !shared;
    let title = match (&here, at_root) {
        (Some(crumb), false) => crumb.name.clone(),
        _ => "My files".to_owned(),
    };
    let folder_id = here.map(|c| c.id);
    let empty = entries.is_empty() && next_cursor.is_none();
    let parent = folder_id.unwrap_or_default();
    // `?open={id}` (a search result): that file opens in the viewer.
    let opened = use_query_map()
        .read_untracked()
        .get("open")
        .and_then(|s| Uuid::parse_str(&s).ok())
        .filter(|id| entries.iter().any(|e| e.id == *id && !e.is_folder));
    if let Some(id) = opened {
        let ctx = expect_context::<DriveContext>();
        Effect::new(move |_| ctx.viewing.set(Some(id)));
    }
    view! {
        <leptos_meta::Title text=title.clone()/>
        <DropZone parent=parent>
        {(!at_root).then(|| view! { <Breadcrumbs path=path shared=shared/> }.into_any())}
        {shared_by.map(|owner| view! { <p class="muted shared-by">{format!("Shared with you by {owner}")}</p> })}
        <div class="page-head">
            <h1>{title}</h1>
            {view! {
                <div class="toolbar">
                    <UploadButtons parent=parent/>
                    <NewFolder parent=parent/>
                    <ViewToggle/>
                </div>
            }.into_any()}
        </div>
        <SelectionBar/>
        {if empty {
            view! {
                <section class="empty-state" aria-labelledby="empty-title">
                    <svg class="empty-icon" viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/>
                    </svg>
                    <h2 id="empty-title">
                        {if at_root { "Your drive is empty" } else { "This folder is empty" }}
                    </h2>
                    <p class="muted">"Files and folders you add will appear here."</p>
                </section>
            }.into_any()
        } else {
            view! {
                <table class="entries">
                    <thead>
                        <tr>
                            <th class="select"><SelectAll/></th>
                            <SortHeader label="Name" key=SortKey::Name sort=sort descending=descending/>
                            <SortHeader label="Size" key=SortKey::Size sort=sort descending=descending/>
                            <SortHeader label="Modified" key=SortKey::Modified sort=sort descending=descending/>
                            <th class="actions"><span class="visually-hidden">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {entries.into_iter().map(|entry| view! { <Row entry=entry now=now/> }).collect_view()}
                    </tbody>
                    {next_cursor.zip(folder_id).map(|(cursor, folder)| view! {
                        <LoadMore folder=folder cursor=cursor sort=sort descending=descending now=now/>
                    })}
                </table>
            }.into_any()
        }}
        </DropZone>
    }
}

#[component]
fn Breadcrumbs(path: Vec<Crumb>, shared: bool) -> impl IntoView {
    let last = path.len().saturating_sub(1);
    let into = dnd::Drop::here();
    view! {
        <nav class="breadcrumbs" aria-label="Folder path">
            <ol>
                {path.into_iter().enumerate().map(|(i, crumb)| {
                    let own_root = i == 0 && !shared;
                    let name = if own_root { "My files".to_owned() } else { crumb.name };
                    let href = if own_root { "/".to_owned() } else { format!("/folders/{}", crumb.id) };
                    if i == last {
                        Either::Left(view! { <li><span aria-current="page">{name}</span></li> })
                    } else {
                        let over = RwSignal::new(false);
                        let (id, label) = (crumb.id, name.clone());
                        Either::Right(view! {
                            <li class:drop-target=move || over.get()
                                on:dragover=move |ev| if dnd::accepts(&ev) { ev.prevent_default(); over.set(true); }
                                on:dragleave=move |_| over.set(false)
                                on:drop=move |ev| { over.set(false); dnd::drop_into(&ev, into, id, label.clone()); }>
                                <a href=href>{name}</a>
                            </li>
                        })
                    }
                }).collect_view()}
            </ol>
        </nav>
    }
}

/// A column header that sorts by its key; again to reverse.
#[component]
fn SortHeader(label: &'static str, key: SortKey, sort: SortKey, descending: bool) -> impl IntoView {
    let active = key == sort;
    let next_desc = active && !descending;
    let href = format!(
        "?sort={}&order={}",
        key.as_str(),
        if next_desc { "desc" } else { "asc" }
    );
    let aria = match (active, descending) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    };
    let arrow = match (active, descending) {
        (false, _) => "",
        (true, false) => " ↑",
        (true, true) => " ↓",
    };
    view! {
        <th class=format!("sort-{}", key.as_str()) aria-sort=aria>
            <a href=href>{label}{arrow}</a>
        </th>
    }
}

/// The rest of a long folder, a page at a time (never thousands of rows at once).
#[component]
fn LoadMore(
    folder: Uuid,
    cursor: String,
    sort: SortKey,
    descending: bool,
    now: i64,
) -> impl IntoView {
    let rows = RwSignal::new(Vec::<EntryDto>::new());
    let next = RwSignal::new(Some(cursor));
    let error = RwSignal::new(None::<String>);
    let loading = Action::new(move |cursor: &String| {
        list_folder(Some(folder), sort, descending, Some(cursor.clone()))
    });
    Effect::new(move || {
        if let Some(result) = loading.value().get() {
            match result {
                Ok(page) => {
                    rows.update(|r| r.extend(page.entries));
                    next.set(page.next_cursor);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    view! {
        <tbody>
            <For each=move || rows.get() key=|e| e.id let:entry>
                <Row entry=entry now=now/>
            </For>
        </tbody>
        <tfoot>
            <tr><td colspan="5">
                {move || next.get().map(|cursor| view! {
                    <button class="button load-more" type="button" disabled=move || loading.pending().get()
                        on:click=move |_| { loading.dispatch(cursor.clone()); }>
                        "Show more"
                    </button>
                })}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            </td></tr>
        </tfoot>
    }
}

/// "New folder": a name, then the folder appears in the list.
#[component]
fn NewFolder(parent: Uuid) -> impl IntoView {
    let ctx = expect_context::<DriveContext>();
    let open = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let creating = Action::new(move |name: &String| create_folder(parent, name.clone()));
    Effect::new(move || {
        if let Some(result) = creating.value().get() {
            match result {
                Ok(_) => {
                    open.set(false);
                    error.set(None);
                    ctx.refresh.run(());
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    });
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move || {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(input) = input.get() {
            creating.dispatch(input.value());
        }
    };
    view! {
        <div class="new-folder">
            <button id="new-folder" class="button" type="button" on:click=move |_| open.update(|o| *o = !*o)>
                "New folder"
            </button>
            <Show when=move || open.get()>
                <form class="new-folder-form" on:submit=submit>
                    <input node_ref=input id="new-folder-name" aria-label="Folder name"
                        placeholder="Folder name" autofocus
                        on:keydown=move |ev: ev::KeyboardEvent| if ev.key() == "Escape" { open.set(false) }/>
                    <button class="button primary" type="submit">"Create"</button>
                    {move || error.get().map(|e| view! {
                        <p class="field-error" id="new-folder-error" role="alert">{e}</p>
                    })}
                </form>
            </Show>
        </div>
    }
}
