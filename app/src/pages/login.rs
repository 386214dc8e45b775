//! Sign-in page. One message for every failure, whether or not the account exists.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    auth::{reload_at, SignIn, UserResource},
    components::{
        form::{FieldError, FormError},
        redirect::ClientRedirect,
    },
};

#[component]
pub fn LoginPage() -> impl IntoView {
    let user = expect_context::<UserResource>();
    let action = ServerAction::<SignIn>::new();
    let result = action.value();
    Effect::new(move |_| {
        if let Some(Ok(_)) = result.get() {
            reload_at("/");
        }
    });
    let error = Signal::derive(move || result.get().and_then(Result::err));

    view! {
        <Title text="Sign in"/>
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
                <h1>"Sign in"</h1>
                <ActionForm action=action attr:novalidate=true attr:class="form" attr:id="login-form">
                    <FormError error=error fields=&["email", "password"]/>
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="username" autofocus/>
                    <FieldError error=error field="email"/>
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="current-password"/>
                    <FieldError error=error field="password"/>
                    <button class="button primary wide" type="submit" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
                <p class="muted switch">"New to GoSync? " <a href="/signup">"Create an account"</a></p>
            </div>
        </main>
    }
}
