//! The drive: "My files" at `/`, any folder at `/folders/{id}`, and the trash at `/trash`.

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

#[component]
pub fn TrashPage() -> impl IntoView {
    view! {
        <SignedIn>
            <crate::drive::trash_view::TrashView/>
        </SignedIn>
    }
}
