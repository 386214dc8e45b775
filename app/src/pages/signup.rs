//! Sign-up page: each rule that the input breaks is shown next to its field.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    auth::{reload_at, SignUp, UserResource},
    components::{
        form::{FieldError, FormError},
        redirect::ClientRedirect,
    },
};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let user = expect_context::<UserResource>();
    let action = ServerAction::<SignUp>::new();
    let result = action.value();
    Effect::new(move |_| {
        if let Some(Ok(_)) = result.get() {
            reload_at("/");
        }
    });
    let error = Signal::derive(move || result.get().and_then(Result::err));

    view! {
        <Title text="Create your account"/>
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
                <h1>"Create your account"</h1>
                <ActionForm action=action attr:novalidate=true attr:class="form" attr:id="signup-form">
                    <FormError error=error fields=&["name", "email", "password"]/>
                    <label for="name">"Name"</label>
                    <input id="name" name="name" type="text" autocomplete="name" autofocus/>
                    <FieldError error=error field="name"/>
                    <label for="email">"Email"</label>
                    <input id="email" name="email" type="email" autocomplete="email"/>
                    <FieldError error=error field="email"/>
                    <label for="password">"Password"</label>
                    <input id="password" name="password" type="password" autocomplete="new-password"
                        aria-describedby="password-hint"/>
                    <p id="password-hint" class="hint">"At least 10 characters."</p>
                    <FieldError error=error field="password"/>
                    <button class="button primary wide" type="submit" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Creating account…" } else { "Create account" }}
                    </button>
                </ActionForm>
                <p class="muted switch">"Already have an account? " <a href="/login">"Sign in"</a></p>
            </div>
        </main>
    }
}
