//! `/welcome/{token}`: the invitation an administrator handed over. Its person chooses a
//! password and is signed in; a used, expired or withdrawn link says so (410).

use leptos::{either::Either, prelude::*};
use leptos_router::hooks::use_params_map;

use crate::{
    auth::{invitation, AcceptInvitation},
    components::{
        auth_card::{enter_drive_on_success, AuthCard},
        form::{FieldError, FormError},
    },
    error::AppError,
};

#[component]
pub fn WelcomePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let found = Resource::new(token, invitation);
    let action = ServerAction::<AcceptInvitation>::new();
    let error = enter_drive_on_success(action.value());
    let pending = action.pending();
    view! {
        <AuthCard title="Welcome to GoSync">
            <Suspense fallback=|| view! { <p class="muted loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Err(e) => Either::Left(view! {
                            <p class="form-error" role="alert" id="invitation-error">{gone_message(&e)}</p>
                            <p class="muted switch"><a href="/login">"Sign in"</a></p>
                        }),
                        Ok(invited) => Either::Right(view! {
                            <p>"You were invited as " <strong id="invited-email">{invited.email}</strong>
                                ". Choose a password to start, " {invited.name} "."</p>
                            <ActionForm action=action attr:novalidate=true attr:class="form" attr:id="welcome-form">
                                <FormError error=error fields=&["password"]/>
                                <input type="hidden" name="token" value=token()/>
                                <label for="password">"Password"</label>
                                <input id="password" name="password" type="password" autocomplete="new-password"
                                    aria-describedby="password-hint" autofocus/>
                                <p id="password-hint" class="hint">"At least 10 characters."</p>
                                <FieldError error=error field="password"/>
                                <button class="button primary wide" type="submit" disabled=move || pending.get()>
                                    {move || if pending.get() { "Starting…" } else { "Start using GoSync" }}
                                </button>
                            </ActionForm>
                        }),
                    }
                })}
            </Suspense>
        </AuthCard>
    }
}

fn gone_message(e: &AppError) -> String {
    match e {
        AppError::Gone => "This invitation has been used or has expired. Ask your administrator \
            for a new link."
            .into(),
        other => other.to_string(),
    }
}
