//! Sign-in page. One message for every failure, whether or not the account exists.

use leptos::prelude::*;

use crate::{
    auth::SignIn,
    components::{
        auth_card::{enter_drive_on_success, AuthCard},
        form::{FieldError, FormError},
    },
};

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let error = enter_drive_on_success(action.value());
    let pending = action.pending();

    view! {
        <AuthCard title="Sign in">
            <ActionForm action=action attr:novalidate=true attr:class="form" attr:id="login-form">
                <FormError error=error fields=&["email", "password"]/>
                <label for="email">"Email"</label>
                <input id="email" name="email" type="email" autocomplete="username" autofocus/>
                <FieldError error=error field="email"/>
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password"/>
                <FieldError error=error field="password"/>
                <button class="button primary wide" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p class="muted switch">"New to GoSync? " <a href="/signup">"Create an account"</a></p>
        </AuthCard>
    }
}
