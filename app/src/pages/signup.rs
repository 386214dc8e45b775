//! Sign-up page: each rule that the input breaks is shown next to its field.

use leptos::prelude::*;

use crate::{
    auth::{who_may_sign_up, SignUp},
    components::{
        auth_card::{enter_drive_on_success, AuthCard},
        form::{FieldError, FormError},
    },
    dto::SignupMode,
};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let error = enter_drive_on_success(action.value());
    let pending = action.pending();
    let mode = Resource::new(|| (), |_| who_may_sign_up());

    view! {
        <AuthCard title="Create your account">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let message = match mode.await {
                        Ok(SignupMode::Invite) => Some("Accounts here are by invitation only: ask an administrator to invite you."),
                        Ok(SignupMode::Closed) => Some("Sign-up is closed here: ask an administrator for an account."),
                        _ => None,
                    };
                    message.map(|m| view! { <p class="notice" id="signup-closed" role="status">{m}</p> })
                })}
            </Suspense>
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
                <button class="button primary wide" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "Creating account…" } else { "Create account" }}
                </button>
            </ActionForm>
            <p class="muted switch">"Already have an account? " <a href="/login">"Sign in"</a></p>
        </AuthCard>
    }
}
