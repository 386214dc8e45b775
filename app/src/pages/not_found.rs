use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found"/>
        <main class="centered-page">
            <div class="card narrow">
                <h1>"Page not found"</h1>
                <p class="muted">"The page you asked for does not exist or has moved."</p>
                <a class="button primary" href="/">"Go to my files"</a>
            </div>
        </main>
    }
}
