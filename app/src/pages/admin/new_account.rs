//! Making accounts: the sign-up setting (who may make one themselves) and the form an
//! administrator makes one with (a password, or an invitation link to hand over).

use leptos::prelude::*;

use super::api::{change_signup_setting, signup_setting, MakeAccount};
use crate::drive::share_dialog::full_url;
use crate::{
    components::form::{FieldError, FormError},
    dto::SignupMode,
};

#[component]
pub fn SignupSetting() -> impl IntoView {
    let mode = Resource::new(|| (), |_| signup_setting());
    let message = RwSignal::new(None::<Result<String, String>>);
    let choose = move |ev: leptos::ev::Event| {
        let chosen = match event_target_value(&ev).as_str() {
            "invite" => SignupMode::Invite,
            "closed" => SignupMode::Closed,
            _ => SignupMode::Open,
        };
        leptos::task::spawn_local(async move {
            message.set(Some(match change_signup_setting(chosen).await {
                Ok(()) => Ok("Saved.".into()),
                Err(e) => Err(e.to_string()),
            }));
        });
    };
    view! {
        <section class="card admin-signup" aria-labelledby="signup-title">
            <h2 id="signup-title">"Sign-up"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let current = mode.await.unwrap_or_default();
                    let option = move |value: &'static str, m: SignupMode, label: &'static str| view! {
                        <option value=value selected=current == m>{label}</option>
                    };
                    view! {
                        <label for="signup-mode">"Who may make an account"</label>
                        <select id="signup-mode" on:change=choose>
                            {option("open", SignupMode::Open, "Anyone (open sign-up)")}
                            {option("invite", SignupMode::Invite, "Only people an administrator invites")}
                            {option("closed", SignupMode::Closed, "Nobody: administrators make accounts with a password")}
                        </select>
                    }
                })}
            </Suspense>
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="notice" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p class="form-error" role="alert">{text}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
pub fn NewAccountForm(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let action = ServerAction::<MakeAccount>::new();
    let value = action.value();
    let error = Signal::derive(move || value.get().and_then(Result::err));
    Effect::new(move |_| {
        if matches!(value.get(), Some(Ok(_))) {
            on_created();
        }
    });
    let created = move || {
        value.get().and_then(Result::ok).map(|made| {
            let text = match made.invitation {
                Some(path) => format!(
                    "{} can choose a password at {} (valid 7 days; shown once).",
                    made.account.email,
                    full_url(&path)
                ),
                None => format!("{} can sign in now.", made.account.email),
            };
            view! { <p class="notice" id="account-created" role="status">{text}</p> }
        })
    };
    view! {
        <section class="card admin-new" aria-labelledby="new-title">
            <h2 id="new-title">"New account"</h2>
            <ActionForm action=action attr:novalidate=true attr:class="form admin-form" attr:id="new-account">
                <FormError error=error fields=&["email", "name", "password", "quota"]/>
                <label for="new-email">"Email"</label>
                <input id="new-email" name="email" type="email" autocomplete="off"/>
                <FieldError error=error field="email"/>
                <label for="new-name">"Name"</label>
                <input id="new-name" name="name" type="text" autocomplete="off" placeholder="From the email if empty"/>
                <FieldError error=error field="name"/>
                <label for="new-password">"Initial password"</label>
                <input id="new-password" name="password" type="password" autocomplete="new-password"
                    placeholder="Empty: make an invitation link"/>
                <FieldError error=error field="password"/>
                <label for="new-quota">"Quota"</label>
                <input id="new-quota" name="quota" type="text" placeholder="e.g. 10 GB; empty for unlimited"/>
                <FieldError error=error field="quota"/>
                <label class="check"><input name="is_admin" type="checkbox" value="on"/>" Administrator"</label>
                <button class="button primary" type="submit" disabled=move || action.pending().get()>"Create account"</button>
            </ActionForm>
            {created}
        </section>
    }
}
