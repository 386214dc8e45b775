//! The People tab: who may sign up, a new account, and the accounts (searchable, 50 a page)
//! with their storage against their quota and what an administrator can do to each.

use leptos::{either::Either, prelude::*};

use super::{
    api::{new_invitation, new_password, people_page, update_account, update_quota},
    new_account::{NewAccountForm, SignupSetting},
};
use crate::{
    drive::format::{human_size, utc_time},
    dto::AccountDto,
    error::AppError,
};

#[component]
pub fn People() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let cursor = RwSignal::new(None::<String>);
    let version = RwSignal::new(0u32);
    let page = Resource::new(
        move || (query.get(), cursor.get(), version.get()),
        |(q, c, _)| people_page(q, c),
    );
    let refresh = move || version.update(|v| *v += 1);
    view! {
        <SignupSetting/>
        <NewAccountForm on_created=refresh/>
        <section class="card admin-people" aria-labelledby="people-title">
            <h2 id="people-title">"People"</h2>
            <input id="people-search" class="search" type="search" placeholder="Search by name or email"
                aria-label="Search people"
                on:input=move |ev| { cursor.set(None); query.set(event_target_value(&ev)); }/>
            <Transition fallback=|| view! { <p class="muted loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(e) => Either::Left(view! { <p class="form-error" role="alert">{e.to_string()}</p> }),
                        Ok(p) => {
                            let next = p.next.clone();
                            Either::Right(view! {
                                <p class="muted">{format!("{} account(s)", p.total)}</p>
                                <table class="admin-table people">
                                    <thead><tr><th>"Person"</th><th>"Role"</th><th>"Status"</th>
                                        <th>"Storage"</th><th>"Last sign-in"</th><th>"Actions"</th></tr></thead>
                                    <tbody>
                                        {p.accounts.into_iter().map(|a| view! { <AccountRow account=a on_change=refresh/> }).collect_view()}
                                    </tbody>
                                </table>
                                {next.map(|n| view! {
                                    <button class="button" type="button" on:click=move |_| cursor.set(Some(n.clone()))>"Next page"</button>
                                })}
                            })
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AccountRow(
    account: AccountDto,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = account.id;
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let editing = RwSignal::new(None::<&'static str>);
    let run = move |call: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<Option<String>, AppError>> + Send>,
    >| {
        leptos::task::spawn_local(async move {
            match call.await {
                Ok(message) => {
                    error.set(None);
                    editing.set(None);
                    match message {
                        Some(m) => notice.set(Some(m)),
                        None => on_change(),
                    }
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let disabled = account.disabled;
    let admin = account.is_admin;
    let toggle_disabled = move |_| {
        run(Box::pin(async move {
            update_account(id, Some(!disabled), None)
                .await
                .map(|_| None)
        }))
    };
    let toggle_admin = move |_| {
        run(Box::pin(async move {
            update_account(id, None, Some(!admin)).await.map(|_| None)
        }))
    };
    let invite = move |_| {
        run(Box::pin(async move {
            new_invitation(id).await.map(|path| {
                Some(format!(
                    "New invitation link: {}",
                    crate::drive::share_dialog::full_url(&path)
                ))
            })
        }))
    };
    let typed = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = typed.get_untracked();
        match editing.get_untracked() {
            Some("quota") => run(Box::pin(async move {
                update_quota(id, value).await.map(|_| None)
            })),
            Some("password") => run(Box::pin(async move {
                new_password(id, value)
                    .await
                    .map(|tokens| Some(match tokens {
                        0 => "Password changed; their sessions were ended.".to_owned(),
                        1 => "Password changed; their sessions were ended and 1 app password was revoked.".to_owned(),
                        n => format!("Password changed; their sessions were ended and {n} app passwords were revoked."),
                    }))
            })),
            _ => {}
        }
    };
    let status = match (account.disabled, account.invited) {
        (true, _) => "Disabled",
        (false, true) => "Invited",
        _ => "Active",
    };
    let usage = usage(&account);
    let email = account.email.clone();
    let shown_email = account.email.clone();
    view! {
        <tr class="account" data-email=shown_email class:disabled=account.disabled>
            <td><strong>{account.name}</strong><br/><span class="muted">{email}</span></td>
            <td>{if account.is_admin { "Administrator" } else { "Member" }}</td>
            <td class="status">{status}</td>
            <td>{usage}</td>
            <td class="muted">{account.last_sign_in.map(utc_time).unwrap_or_else(|| "Never".into())}</td>
            <td class="actions">
                <button class="button small" type="button" on:click=toggle_disabled>{if disabled { "Enable" } else { "Disable" }}</button>
                <button class="button small" type="button" on:click=toggle_admin>{if admin { "Revoke admin" } else { "Make admin" }}</button>
                <button class="button small" type="button" on:click=move |_| { typed.set(String::new()); editing.set(Some("quota")); }>"Quota…"</button>
                <button class="button small" type="button" on:click=move |_| { typed.set(String::new()); editing.set(Some("password")); }>"Reset password…"</button>
                {account.invited.then(|| view! { <button class="button small" type="button" on:click=invite>"New invitation link"</button> })}
                {move || editing.get().map(|what| view! {
                    <form class="inline-form" on:submit=submit>
                        <input class="inline-input" aria-label=if what == "quota" { "Quota" } else { "New password" }
                            type=if what == "quota" { "text" } else { "password" }
                            placeholder=if what == "quota" { "10 GB, or empty for unlimited" } else { "At least 10 characters" }
                            on:input=move |ev| typed.set(event_target_value(&ev)) prop:value=move || typed.get()/>
                        <button class="button small primary" type="submit">"Save"</button>
                        <button class="button small" type="button" on:click=move |_| editing.set(None)>"Cancel"</button>
                    </form>
                })}
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                {move || notice.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
            </td>
        </tr>
    }
}

/// "1.2 GB of 10 GB" with a bar, or "1.2 GB (no limit)".
fn usage(account: &AccountDto) -> impl IntoView {
    let used = human_size(account.used_bytes);
    match account.quota_bytes {
        Some(quota) => {
            let share = if quota > 0 {
                (account.used_bytes as f64 / quota as f64).min(1.0)
            } else {
                1.0
            };
            let fill = if share >= 0.9 { "fill full" } else { "fill" };
            Either::Left(view! {
                <div class="usage">
                    <span>{format!("{used} of {}", human_size(quota))}</span>
                    <svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="meter"
                        aria-valuemin="0" aria-valuemax="100" aria-valuenow=format!("{:.0}", share * 100.0)
                        aria-label="Storage used">
                        <rect class=fill x="0" y="0" width=format!("{:.1}", share * 100.0) height="6"/>
                    </svg>
                </div>
            })
        }
        None => Either::Right(view! { <span>{format!("{used} (no limit)")}</span> }),
    }
}
