//! The health card: whether the database and the storage answer, the search index, the
//! version and uptime, which previews' converters are here, and the settings in effect
//! (secrets shown only as set).

use leptos::{either::Either, prelude::*};

use super::api::health_report;
use crate::dto::HealthDto;

#[component]
pub fn HealthCard() -> impl IntoView {
    let health = Resource::new(|| (), |_| health_report());
    view! {
        <section class="card admin-health" aria-labelledby="health-title">
            <h2 id="health-title">"This server"</h2>
            <Suspense fallback=|| view! { <p class="muted">"Checking…"</p> }>
                {move || Suspend::new(async move {
                    match health.await {
                        Ok(h) => Either::Left(report(h)),
                        Err(e) => Either::Right(view! { <p class="form-error" role="alert">{e.to_string()}</p> }),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn report(h: HealthDto) -> impl IntoView {
    let answer = |ok: bool, millis: u64| {
        if ok {
            format!("answering ({millis} ms)")
        } else {
            "not answering".to_owned()
        }
    };
    let index = match h.index_lag {
        Some(0) => format!("up to date, {} items", h.index_documents),
        Some(n) => format!("{n} changes behind, {} items", h.index_documents),
        None => "unknown".to_owned(),
    };
    let rows = [
        (
            "health-database",
            format!("Database ({})", h.database_kind),
            answer(h.database.ok, h.database.millis),
            h.database.ok,
        ),
        (
            "health-storage",
            format!("Storage ({})", h.storage_kind),
            answer(h.storage.ok, h.storage.millis),
            h.storage.ok,
        ),
        (
            "health-index",
            "Search index".to_owned(),
            index,
            h.index_lag.is_some(),
        ),
        (
            "health-version",
            "Version".to_owned(),
            format!("GoSync {}, up {}", h.version, uptime(h.uptime_secs)),
            true,
        ),
    ];
    view! {
        <dl class="health-list">
            {rows.into_iter().map(|(id, label, value, ok)| view! {
                <div id=id class="health-row" class:attention=!ok><dt>{label}</dt><dd>{value}</dd></div>
            }).collect_view()}
        </dl>
        <h3 class="health-subtitle">"Previews"</h3>
        <dl class="health-list" id="health-converters">
            {h.converters.into_iter().map(|c| view! {
                <div class="health-row converter" class:attention=!c.available data-available=c.available.to_string()>
                    <dt>{c.name}</dt>
                    <dd>{c.note}</dd>
                </div>
            }).collect_view()}
        </dl>
        <details class="health-settings">
            <summary>"Settings in effect"</summary>
            <table class="settings-table">
                <tbody>
                    {h.settings.into_iter().map(|s| view! {
                        <tr><th scope="row"><code>{s.name}</code></th><td><code>{s.value}</code></td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

fn uptime(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s} s"),
        s if s < 3_600 => format!("{} min", s / 60),
        s if s < 86_400 => format!("{} h {} min", s / 3_600, s % 3_600 / 60),
        s => format!("{} days {} h", s / 86_400, s % 86_400 / 3_600),
    }
}
