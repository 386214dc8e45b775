//! The Activity tab: every change across all users, newest first, filtered by who (email),
//! what (action) and when (from / to dates), 50 at a time.

use leptos::{either::Either, prelude::*};

use super::api::{activity_log, people_page};
use crate::{drive::format::utc_time, dto::ActivityDto};

/// The actions the log records, with how people read them.
const ACTIONS: [(&str, &str); 19] = [
    ("create", "Created a folder"),
    ("upload", "Uploaded"),
    ("new_version", "New version"),
    ("rename", "Renamed"),
    ("move", "Moved"),
    ("copy", "Copied"),
    ("trash", "Moved to trash"),
    ("restore", "Restored"),
    ("purge", "Deleted for good"),
    ("share", "Sharing changed"),
    ("account_create", "Made an account"),
    ("account_disable", "Disabled an account"),
    ("account_enable", "Enabled an account"),
    ("admin_grant", "Made an administrator"),
    ("admin_revoke", "Revoked administrator"),
    ("quota_change", "Changed a quota"),
    ("password_reset", "Reset a password"),
    ("signup_mode", "Changed sign-up"),
    ("job_retry", "Retried a job"),
];

fn label(action: &str) -> String {
    ACTIONS
        .iter()
        .find(|(a, _)| *a == action)
        .map_or_else(|| action.to_owned(), |(_, l)| (*l).to_owned())
}

/// `YYYY-MM-DD` from a date input as Unix seconds (UTC midnight).
fn day_start(text: &str) -> Option<i64> {
    let mut parts = text.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    // Days from civil (Howard Hinnant's algorithm), the inverse of the one in drive::format.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400)
}

#[component]
pub fn Activity() -> impl IntoView {
    let who = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let cursor = RwSignal::new(None::<String>);
    let log = Resource::new(
        move || (who.get(), action.get(), from.get(), to.get(), cursor.get()),
        |(who, action, from, to, cursor)| async move {
            let user = if who.trim().is_empty() {
                None
            } else {
                let found = people_page(who.trim().to_owned(), None).await?;
                match found
                    .accounts
                    .into_iter()
                    .find(|a| a.email == who.trim().to_lowercase())
                {
                    Some(a) => Some(a.id),
                    None => return Ok(None),
                }
            };
            let action = Some(action).filter(|a| !a.is_empty());
            let (since, until) = (day_start(&from), day_start(&to).map(|t| t + 86_400));
            activity_log(user, action, since, until, cursor)
                .await
                .map(Some)
        },
    );
    let reset = move || cursor.set(None);
    view! {
        <section class="card admin-activity" aria-labelledby="activity-title">
            <h2 id="activity-title">"Activity"</h2>
            <div class="filters">
                <label>"Person " <input id="activity-who" type="email" placeholder="someone@example.com"
                    on:change=move |ev| { reset(); who.set(event_target_value(&ev)); }/></label>
                <label>"Action "
                    <select id="activity-action" on:change=move |ev| { reset(); action.set(event_target_value(&ev)); }>
                        <option value="">"Any"</option>
                        {ACTIONS.iter().map(|(a, l)| view! { <option value=*a>{*l}</option> }).collect_view()}
                    </select>
                </label>
                <label>"From " <input id="activity-from" type="date" on:change=move |ev| { reset(); from.set(event_target_value(&ev)); }/></label>
                <label>"To " <input id="activity-to" type="date" on:change=move |ev| { reset(); to.set(event_target_value(&ev)); }/></label>
            </div>
            <Transition fallback=|| view! { <p class="muted loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Err(e) => Either::Left(view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any()),
                        Ok(None) => Either::Left(view! { <p class="muted">"No account has this email."</p> }.into_any()),
                        Ok(Some(page)) if page.entries.is_empty() => Either::Left(view! { <p class="muted">"Nothing matches."</p> }.into_any()),
                        Ok(Some(page)) => {
                            let next = page.next.clone();
                            Either::Right(view! {
                                <table class="admin-table activity">
                                    <thead><tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"Item"</th></tr></thead>
                                    <tbody>{page.entries.into_iter().map(entry).collect_view()}</tbody>
                                </table>
                                {next.map(|n| view! {
                                    <button class="button" type="button" on:click=move |_| cursor.set(Some(n.clone()))>"Older"</button>
                                })}
                            })
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

fn entry(e: ActivityDto) -> impl IntoView {
    view! {
        <tr class="activity-entry" data-action=e.action.clone()>
            <td class="muted">{utc_time(e.at)}</td>
            <td>{e.actor_email.unwrap_or_else(|| "(account deleted)".into())}</td>
            <td>{label(&e.action)}</td>
            <td>{e.name.unwrap_or_default()}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_become_utc_midnight() {
        assert_eq!(super::day_start("1970-01-01"), Some(0));
        assert_eq!(super::day_start("2024-03-05"), Some(1_709_596_800));
        assert_eq!(super::day_start("soon"), None);
    }
}
