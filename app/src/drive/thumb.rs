//! A file's picture in a listing: its thumbnail once made, a placeholder that asks again
//! while it is being made, else the icon of its kind.

use leptos::{either::EitherOf3, prelude::*};
use uuid::Uuid;

use super::viewer::Source;
use crate::dto::Thumb;

#[component]
pub fn Thumbnail(id: Uuid, thumb: Thumb, icon: &'static str, source: Source) -> impl IntoView {
    match thumb {
        Thumb::Ready { tag, .. } => EitherOf3::A(view! {
            <span class="file-icon thumb" aria-hidden="true">
                <img src=source.thumbnail(id, 256, &tag) alt="" loading="lazy"/>
            </span>
        }),
        Thumb::Pending => EitherOf3::B(view! { <PendingThumb id=id icon=icon source=source/> }),
        Thumb::None => EitherOf3::C(view! {
            <span class=format!("file-icon {icon}") aria-hidden="true"></span>
        }),
    }
}

/// A thumbnail being made: a placeholder that asks again every two seconds, for a minute.
#[component]
fn PendingThumb(id: Uuid, icon: &'static str, source: Source) -> impl IntoView {
    let attempt = RwSignal::new(0u32);
    let loaded = RwSignal::new(false);
    let retry = move |_| {
        #[cfg(feature = "hydrate")]
        if attempt.get_untracked() < 30 {
            set_timeout(
                move || attempt.update(|n| *n += 1),
                std::time::Duration::from_secs(2),
            );
        }
    };
    let url = source.thumbnail(id, 256, "");
    view! {
        <span class=format!("file-icon {icon} thumb-pending") class:thumb=move || loaded.get() aria-hidden="true">
            <img src=move || format!("{url}&try={}", attempt.get()) alt=""
                class:hidden=move || !loaded.get()
                on:load=move |_| loaded.set(true) on:error=retry/>
        </span>
    }
}
