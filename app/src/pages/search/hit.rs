//! One search result: icon or thumbnail, name, folder, highlighted snippet, size and date.

use leptos::prelude::*;

use crate::{
    drive::{
        format::{human_size, relative_time},
        row::icon_class,
        thumb::Thumbnail,
        viewer::Source,
    },
    dto::{SearchHit, SnippetPart},
};

/// Where a hit opens: a folder in the drive, a file in the viewer of its folder (or, when its
/// folder is not the searcher's to open, the file itself).
pub fn href(hit: &SearchHit) -> String {
    open_href(&hit.entry, hit.parent_id)
}

/// Where an entry shown away from its folder opens (search, Starred, Recent): a folder in the
/// drive, a file in the viewer of its folder `parent` (or, with none to open, the file itself).
pub fn open_href(e: &crate::dto::EntryDto, parent: Option<uuid::Uuid>) -> String {
    match (e.is_folder, parent) {
        (true, _) => format!("/folders/{}", e.id),
        (false, Some(parent)) => format!("/folders/{parent}?open={}", e.id),
        (false, None) => format!("/api/v1/nodes/{}/content", e.id),
    }
}

/// The snippet with its matched words in `<mark>` (text only, never markup from the file).
#[component]
pub fn Snippet(parts: Vec<SnippetPart>) -> impl IntoView {
    view! {
        <span class="hit-snippet">
            {parts.into_iter().map(|p| if p.hit {
                view! { <mark>{p.text}</mark> }.into_any()
            } else {
                p.text.into_any()
            }).collect_view()}
        </span>
    }
}

#[component]
pub fn Hit(hit: SearchHit, now: i64, #[prop(optional)] compact: bool) -> impl IntoView {
    let link = href(&hit);
    let external = !hit.entry.is_folder && hit.parent_id.is_none();
    let SearchHit {
        entry,
        path,
        owner,
        snippet,
        ..
    } = hit;
    let icon = icon_class(entry.is_folder, entry.mime.as_deref());
    let details = if entry.is_folder {
        relative_time(entry.modified, now)
    } else {
        format!(
            "{} · {}",
            human_size(entry.size),
            relative_time(entry.modified, now)
        )
    };
    let folder = match owner {
        Some(owner) => format!("{path} · {owner}"),
        None => path,
    };
    view! {
        <a class="hit" class:compact=compact href=link rel=external.then_some("external")>
            <span class="hit-icon">
                <Thumbnail id=entry.id thumb=entry.thumb icon=icon source=Source::Drive/>
            </span>
            <span class="hit-body">
                <span class="hit-name">{entry.name}</span>
                <span class="hit-path muted">{folder}</span>
                {(!snippet.is_empty()).then(|| view! { <Snippet parts=snippet/> })}
            </span>
            {(!compact).then(|| view! { <span class="hit-details muted">{details}</span> })}
        </a>
    }
}
