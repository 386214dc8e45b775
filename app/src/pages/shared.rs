//! "Shared with me" at `/shared`: what others have shared with the user, each opening in the
//! drive (a folder) or downloading (a file), with its owner and the user's role.

use leptos::{either::Either, prelude::*};

use crate::{
    components::layout::SignedIn,
    drive::{format::human_size, share_api::shared_with_me},
};

#[component]
pub fn SharedPage() -> impl IntoView {
    view! {
        <SignedIn>
            <SharedList/>
        </SignedIn>
    }
}

#[component]
fn SharedList() -> impl IntoView {
    let items = Resource::new(|| (), |_| shared_with_me());
    crate::components::live::follow(|_| true, move || items.refetch());
    view! {
        <leptos_meta::Title text="Shared with me"/>
        <div class="page-head"><h1>"Shared with me"</h1></div>
        <Suspense fallback=|| view! { <p class="muted loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match items.await {
                    Err(e) => Either::Left(view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any()),
                    Ok(list) if list.is_empty() => Either::Left(view! {
                        <section class="empty-state">
                            <h2>"Nothing is shared with you yet"</h2>
                            <p class="muted">"Files and folders others share with you will appear here."</p>
                        </section>
                    }.into_any()),
                    Ok(list) => Either::Right(view! {
                        <table class="entries shared-entries">
                            <thead><tr><th>"Name"</th><th>"Owner"</th><th>"Your role"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|s| {
                                    let e = s.entry;
                                    let href = if e.is_folder { format!("/folders/{}", e.id) } else { format!("/api/v1/nodes/{}/content", e.id) };
                                    let icon = if e.is_folder { "icon-folder" } else { "icon-file" };
                                    let size = if e.is_folder { String::new() } else { format!(" · {}", human_size(e.size)) };
                                    view! {
                                        <tr class="entry shared-entry" data-kind=if e.is_folder { "folder" } else { "file" }>
                                            <td class="name-cell"><div class="name-wrap">
                                                <span class=format!("file-icon {icon}") aria-hidden="true"></span>
                                                <a class="entry-name" rel=(!e.is_folder).then_some("external") href=href>{e.name}</a>
                                                <span class="muted">{size}</span>
                                            </div></td>
                                            <td>{s.owner}</td>
                                            <td class="shared-role">{s.role.as_str()}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()),
                }
            })}
        </Suspense>
    }
}
