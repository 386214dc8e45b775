//! "My files": the drive's home. Empty for now; the drive UI fills it.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::layout::SignedIn;

#[component]
pub fn FilesPage() -> impl IntoView {
    view! {
        <Title text="My files"/>
        <SignedIn>
            <div class="page-head">
                <h1>"My files"</h1>
            </div>
            <section class="empty-state" aria-labelledby="empty-title">
                <svg class="empty-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/>
                </svg>
                <h2 id="empty-title">"Your drive is empty"</h2>
                <p class="muted">"Files and folders you add will appear here."</p>
            </section>
        </SignedIn>
    }
}
