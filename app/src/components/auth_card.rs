//! The frame of the sign-in and sign-up pages, and what happens when their form succeeds.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    auth::{reload_at, UserResource},
    components::redirect::ClientRedirect,
    error::AppError,
};

/// A centred card with the brand and a title; a signed-in visitor is sent to their files.
#[component]
pub fn AuthCard(title: &'static str, children: Children) -> impl IntoView {
    let user = expect_context::<UserResource>();
    view! {
        <Title text=title/>
        <Suspense>
            {move || Suspend::new(async move {
                let signed_in = matches!(user.await, Ok(Some(_)));
                signed_in.then(|| view! { <ClientRedirect path="/"/> })
            })}
        </Suspense>
        <main class="auth-page">
            <div class="card auth-card">
                <a class="brand auth-brand" href="/">
                    <span class="brand-mark" aria-hidden="true"></span>
                    "GoSync"
                </a>
                <h1>{title}</h1>
                {children()}
            </div>
        </main>
    }
}

/// Loads the drive once the action succeeds (so the whole page reflects the new session);
/// returns the action's error, for the form to show.
pub fn enter_drive_on_success<T, V>(value: V) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    V: Get<Value = Option<Result<T, AppError>>> + Clone + Send + Sync + 'static,
{
    let watched = value.clone();
    Effect::new(move |_| {
        if let Some(Ok(_)) = watched.get() {
            reload_at("/");
        }
    });
    Signal::derive(move || value.get().and_then(Result::err))
}
