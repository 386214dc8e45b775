//! `/admin`: the deployment at a glance, for administrators: people, files, storage before
//! and after dedup, and the background jobs.

use leptos::{either::Either, prelude::*};

use crate::{
    components::layout::SignedIn, drive::format::human_size, dto::AdminStats, error::AppError,
};

#[server(endpoint = "admin/stats")]
pub async fn deployment_figures() -> Result<AdminStats, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = crate::drive::api::signed_in().await?;
            services.admin.stats(user).await
        }
        .await,
    )
}

#[component]
pub fn AdminPage() -> impl IntoView {
    view! {
        <SignedIn>
            <Dashboard/>
        </SignedIn>
    }
}

#[component]
fn Dashboard() -> impl IntoView {
    let stats = Resource::new(|| (), |_| deployment_figures());
    view! {
        <leptos_meta::Title text="Admin"/>
        <div class="page-head"><h1>"Admin"</h1></div>
        <Suspense fallback=|| view! { <p class="muted loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match stats.await {
                    Err(e) => Either::Left(view! { <p class="form-error" role="alert">{e.to_string()}</p> }),
                    Ok(s) => Either::Right(figures(s)),
                }
            })}
        </Suspense>
    }
}

fn figures(s: AdminStats) -> impl IntoView {
    let saved = if s.logical_bytes > 0 {
        format!(
            "{:.0}% saved by storing identical files once",
            100.0 * s.dedup_saved_bytes as f64 / s.logical_bytes as f64
        )
    } else {
        "Nothing stored yet".to_owned()
    };
    let job = |state: &str| s.jobs.get(state).copied().unwrap_or(0);
    let jobs = [
        ("Waiting", "queued"),
        ("Running", "running"),
        ("Done", "done"),
        ("Failed", "failed"),
        ("Gave up", "dead"),
    ]
    .map(|(label, state)| (label, state, job(state)));
    view! {
        <section class="stat-grid" aria-label="Figures">
            <Stat id="stat-users" label="People" value=s.users.to_string() note=String::new()/>
            <Stat id="stat-files" label="Files" value=s.files.to_string()
                note=format!("in {} folders", s.folders)/>
            <Stat id="stat-logical" label="Stored by people" value=human_size(s.logical_bytes)
                note=format!("{} in current files, {} in the trash", human_size(s.current_bytes), human_size(s.trash_bytes))/>
            <Stat id="stat-stored" label="On disk" value=human_size(s.stored_bytes) note=saved/>
        </section>
        <section class="card admin-jobs" aria-labelledby="jobs-title">
            <h2 id="jobs-title">"Background jobs"</h2>
            <p class="muted">"Thumbnails and previews, made by the workers."</p>
            <dl class="job-states">
                {jobs.into_iter().map(|(label, state, n)| {
                    let attention = matches!(state, "failed" | "dead") && n > 0;
                    view! {
                    <div class=format!("job-state job-{state}") class:attention=attention>
                        <dt>{label}</dt><dd>{n}</dd>
                    </div>
                    }
                }).collect_view()}
            </dl>
        </section>
    }
}

#[component]
fn Stat(id: &'static str, label: &'static str, value: String, note: String) -> impl IntoView {
    view! {
        <div class="card stat" id=id>
            <p class="stat-label">{label}</p>
            <p class="stat-value">{value}</p>
            <p class="muted stat-note">{note}</p>
        </div>
    }
}
