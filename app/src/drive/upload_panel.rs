//! The upload buttons and drop zone of a folder, and the panel listing every upload with its
//! own progress bar, speed and time left, the overall progress, and pause/resume/cancel/retry.

use leptos::{either::Either, ev, prelude::*};
use uuid::Uuid;

use super::{
    format::human_size,
    upload::{Control, UploadItem, UploadQueue, UploadState},
};

/// "Upload files" and "Upload folder": hidden file inputs behind two buttons.
#[component]
pub fn UploadButtons(parent: Uuid) -> impl IntoView {
    let queue = expect_context::<UploadQueue>();
    let picked = move |ev: ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            let input = event_target::<web_sys::HtmlInputElement>(&ev);
            queue.add_from(input.into(), parent);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, queue, parent);
    };
    view! {
        <label class="button primary upload-button">
            "Upload files"
            <input id="upload-files" class="visually-hidden" type="file" multiple on:change=picked/>
        </label>
        <label class="button upload-button">
            "Upload folder"
            <input id="upload-folder" class="visually-hidden" type="file" multiple
                prop:webkitdirectory=true on:change=picked/>
        </label>
    }
}

/// Files and folders dropped anywhere on the folder's page go into it.
#[component]
pub fn DropZone(parent: Uuid, children: Children) -> impl IntoView {
    let queue = expect_context::<UploadQueue>();
    let over = RwSignal::new(false);
    let drop = move |ev: ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        #[cfg(feature = "hydrate")]
        if let Some(data) = ev.data_transfer() {
            queue.add_from(data.into(), parent);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (queue, parent);
    };
    view! {
        <div class="drop-zone" class:drag-over=move || over.get()
            on:dragover=move |ev: ev::DragEvent| { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false)
            on:drop=drop>
            {children()}
            <div class="drop-hint" aria-hidden="true">"Drop files or folders to upload them here"</div>
        </div>
    }
}

/// Rows the panel shows at most.
const SHOWN: usize = 100;

#[component]
pub fn UploadPanel() -> impl IntoView {
    let queue = expect_context::<UploadQueue>();
    let open = RwSignal::new(true);
    // Once per change, for the three places that show it.
    let overall = Memo::new(move |_| {
        // Summed up as the queue ticks, not on every upload's every step.
        queue.tick.track();
        queue.items.with(|items| {
            let (mut done, mut total, mut left) = (0.0, 0.0, 0usize);
            for item in items {
                let (cancelled, finished) = item.state.with_untracked(|s| {
                    (
                        matches!(s, UploadState::Cancelled),
                        matches!(s, UploadState::Done),
                    )
                });
                if cancelled {
                    continue;
                }
                total += item.total;
                done += item.accepted.get_untracked();
                left += usize::from(!finished);
            }
            (done, total, left)
        })
    });
    // A long list is cut to the rows that matter now, so that the page stays quick.
    let shown_items = move || {
        queue.tick.track();
        queue.items.with(|items| {
            if items.len() <= SHOWN {
                return items.clone();
            }
            let rank = |i: &UploadItem| {
                i.state.with_untracked(|s| match s {
                    UploadState::Failed(_)
                    | UploadState::Paused
                    | UploadState::Uploading
                    | UploadState::Retrying => 0,
                    UploadState::Queued => 1,
                    UploadState::Done => 2,
                    UploadState::Cancelled => 3,
                })
            };
            let mut picked: Vec<UploadItem> = Vec::with_capacity(SHOWN);
            for wanted in 0..3 {
                let room = SHOWN - picked.len();
                let next = items.iter().filter(|i| rank(i) == wanted).take(room);
                picked.extend(next.cloned());
            }
            picked.sort_by_key(|i| i.key);
            picked
        })
    };
    // On a phone the finished list would cover the folder: it folds to its summary line once
    // every upload is done (Show unfolds it).
    let unfolded = RwSignal::new(false);
    let folds = move || overall.get().2 == 0 && narrow_screen();
    let shown = move || if folds() { unfolded.get() } else { open.get() };
    view! {
        <Show when=move || !queue.items.get().is_empty()>
            <section class="upload-panel" aria-label="Uploads">
                <header class="upload-head">
                    <strong id="upload-summary">{move || {
                        let (done, total, left) = overall.get();
                        if left == 0 {
                            "All uploads complete".to_owned()
                        } else {
                            format!("Uploading {left} file{} · {} of {}",
                                if left == 1 { "" } else { "s" }, human_size(done as i64), human_size(total as i64))
                        }
                    }}</strong>
                    <button class="button small ghost" type="button" aria-expanded=move || shown().to_string()
                        on:click=move |_| if folds() { unfolded.update(|u| *u = !*u) } else { open.update(|o| *o = !*o) }>
                        {move || if shown() { "Hide" } else { "Show" }}
                    </button>
                    <button class="button small ghost" type="button" aria-label="Clear finished uploads"
                        on:click=move |_| queue.items.update(|items| items.retain(|i| {
                            matches!(i.state.get_untracked(), UploadState::Queued | UploadState::Uploading | UploadState::Retrying | UploadState::Paused)
                        }))>
                        "Clear"
                    </button>
                </header>
                <progress class="overall" max="1" value=move || {
                    let (done, total, _) = overall.get();
                    if total > 0.0 { done / total } else { 1.0 }
                }></progress>
                <Show when=shown>
                    <ul class="upload-list">
                        <For each=shown_items key=|i| i.key let:item>
                            <UploadRow item=item/>
                        </For>
                        {move || {
                            let all = queue.items.with(Vec::len);
                            (all > SHOWN).then(|| view! {
                                <li class="upload-more muted">{format!(
                                    "Showing {SHOWN} of {all}: what needs you, then what is under way and next"
                                )}</li>
                            })
                        }}
                    </ul>
                </Show>
            </section>
        </Show>
    }
}

#[component]
fn UploadRow(item: UploadItem) -> impl IntoView {
    let queue = expect_context::<UploadQueue>();
    let (accepted, state, total) = (item.accepted, item.state, item.total);
    let (started, resumed, name) = (item.started, item.resumed, item.name.clone());
    let item = StoredValue::new(item);
    let status = move || {
        let done = accepted.get();
        match state.get() {
            UploadState::Done if resumed.get() => "Done (resumed where it stopped)".to_owned(),
            UploadState::Done => "Done".to_owned(),
            UploadState::Queued => "Waiting".to_owned(),
            UploadState::Paused => format!("Paused at {}", human_size(done as i64)),
            UploadState::Cancelled => "Cancelled".to_owned(),
            UploadState::Retrying => {
                format!("Connection lost at {}. Retrying…", human_size(done as i64))
            }
            UploadState::Failed(message) => message,
            UploadState::Uploading => {
                let (since, base) = started.get();
                let seconds = (super::upload::elapsed_ms(since) / 1000.0).max(0.001);
                let speed = (done - base) / seconds;
                let mut text = format!(
                    "{} of {}",
                    human_size(done as i64),
                    human_size(total as i64)
                );
                if resumed.get() {
                    text.push_str(" · resumed");
                }
                if speed > 0.0 && done > base {
                    let left = ((total - done) / speed).ceil() as i64;
                    text.push_str(&format!(
                        " · {}/s · {}",
                        human_size(speed as i64),
                        time_left(left)
                    ));
                }
                text
            }
        }
    };
    let control = move |what: Control| move |_| queue.control(&item.get_value(), what);
    view! {
        <li class="upload-item" data-state=move || match state.get() {
            UploadState::Queued => "queued",
            UploadState::Uploading => "uploading",
            UploadState::Retrying => "retrying",
            UploadState::Paused => "paused",
            UploadState::Done => "done",
            UploadState::Failed(_) => "failed",
            UploadState::Cancelled => "cancelled",
        }>
            <div class="upload-line">
                <span class="upload-name">{name}</span>
                <span class="upload-actions">
                    {move || match state.get() {
                        UploadState::Uploading | UploadState::Retrying => Either::Left(view! {
                            <button class="button small ghost pause" type="button" on:click=control(Control::Pause)>"Pause"</button>
                            <button class="button small ghost cancel" type="button" on:click=control(Control::Cancel)>"Cancel"</button>
                        }),
                        UploadState::Paused | UploadState::Failed(_) => Either::Right(Either::Left(view! {
                            <button class="button small ghost resume" type="button" on:click=control(Control::Resume)>
                                {if matches!(state.get_untracked(), UploadState::Paused) { "Resume" } else { "Retry" }}
                            </button>
                            <button class="button small ghost cancel" type="button" on:click=control(Control::Cancel)>"Cancel"</button>
                        })),
                        UploadState::Queued => Either::Right(Either::Right(Either::Left(view! {
                            <button class="button small ghost cancel" type="button" on:click=control(Control::Cancel)>"Cancel"</button>
                        }))),
                        _ => Either::Right(Either::Right(Either::Right(()))),
                    }}
                </span>
            </div>
            <progress class="upload-progress" max=total value=move || accepted.get()></progress>
            <span class="upload-status">{status}</span>
        </li>
    }
}

fn time_left(seconds: i64) -> String {
    match seconds {
        0..=59 => format!("{seconds} s left"),
        60..=3599 => format!("{} min left", (seconds + 30) / 60),
        _ => format!("{} h left", seconds / 3600),
    }
}

/// Whether the screen is phone-sized (the layout's breakpoint).
fn narrow_screen() -> bool {
    #[cfg(feature = "hydrate")]
    return web_sys::window()
        .and_then(|w| w.match_media("(max-width: 720px)").ok().flatten())
        .is_some_and(|m| m.matches());
    #[cfg(not(feature = "hydrate"))]
    false
}
