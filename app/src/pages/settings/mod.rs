//! Settings (`/settings`): app passwords, each an app's own way in (Finder, Explorer, davfs2,
//! rclone), shown once when made and revocable one by one.

pub mod api;

use leptos::{either::Either, prelude::*};

use crate::{
    auth::UserResource,
    components::layout::SignedIn,
    drive::format::{now_secs as now, relative_time},
    dto::{AppPasswordDto, NewAppPassword},
};
use api::{app_passwords, CreateAppPassword, RevokeAppPassword};

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <SignedIn>
            <leptos_meta::Title text="Settings"/>
            <div class="page-head"><h1>"Settings"</h1></div>
            <AppPasswords/>
        </SignedIn>
    }
}

#[component]
fn AppPasswords() -> impl IntoView {
    let create = ServerAction::<CreateAppPassword>::new();
    let revoke = ServerAction::<RevokeAppPassword>::new();
    let list = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| app_passwords(),
    );
    let user = expect_context::<UserResource>();
    // The address this page was served from: what a computer connects to.
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Ok(o) = window().location().origin() {
            origin.set(o);
        }
    });
    let made = create.value();
    let name = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = made.get() {
            name.set(String::new());
        }
    });
    view! {
        <section class="card settings-section" aria-labelledby="app-passwords-title">
            <h2 id="app-passwords-title">"App passwords"</h2>
            <p class="muted">
                "Connect Finder, Explorer, davfs2 or rclone with your email and an app password. Give each app its own, and revoke one to sign that app out."
            </p>
            <dl class="connect-details">
                <dt>"WebDAV address"</dt>
                <dd><code id="dav-url">{move || format!("{}/dav/", origin.get())}</code></dd>
                <dt>"User name"</dt>
                <dd>
                    <Suspense fallback=|| "…">
                        {move || Suspend::new(async move {
                            let email = user.await.ok().flatten().map(|u| u.email).unwrap_or_default();
                            view! { <code id="dav-user">{email}</code> }
                        })}
                    </Suspense>
                </dd>
            </dl>
            <ActionForm action=create attr:class="inline-form">
                <label for="app-password-name">"Name"</label>
                <input id="app-password-name" name="name" type="text" required maxlength="100"
                    placeholder="e.g. Laptop Finder" autocomplete="off"
                    prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <button class="button primary" type="submit">"Create app password"</button>
            </ActionForm>
            {move || made.get().map(|result| match result {
                Ok(new) => Either::Left(view! { <Secret new=new/> }),
                Err(e) => Either::Right(view! { <p class="form-error" role="alert">{e.to_string()}</p> }),
            })}
            {move || revoke.value().get().and_then(Result::err).map(|e| view! {
                <p class="form-error" role="alert">{e.to_string()}</p>
            })}
            <Suspense fallback=|| view! { <p class="muted loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => Either::Left(view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any()),
                        Ok(items) if items.is_empty() => Either::Left(view! {
                            <p class="muted" id="no-app-passwords">"No app passwords yet."</p>
                        }.into_any()),
                        Ok(items) => Either::Right(view! {
                            <ul class="app-passwords">
                                {items.into_iter().map(|p| view! { <Row password=p revoke=revoke/> }).collect_view()}
                            </ul>
                        }),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Secret(new: NewAppPassword) -> impl IntoView {
    view! {
        <div class="secret-once" role="status">
            <p>
                <strong>{format!("“{}” is ready.", new.password.name)}</strong>
                " Copy this password now: it will not be shown again."
            </p>
            <code class="secret" id="new-app-password">{new.secret}</code>
        </div>
    }
}

#[component]
fn Row(password: AppPasswordDto, revoke: ServerAction<RevokeAppPassword>) -> impl IntoView {
    let used = password.last_used_at.map_or_else(
        || "never used".to_owned(),
        |at| format!("last used {}", relative_time(at, now())),
    );
    let created = relative_time(password.created_at, now());
    let id = password.id;
    let label = format!("Revoke {}", password.name);
    view! {
        <li class="app-password">
            <span class="app-password-name">{password.name}</span>
            <span class="muted">{format!("made {created}, {used}")}</span>
            <button class="button danger" type="button" aria-label=label
                on:click=move |_| { revoke.dispatch(RevokeAppPassword { id }); }>"Revoke"</button>
        </li>
    }
}
