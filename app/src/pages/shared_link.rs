//! `/s/{token}`: what a public link's recipient sees, no account needed. A file: its card and
//! a Download button. A folder: its entries (browse with `?folder=`), each downloadable, and
//! the whole folder as a zip. A password first when the link has one; a clear page when the
//! link is gone (410). Never indexed; titles and previews name only what the link shows.

use leptos::{either::Either, ev, prelude::*};
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

use crate::{
    drive::{
        format::{human_size, relative_time},
        row::icon_class,
        thumb::Thumbnail,
        upload::UploadQueue,
        upload_panel::UploadPanel,
        viewer::{plain_click, Shown, Source, Viewer},
    },
    dto::{EntryDto, LinkPage, LinkRole, Thumb},
    error::AppError,
};

#[server(endpoint = "links/page")]
pub async fn open_link(token: String, folder: Option<Uuid>) -> Result<LinkPage, AppError> {
    let services = crate::auth::session::services()?;
    let unlocked = crate::auth::session::unlocked_links().await?;
    let result = services.links.page(token, folder, unlocked).await;
    if let Err(e) = &result {
        crate::auth::session::page_status(e);
    }
    result
}

#[server(endpoint = "links/text_preview")]
pub async fn link_text_preview(
    token: String,
    id: Option<Uuid>,
) -> Result<crate::dto::TextPreview, AppError> {
    crate::auth::session::with_status(
        async {
            let services = crate::auth::session::services()?;
            let unlocked = crate::auth::session::unlocked_links().await?;
            services.links.text_preview(token, id, unlocked).await
        }
        .await,
    )
}

#[server(endpoint = "links/unlock")]
pub async fn unlock_link(token: String, password: String) -> Result<(), AppError> {
    crate::auth::session::with_status(
        async {
            let services = crate::auth::session::services()?;
            let ip = crate::auth::session::client_ip();
            let id = services.links.unlock(token, password, ip).await?;
            crate::auth::session::remember_link(id).await
        }
        .await,
    )
}

#[component]
pub fn SharedLinkPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let folder = move || {
        query
            .read()
            .get("folder")
            .and_then(|f| Uuid::parse_str(&f).ok())
    };
    let page = Resource::new(move || (token(), folder()), |(t, f)| open_link(t, f));
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <div class="public-page">
            <header class="topbar public-top">
                <a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span>"GoSync"</a>
                <span class="muted">"Shared with you"</span>
            </header>
            <main id="content" class="public-content">
                <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match page.await {
                            Ok(p) if p.locked => Either::Left(Either::Left(view! {
                                <Locked token=p.token refetch=Callback::new(move |()| page.refetch())/>
                            })),
                            Ok(p) => Either::Left(Either::Right(view! { <Shown page=p/> })),
                            Err(e) => Either::Right(view! { <Unavailable error=e/> }),
                        }
                    })}
                </Transition>
            </main>
        </div>
    }
}

#[component]
fn Unavailable(error: AppError) -> impl IntoView {
    let (title, text) = match error {
        AppError::Gone => (
            "This link is no longer available",
            "It was turned off, has expired, or has been used up. Ask the person who sent it for a new one.",
        ),
        AppError::NotFound => (
            "This link does not exist",
            "Check that you copied all of it, or ask the person who sent it.",
        ),
        _ => ("This link cannot be opened right now", "Please try again in a moment."),
    };
    view! {
        <Title text=title/>
        <section class="card narrow link-card" id="link-unavailable">
            <h1>{title}</h1>
            <p class="muted">{text}</p>
        </section>
    }
}

#[component]
fn Locked(token: String, refetch: Callback<()>) -> impl IntoView {
    let unlocking = Action::new(move |(t, p): &(String, String)| unlock_link(t.clone(), p.clone()));
    let error = RwSignal::new(None::<String>);
    Effect::new(move || match unlocking.value().get() {
        Some(Ok(())) => refetch.run(()),
        Some(Err(e)) => error.set(Some(e.to_string())),
        None => {}
    });
    let input = NodeRef::<leptos::html::Input>::new();
    let token = StoredValue::new(token);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(input) = input.get() {
            unlocking.dispatch((token.get_value(), input.value()));
        }
    };
    view! {
        <Title text="Protected link"/>
        <section class="card narrow link-card">
            <h1>"This link is protected"</h1>
            <p class="muted">"Enter the password you were given."</p>
            <form class="form" id="unlock-form" on:submit=submit>
                <label for="link-password">"Password"</label>
                <input node_ref=input id="link-password" type="password" autocomplete="off" required/>
                {move || error.get().map(|e| view! { <p class="field-error" id="link-password-error" role="alert">{e}</p> })}
                <button class="button primary wide" type="submit" disabled=move || unlocking.pending().get()>"Open"</button>
            </form>
        </section>
    }
}

#[component]
fn Shown(page: LinkPage) -> impl IntoView {
    let LinkPage {
        token,
        role,
        item,
        path,
        entries,
        owner_name,
        now,
        ..
    } = page;
    let Some(item) = item else {
        return Either::Left(view! { <p class="muted">"Nothing to show."</p> }.into_any());
    };
    if role == LinkRole::Uploader {
        let to = owner_name.clone().unwrap_or_else(|| "the owner".to_owned());
        return Either::Left(view! {
            <Title text=item.name.clone()/>
            <Meta property="og:title" content=item.name.clone()/>
            <section class="link-dropbox">
                <h1>{item.name.clone()}</h1>
                <p class="muted">{format!("Send files to {to}. Only they see what is sent here; you see your own uploads below.")}</p>
                <LinkDrop token=token parent=item.id/>
            </section>
        }.into_any());
    }
    let editable = role == LinkRole::Editor && item.is_folder;
    let by = owner_name
        .map(|o| format!("Shared by {o}"))
        .unwrap_or_default();
    let description = if item.is_folder {
        format!("A folder shared with GoSync · {} items", entries.len())
    } else {
        format!("A file shared with GoSync · {}", human_size(item.size))
    };
    let open = RwSignal::new(None::<Uuid>);
    let root = path.first().map(|c| c.id);
    let zip = match root {
        Some(r) if r != item.id => format!("/s/{token}/content?id={}", item.id),
        _ => format!("/s/{token}/content"),
    };
    Either::Right(view! {
        <Title text=item.name.clone()/>
        <Meta property="og:title" content=item.name.clone()/>
        <Meta property="og:description" content=description/>
        <Meta property="og:type" content="website"/>
        {if item.is_folder {
            let source = Source::Link(token.clone());
            let files = StoredValue::new(entries.clone());
            let token = StoredValue::new(token);
            Either::Left(view! {
                <Viewer files=files open=open source=source.clone()/>
                <section class="link-folder">
                    {(path.len() > 1).then(|| view! {
                        <nav class="breadcrumbs" aria-label="Folder path"><ol>
                            {path.iter().enumerate().map(|(i, c)| {
                                let href = if i == 0 { format!("/s/{}", token.get_value()) } else { format!("/s/{}?folder={}", token.get_value(), c.id) };
                                view! { <li><a href=href>{c.name.clone()}</a></li> }
                            }).collect_view()}
                        </ol></nav>
                    })}
                    <div class="page-head">
                        <h1>{item.name.clone()}</h1>
                        <a id="link-download" class="button primary" rel="external" href=zip>"Download all (zip)"</a>
                    </div>
                    <p class="muted">{by}</p>
                    {editable.then(|| view! { <LinkDrop token=token.get_value() parent=item.id/> })}
                    {if entries.is_empty() {
                        Either::Left(view! { <p class="empty-state">"This folder is empty."</p> })
                    } else {
                        Either::Right(view! {
                            <table class="entries link-entries"><tbody>
                                {entries.into_iter().map(|e| view! { <LinkRow entry=e token=token.get_value() now=now open=open/> }).collect_view()}
                            </tbody></table>
                        })
                    }}
                </section>
            })
        } else {
            let source = Source::Link(token.clone());
            let id = item.id;
            let previewable = Shown::of(&item) != Shown::Card;
            let picture = match &item.thumb {
                Thumb::Ready { tag, .. } => Either::Left(view! {
                    <button class="link-preview" type="button" aria-label="Open the preview"
                        on:click=move |_| open.set(Some(id))>
                        <img src=source.thumbnail(id, 1024, tag) alt=format!("Preview of {}", item.name)/>
                    </button>
                }),
                _ => Either::Right(view! { <span class="file-icon big icon-file" aria-hidden="true"></span> }),
            };
            let files = StoredValue::new(vec![item.clone()]);
            Either::Right(view! {
                <Viewer files=files open=open source=source.clone()/>
                <section class="card narrow link-card" id="link-file">
                    {picture}
                    <h1 class="link-name">{item.name.clone()}</h1>
                    <p class="muted">{human_size(item.size)}" · "{relative_time(item.modified, now)}</p>
                    <p class="muted">{by}</p>
                    {previewable.then(|| view! {
                        <button id="link-preview" class="button wide" type="button"
                            on:click=move |_| open.set(Some(id))>"Preview"</button>
                    })}
                    <a id="link-download" class="button primary wide" rel="external" href=format!("/s/{token}/content")>"Download"</a>
                </section>
            })
        }}
    }.into_any())
}

/// Files dropped or picked here go up through the link; the panel shows this browser's own.
#[component]
fn LinkDrop(token: String, parent: Uuid) -> impl IntoView {
    let queue = expect_context::<UploadQueue>();
    let endpoint = StoredValue::new(format!("/s/{token}/uploads"));
    let over = RwSignal::new(false);
    let picked = move |ev: ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let input = event_target::<web_sys::HtmlInputElement>(&ev);
            queue.add_to(input.into(), parent, Some(endpoint.get_value()));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, queue, parent, endpoint);
    };
    let drop = move |ev: ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        #[cfg(feature = "hydrate")]
        if let Some(data) = ev.data_transfer() {
            queue.add_to(data.into(), parent, Some(endpoint.get_value()));
        }
    };
    view! {
        <div class="drop-zone link-drop" class:drag-over=move || over.get()
            on:dragover=move |ev: ev::DragEvent| { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false) on:drop=drop>
            <p>"Drop files or folders here, or"</p>
            <label class="button primary upload-button">
                "Choose files"
                <input id="link-upload-files" class="visually-hidden" type="file" multiple on:change=picked/>
            </label>
        </div>
        <UploadPanel/>
    }
}

#[component]
fn LinkRow(
    entry: EntryDto,
    token: String,
    now: i64,
    open: RwSignal<Option<Uuid>>,
) -> impl IntoView {
    let id = entry.id;
    let href = if entry.is_folder {
        format!("/s/{token}?folder={id}")
    } else {
        format!("/s/{token}/content?id={id}")
    };
    let icon = icon_class(entry.is_folder, entry.mime.as_deref());
    let is_folder = entry.is_folder;
    // A file's name opens the viewer; its address stays the download (new tab, "Save as").
    let click = move |ev: ev::MouseEvent| {
        if !is_folder && plain_click(&ev) {
            ev.prevent_default();
            open.set(Some(id));
        }
    };
    view! {
        <tr class="entry" data-kind=if entry.is_folder { "folder" } else { "file" }>
            <td class="name-cell"><div class="name-wrap">
                <Thumbnail id=id thumb=entry.thumb.clone() icon=icon source=Source::Link(token.clone())/>
                <a class="entry-name" rel=(!entry.is_folder).then_some("external") href=href on:click=click>{entry.name}</a>
            </div></td>
            <td class="size">{if entry.is_folder { "—".to_owned() } else { human_size(entry.size) }}</td>
            <td class="modified">{relative_time(entry.modified, now)}</td>
        </tr>
    }
}
