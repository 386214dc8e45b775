//! The viewer: a file opened over the page. Images (fit or actual size, zoom), PDF pages,
//! text and code (highlighted by the server), audio and video (the browser's players over
//! Range requests), and for anything else a card with Download. Arrow keys go to the
//! previous or next file of the folder, Escape closes.

use leptos::{either::EitherOf6, ev, prelude::*};
use uuid::Uuid;

use super::format::human_size;
use crate::dto::{EntryDto, Thumb};

/// Where a file's bytes and renderings are: the drive's API, or a public link's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Drive,
    Link(String),
}

impl Source {
    pub fn content(&self, id: Uuid) -> String {
        match self {
            Self::Drive => format!("/api/v1/nodes/{id}/content"),
            Self::Link(token) => format!("/s/{token}/content?id={id}"),
        }
    }

    pub fn thumbnail(&self, id: Uuid, size: u32, tag: &str) -> String {
        match self {
            Self::Drive => format!("/api/v1/nodes/{id}/thumbnail?size={size}&v={tag}"),
            Self::Link(token) => format!("/s/{token}/thumbnail?id={id}&size={size}&v={tag}"),
        }
    }

    pub fn page(&self, id: Uuid, page: u32, tag: &str) -> String {
        match self {
            Self::Drive => format!("/api/v1/nodes/{id}/pages/{page}?v={tag}"),
            Self::Link(token) => format!("/s/{token}/pages/{page}?id={id}&v={tag}"),
        }
    }
}

/// A plain left click (no modifier): it opens the viewer; others keep the link's own meaning
/// (a new tab, "Save link as").
pub fn plain_click(ev: &ev::MouseEvent) -> bool {
    !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() || ev.button() != 0)
}

/// What the viewer shows for a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    Image,
    Pdf,
    Text,
    Video,
    Audio,
    Card,
}

impl Shown {
    pub fn of(entry: &EntryDto) -> Self {
        let mime = entry.mime.as_deref().unwrap_or_default();
        let ext = entry
            .name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let pdf_pages = matches!(entry.thumb, Thumb::Ready { pages: Some(_), .. });
        match (mime, ext.as_str()) {
            // An office document shows the pages of the PDF it became.
            _ if pdf_pages => Self::Pdf,
            // A HEIC photo or an SVG drawing: its rendering, never the file itself.
            _ if is_rendered_only(mime, &ext) => match entry.thumb {
                Thumb::Ready { .. } => Self::Image,
                _ => Self::Card,
            },
            (m, _) if m.starts_with("image/") => Self::Image,
            (m, _) if m.starts_with("video/") => Self::Video,
            (m, _) if m.starts_with("audio/") => Self::Audio,
            (_, "mp4" | "webm" | "mov" | "m4v") => Self::Video,
            (_, "mp3" | "ogg" | "oga" | "wav" | "flac" | "m4a" | "opus") => Self::Audio,
            (m, _) if m.starts_with("text/") && m != "text/html" => Self::Text,
            (_, e) if crate::drive::format::is_text_ext(e) => Self::Text,
            _ => Self::Card,
        }
    }
}

/// Pictures the browser is never given as they are: SVG (it could run script in the page's
/// origin) and HEIC (browsers cannot show it); the viewer shows their rendering.
fn is_rendered_only(mime: &str, ext: &str) -> bool {
    matches!(mime, "image/svg+xml" | "image/heic" | "image/heif")
        || matches!(ext, "svg" | "heic" | "heif" | "hif")
}

/// The viewer over the page while `open` holds a file of `files`.
#[component]
pub fn Viewer(
    files: StoredValue<Vec<EntryDto>>,
    open: RwSignal<Option<Uuid>>,
    source: Source,
) -> impl IntoView {
    let source = StoredValue::new(source);
    let current = move || {
        let id = open.get()?;
        files.with_value(|f| f.iter().find(|e| e.id == id).cloned())
    };
    // The previous (-1) or next (+1) file of the folder.
    let step = move |by: isize| {
        let Some(id) = open.get_untracked() else {
            return;
        };
        files.with_value(|f| {
            let list: Vec<&EntryDto> = f.iter().filter(|e| !e.is_folder).collect();
            if let Some(at) = list.iter().position(|e| e.id == id) {
                let next = at as isize + by;
                if next >= 0 && (next as usize) < list.len() {
                    open.set(Some(list[next as usize].id));
                }
            }
        });
    };
    let zoomed = RwSignal::new(false);
    Effect::watch(move || open.get(), move |_, _, _| zoomed.set(false), false);
    let keydown = move |ev: ev::KeyboardEvent| match ev.key().as_str() {
        "Escape" => {
            ev.prevent_default();
            open.set(None);
        }
        "ArrowLeft" => {
            ev.prevent_default();
            step(-1);
        }
        "ArrowRight" => {
            ev.prevent_default();
            step(1);
        }
        "+" | "=" => zoomed.set(true),
        "-" => zoomed.set(false),
        _ => {}
    };
    let dialog = NodeRef::<leptos::html::Div>::new();
    Effect::new(move || {
        if let (Some(_), Some(el)) = (open.get(), dialog.get()) {
            let _ = el.focus();
        }
    });
    move || {
        current().map(|entry| {
            let id = entry.id;
            let shown = Shown::of(&entry);
            let download = source.with_value(|s| s.content(id));
            let name = entry.name.clone();
            view! {
                <div class="viewer-backdrop" on:click=move |_| open.set(None)>
                <div class="viewer" role="dialog" aria-modal="true" aria-label=format!("Preview of {name}")
                    tabindex="-1" node_ref=dialog on:keydown=keydown
                    on:click=|ev: ev::MouseEvent| ev.stop_propagation()>
                    <header class="viewer-bar">
                        <h2 class="viewer-title">{entry.name.clone()}</h2>
                        {(shown == Shown::Image).then(|| view! {
                            <button class="button small ghost zoom-button" type="button"
                                aria-pressed=move || zoomed.get().to_string()
                                on:click=move |_| zoomed.update(|z| *z = !*z)>
                                {move || if zoomed.get() { "Fit" } else { "Actual size" }}
                            </button>
                        })}
                        <a class="button small" rel="external" href=download.clone()>"Download"</a>
                        <button class="button small ghost viewer-close" type="button" aria-label="Close preview"
                            on:click=move |_| open.set(None)>"✕"</button>
                    </header>
                    <button class="viewer-step previous" type="button" aria-label="Previous file"
                        on:click=move |_| step(-1)>"‹"</button>
                    <div class="viewer-body" class:zoomed=move || zoomed.get()>
                        {body(entry, shown, source.get_value(), zoomed)}
                    </div>
                    <button class="viewer-step next" type="button" aria-label="Next file"
                        on:click=move |_| step(1)>"›"</button>
                </div>
                </div>
            }
        })
    }
}

fn body(entry: EntryDto, shown: Shown, source: Source, zoomed: RwSignal<bool>) -> impl IntoView {
    let id = entry.id;
    let content = source.content(id);
    let tag = match &entry.thumb {
        Thumb::Ready { tag, .. } => Some(tag.clone()),
        _ => None,
    };
    let rendered_only = is_rendered_only(
        entry.mime.as_deref().unwrap_or_default(),
        &entry
            .name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default(),
    );
    match shown {
        Shown::Image => {
            // The 1024 rendering fits a screen and is upright; actual size is the original
            // (but for pictures only their rendering may show).
            let fitted = tag
                .as_ref()
                .map_or_else(|| content.clone(), |t| source.thumbnail(id, 1024, t));
            let src = move || {
                if zoomed.get() && !rendered_only {
                    content.clone()
                } else {
                    fitted.clone()
                }
            };
            EitherOf6::A(view! { <img class="viewer-image" src=src alt=entry.name/> })
        }
        Shown::Pdf => {
            let pages = match &entry.thumb {
                Thumb::Ready { pages: Some(n), .. } => *n,
                _ => 0,
            };
            let tag = tag.unwrap_or_default();
            EitherOf6::B(view! {
                <div class="viewer-pages">
                    {(1..=pages).map(|n| view! {
                        <img class="viewer-page" loading="lazy" src=source.page(id, n, &tag)
                            alt=format!("Page {n} of {pages}")/>
                    }).collect_view()}
                </div>
            })
        }
        Shown::Text => EitherOf6::C(view! { <TextView id=id source=source/> }),
        Shown::Video => {
            // The poster frame shows before it plays.
            let poster = tag.as_ref().map(|t| source.thumbnail(id, 1024, t));
            EitherOf6::D(view! {
                <video class="viewer-media" controls preload="metadata" poster=poster src=content></video>
            })
        }
        Shown::Audio => EitherOf6::E(view! {
            <audio class="viewer-media" controls preload="metadata" src=content></audio>
        }),
        Shown::Card => EitherOf6::F(view! {
            <div class="viewer-card">
                <span class="file-icon icon-file" aria-hidden="true"></span>
                <p class="viewer-card-name">{entry.name}</p>
                <p class="muted">{human_size(entry.size)}" · No preview for this kind of file"</p>
                <a class="button" rel="external" href=content>"Download"</a>
            </div>
        }),
    }
}

/// A text file's start, highlighted by the server.
#[component]
fn TextView(id: Uuid, source: Source) -> impl IntoView {
    let text = Resource::new(
        move || (id, source.clone()),
        |(id, source)| async move {
            match source {
                Source::Drive => super::api::text_preview(id).await,
                Source::Link(token) => {
                    crate::pages::shared_link::link_text_preview(token, Some(id)).await
                }
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || text.get().map(|result| match result {
                Ok(preview) => view! {
                    <div class="viewer-text">
                        <pre class="code" inner_html=preview.html></pre>
                        {preview.truncated.then(|| view! {
                            <p class="muted">"Only the start of this file is shown. Download it to see all of it."</p>
                        })}
                    </div>
                }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}
