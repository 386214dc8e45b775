//! A file's picture in a listing: its thumbnail once made, a placeholder that asks again
//! while it is being made, else the icon of its kind.

use leptos::{either::EitherOf3, prelude::*};
use uuid::Uuid;

use super::viewer::Source;
use crate::dto::Thumb;

#[component]
pub fn Thumbnail(
    id: Uuid,
    thumb: Thumb,
    icon: &'static str,
    source: Source,
    /// Told when a thumbnail that was being made has arrived.
    #[prop(optional)]
    on_ready: Option<Callback<()>>,
) -> impl IntoView {
    match thumb {
        Thumb::Ready { tag, duration, .. } => EitherOf3::A(view! {
            <span class="file-icon thumb" aria-hidden="true">
                <img src=source.thumbnail(id, 256, &tag) alt="" loading="lazy"/>
                {duration.map(|d| view! { <span class="thumb-duration">{clock(d)}</span> })}
            </span>
        }),
        Thumb::Pending => {
            EitherOf3::B(view! { <PendingThumb id=id icon=icon source=source on_ready=on_ready/> })
        }
        Thumb::None => EitherOf3::C(view! {
            <span class=format!("file-icon {icon}") aria-hidden="true"></span>
        }),
    }
}

/// A video's length as a player shows it: 0:07, 12:34, 1:02:03.
pub fn clock(secs: u32) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A thumbnail being made: a placeholder that asks again every two seconds, for a minute,
/// until the picture loads (a timer, not the image's error event: that may fire before the
/// page is hydrated).
#[component]
fn PendingThumb(
    id: Uuid,
    icon: &'static str,
    source: Source,
    on_ready: Option<Callback<()>>,
) -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    let loaded = RwSignal::new(false);
    Effect::new(move || ask_again(attempt, loaded));
    let url = source.thumbnail(id, 256, "");
    view! {
        <span class=format!("file-icon {icon} thumb-pending") class:thumb=move || loaded.get() aria-hidden="true">
            <img src=move || format!("{url}&try={}", attempt.get()) alt=""
                class:hidden=move || !loaded.get() on:load=move |_| {
                    loaded.set(true);
                    if let Some(ready) = on_ready { ready.run(()); }
                }/>
        </span>
    }
}

/// In two seconds, a new attempt (unless loaded, gone from the page, or tried 30 times).
fn ask_again(attempt: RwSignal<u32>, loaded: RwSignal<bool>) {
    #[cfg(feature = "hydrate")]
    set_timeout(
        move || {
            let waiting = loaded.try_get_untracked() == Some(false);
            if waiting
                && attempt
                    .try_update(|n| *n += 1)
                    .is_some_and(|_| attempt.get_untracked() < 30)
            {
                ask_again(attempt, loaded);
            }
        },
        std::time::Duration::from_secs(2),
    );
    #[cfg(not(feature = "hydrate"))]
    let _ = (attempt, loaded);
}
