#![recursion_limit = "256"]
//! GoSync's user interface: pages, components and the server functions they call.
//! Rendered on the server and hydrated in the browser; the server crate provides the services.

pub mod auth;
pub mod components;
pub mod drive;
pub mod dto;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod services;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};
use pages::admin::Tab;

pub use error::AppError;

/// Name of the built site files: /pkg/gosync.js, /pkg/gosync.wasm, /pkg/gosync.css.
pub const OUTPUT_NAME: &str = "gosync";

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <script nonce=leptos::nonce::use_nonce() src="/theme.js"></script>
                <script nonce=leptos::nonce::use_nonce() src="/tus.min.js" defer></script>
                <script nonce=leptos::nonce::use_nonce() src="/uploads.js" defer></script>
                <script nonce=leptos::nonce::use_nonce() src="/live.js" defer></script>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    set_content_security_policy();
    let user: auth::UserResource = Resource::new(|| (), |_| auth::current_user());
    provide_context(user);
    // Uploads outlive the page they were started on.
    provide_context(drive::upload::UploadQueue::default());

    view! {
        <Stylesheet id="gosync" href="/pkg/gosync.css"/>
        <Title formatter=|text: String| if text.is_empty() { "GoSync".to_owned() } else { format!("{text} · GoSync") }/>
        <Meta name="description" content="GoSync: your files, on your server."/>
        <Link rel="manifest" href="/manifest.json"/>
        <Router>
            <Routes fallback=pages::not_found::NotFoundPage>
                <Route path=path!("/") view=pages::files::FilesPage ssr=SsrMode::Async/>
                <Route path=path!("/folders/:id") view=pages::files::FilesPage ssr=SsrMode::Async/>
                <Route path=path!("/trash") view=pages::files::TrashPage ssr=SsrMode::Async/>
                <Route path=path!("/shared") view=pages::shared::SharedPage ssr=SsrMode::Async/>
                <Route path=path!("/recent") view=pages::marked::RecentPage ssr=SsrMode::Async/>
                <Route path=path!("/starred") view=pages::marked::StarredPage ssr=SsrMode::Async/>
                <Route path=path!("/search") view=pages::search::SearchPage ssr=SsrMode::Async/>
                <Route path=path!("/settings") view=pages::settings::SettingsPage ssr=SsrMode::Async/>
                <Route path=path!("/admin") view=|| view! { <pages::admin::AdminPage tab=Tab::Overview/> } ssr=SsrMode::Async/>
                <Route path=path!("/admin/people") view=|| view! { <pages::admin::AdminPage tab=Tab::People/> } ssr=SsrMode::Async/>
                <Route path=path!("/admin/activity") view=|| view! { <pages::admin::AdminPage tab=Tab::Activity/> } ssr=SsrMode::Async/>
                <Route path=path!("/welcome/:token") view=pages::welcome::WelcomePage ssr=SsrMode::Async/>
                <Route path=path!("/login") view=pages::login::LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/signup") view=pages::signup::SignUpPage ssr=SsrMode::Async/>
                <Route path=path!("/s/:token") view=pages::shared_link::SharedLinkPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// Allows exactly our own scripts and the inline ones Leptos marks with this response's nonce.
fn set_content_security_policy() {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        let policy = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; \
             font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors 'none'"
        );
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// Marks the page as hydrated (`<html data-hydrated="true">`): its controls answer from now on
/// (browser tests wait for it; the page's live updates keep the network busy for good).
#[cfg(feature = "hydrate")]
pub fn mark_hydrated() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
