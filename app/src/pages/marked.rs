//! Starred (`/starred`) and Recent (`/recent`): flat lists of files and folders from anywhere
//! the person may look (their own drive and what is shared with them), each opening where it
//! lives: a folder in the drive, a file in its folder's viewer.

use leptos::{either::Either, prelude::*};

use crate::{
    components::layout::SignedIn,
    drive::{
        format::{human_size, relative_time},
        marks_api::{recent, starred},
        row::icon_class,
        thumb::Thumbnail,
        viewer::Source,
    },
    dto::PlacedEntry,
    error::AppError,
};

#[component]
pub fn StarredPage() -> impl IntoView {
    view! {
        <SignedIn>
            <leptos_meta::Title text="Starred"/>
            <div class="page-head"><h1>"Starred"</h1></div>
            <Placed load=Kind::Starred/>
        </SignedIn>
    }
}

#[component]
pub fn RecentPage() -> impl IntoView {
    view! {
        <SignedIn>
            <leptos_meta::Title text="Recent"/>
            <div class="page-head"><h1>"Recent"</h1></div>
            <Placed load=Kind::Recent/>
        </SignedIn>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Starred,
    Recent,
}

async fn fetch(kind: Kind) -> Result<Vec<PlacedEntry>, AppError> {
    match kind {
        Kind::Starred => starred().await,
        Kind::Recent => recent().await,
    }
}

#[component]
fn Placed(load: Kind) -> impl IntoView {
    let items = Resource::new(move || load, fetch);
    crate::components::live::follow(|_| true, move || items.refetch());
    let (title, hint) = match load {
        Kind::Starred => (
            "Nothing is starred yet",
            "Star a file or folder from its ⋯ menu (or press S on it) to find it here.",
        ),
        Kind::Recent => (
            "Nothing here yet",
            "Files you upload, change or open will appear here, newest first.",
        ),
    };
    view! {
        <Suspense fallback=|| view! { <p class="muted loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Err(e) => Either::Left(view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any()),
                    Ok(list) if list.is_empty() => Either::Left(view! {
                        <section class="empty-state">
                            <h2>{title}</h2>
                            <p class="muted">{hint}</p>
                        </section>
                    }.into_any()),
                    Ok(list) => {
                        let now = crate::drive::format::now_secs();
                        Either::Right(view! {
                            <ul class="placed-entries">
                                {list.into_iter().map(|p| view! { <PlacedRow placed=p now=now/> }).collect_view()}
                            </ul>
                        })
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn PlacedRow(placed: PlacedEntry, now: i64) -> impl IntoView {
    let link = crate::pages::search::hit::open_href(&placed.entry, placed.parent_id);
    let external = !placed.entry.is_folder && placed.parent_id.is_none();
    let PlacedEntry { entry, at, .. } = placed;
    let icon = icon_class(entry.is_folder, entry.mime.as_deref());
    let details = if entry.is_folder {
        relative_time(at, now)
    } else {
        format!("{} · {}", human_size(entry.size), relative_time(at, now))
    };
    let kind = if entry.is_folder { "folder" } else { "file" };
    let name = entry.name.clone();
    view! {
        <li class="placed-entry" data-kind=kind>
            <a class="hit" href=link rel=external.then_some("external") title=name>
                <span class="hit-icon">
                    <Thumbnail id=entry.id thumb=entry.thumb icon=icon source=Source::Drive/>
                </span>
                <span class="hit-body"><span class="hit-name">{entry.name}</span></span>
                <span class="hit-details muted">{details}</span>
            </a>
        </li>
    }
}
