//! The admin overview: people, files, storage before and after dedup, storage over time,
//! and the background jobs (the failed ones with their reasons and a retry).

use leptos::{either::Either, prelude::*};

use super::{
    api::{deployment_figures, job_failures, retry_failed_job, storage_days},
    charts::StorageCharts,
};
use crate::{
    drive::format::{count_of, human_size, utc_time},
    dto::AdminStats,
};

#[component]
pub fn Overview() -> impl IntoView {
    let stats = Resource::new(|| (), |_| deployment_figures());
    let history = Resource::new(|| (), |_| storage_days(30));
    let failed = Resource::new(|| (), |_| job_failures());
    view! {
        <Suspense fallback=|| view! { <p class="muted loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match stats.await {
                    Err(e) => Either::Left(view! { <p class="form-error" role="alert">{e.to_string()}</p> }),
                    Ok(s) => Either::Right(figures(s)),
                }
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                history.await.ok().map(|days| view! { <StorageCharts days=days/> })
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                failed.await.ok().map(|jobs| view! { <FailedJobs jobs=jobs on_retry=move || { failed.refetch(); stats.refetch(); }/> })
            })}
        </Suspense>
        <super::health::HealthCard/>
    }
}

#[component]
fn FailedJobs(
    jobs: Vec<crate::dto::FailedJobDto>,
    on_retry: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let empty = jobs.is_empty();
    let rows = jobs
        .into_iter()
        .map(|job| {
            let id = job.id;
            let retry = move |_| {
                leptos::task::spawn_local(async move {
                    match retry_failed_job(id).await {
                        Ok(()) => on_retry(),
                        Err(e) => error.set(Some(e.to_string())),
                    }
                });
            };
            let what = job.file_name.unwrap_or_else(|| "(no file has this content now)".into());
            let state = if job.state == "dead" { "Gave up" } else { "Failed" };
            view! {
                <tr class="failed-job">
                    <td>{what}</td>
                    <td>{job.kind}</td>
                    <td>{format!("{state} after {}", count_of(i64::from(job.attempts), "attempt"))}</td>
                    <td class="job-error">{job.error.unwrap_or_default()}</td>
                    <td class="muted">{utc_time(job.updated)}</td>
                    <td><button class="button small" type="button" on:click=retry>"Retry"</button></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card admin-failures" aria-labelledby="failures-title">
            <h2 id="failures-title">"Jobs that went wrong"</h2>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            {if empty {
                Either::Left(view! { <p class="muted">"None: every job so far worked."</p> })
            } else {
                Either::Right(view! {
                    <table class="admin-table">
                        <thead><tr><th>"File"</th><th>"Job"</th><th>"State"</th><th>"Reason"</th><th>"When"</th><th></th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                })
            }}
        </section>
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
                note=format!("{} in current files, {} in older versions, {} in the trash",
                    human_size(s.current_bytes), human_size(s.version_bytes), human_size(s.trash_bytes))/>
            <Stat id="stat-stored" label="On disk" value=human_size(s.stored_bytes) note=saved/>
        </section>
        {(!s.biggest.is_empty()).then(|| view! {
            <section class="card admin-biggest" aria-labelledby="biggest-title">
                <h2 id="biggest-title">"Who stores the most"</h2>
                <ol class="biggest-list">
                    {s.biggest.into_iter().map(|u| view! {
                        <li><span class="biggest-name">{u.name}</span>" "
                            <span class="muted">{u.email}</span>" "
                            <span class="biggest-bytes">{human_size(u.used_bytes)}</span></li>
                    }).collect_view()}
                </ol>
            </section>
        })}
        <section class="card admin-jobs" aria-labelledby="jobs-title">
            <h2 id="jobs-title">"Background jobs"</h2>
            <p class="muted">"Thumbnails, previews and the text of files for search, made by the workers."</p>
            <p id="index-lag">{match s.index_lag {
                Some(0) => "The search index is up to date.".to_owned(),
                Some(1) => "The search index is 1 change behind.".to_owned(),
                Some(n) => format!("The search index is {n} changes behind."),
                None => "The search index is not running.".to_owned(),
            }}</p>
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
