//! A file's versions in a side panel: when, how big, who; download any, restore one (which
//! adds a new version: history is never rewritten).

use leptos::prelude::*;
use uuid::Uuid;

use super::{
    api::{restore_version, versions},
    context::DriveContext,
    format::{human_size, relative_time},
    toast::Toast,
};

/// The file whose versions are shown, if any.
#[derive(Clone, Copy)]
pub struct VersionsOpen(pub RwSignal<Option<(Uuid, String)>>);

#[component]
pub fn VersionsPanel() -> impl IntoView {
    let open = expect_context::<VersionsOpen>().0;
    let ctx = expect_context::<DriveContext>();
    let list = Resource::new(
        move || open.get(),
        |file| async move {
            match file {
                Some((id, _)) => versions(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let restoring = Action::new(move |(id, n): &(Uuid, i32)| restore_version(*id, *n));
    Effect::new(move || {
        if let Some(result) = restoring.value().get() {
            match result {
                Ok(file) => ctx.toast.set(Some(Toast::Info(format!(
                    "Restored an earlier version of “{}”.",
                    file.name
                )))),
                Err(e) => ctx.toast.set(Some(Toast::Error(e.to_string()))),
            }
            list.refetch();
            ctx.refresh.run(());
        }
    });
    view! {
        <Show when=move || open.get().is_some()>
            <aside class="side-panel" aria-labelledby="versions-title">
                <header class="side-head">
                    <h2 id="versions-title">{move || open.get().map(|(_, name)| format!("Versions of {name}"))}</h2>
                    <button class="button small ghost" type="button" aria-label="Close"
                        on:click=move |_| open.set(None)>"×"</button>
                </header>
                <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match list.await {
                            Ok(Some(rows)) => {
                                let id = open.get_untracked().map(|(id, _)| id).unwrap_or_default();
                                let now = super::format::now_secs();
                                view! {
                                    <ol class="version-list">
                                        {rows.into_iter().map(|v| {
                                            let number = v.number;
                                            view! {
                                                <li class="version" data-number=number.to_string()>
                                                    <div>
                                                        <strong>{format!("Version {number}")}</strong>
                                                        {v.current.then(|| view! { <span class="badge">"Current"</span> })}
                                                    </div>
                                                    <div class="muted">
                                                        {format!("{} · {}{}", relative_time(v.created, now), human_size(v.size),
                                                            v.author.map(|a| format!(" · {a}")).unwrap_or_default())}
                                                    </div>
                                                    <div class="version-actions">
                                                        <a class="button small" rel="external" href=format!("/api/v1/nodes/{id}/content?version={number}")>
                                                            "Download"
                                                        </a>
                                                        {(!v.current).then(|| view! {
                                                            <button class="button small restore-version" type="button"
                                                                on:click=move |_| { restoring.dispatch((id, number)); }>
                                                                "Restore"
                                                            </button>
                                                        })}
                                                    </div>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }
                            Ok(None) => ().into_any(),
                            Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </aside>
        </Show>
    }
}
