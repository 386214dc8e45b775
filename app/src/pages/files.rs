//! The drive: "My files" at `/`, and any folder at `/folders/{id}`.

use leptos::prelude::*;

use crate::{components::layout::SignedIn, drive::list::FolderView};

#[component]
pub fn FilesPage() -> impl IntoView {
    view! {
        <SignedIn>
            <FolderView/>
        </SignedIn>
    }
}
