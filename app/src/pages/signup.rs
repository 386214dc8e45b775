//! Sign-up page: each rule that the input breaks is shown next to its field.

use leptos::prelude::*;

use crate::{
    auth::SignUp,
    components::{
        auth_card::{enter_drive_on_success, AuthCard},
        form::{FieldError, FormError},
    },
};

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let error = enter_drive_on_success(action.value());
    let pending = action.pending();

    view! {
        <AuthCard title="Create your account">
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
