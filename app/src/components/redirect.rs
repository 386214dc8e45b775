//! Client-side navigation away from a page the person should not be on. On the server the
//! redirect is done before rendering (see `pages::page_access`), so this renders nothing there.

use leptos::prelude::*;

#[component]
pub fn ClientRedirect(path: &'static str) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        leptos_router::hooks::use_navigate()(path, Default::default());
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
