//! The Share dialog (context menu → Share…): add people by email as viewer, editor or
//! manager, see and change who has access, and make, copy or revoke public links (with a
//! password, an expiry, a download limit). Everyone who may see the item sees who has it;
//! only owners and managers change it.

use leptos::{either::Either, ev, prelude::*};

use super::{
    actions::Item,
    context::DriveContext,
    share_api::{change_grant, create_link, remove_grant, revoke_link, share, sharing},
};
use crate::dto::{GrantDto, LinkDto, Role};

#[component]
pub fn ShareDialog() -> impl IntoView {
    let ctx = expect_context::<DriveContext>();
    move || {
        ctx.sharing
            .get()
            .map(|item| view! { <ShareBox item=item/> })
    }
}

fn role_of(raw: &str) -> Role {
    Role::parse(raw).unwrap_or(Role::Viewer)
}

#[component]
fn ShareBox(item: Item) -> impl IntoView {
    let ctx = expect_context::<DriveContext>();
    let id = item.id;
    let state = LocalResource::new(move || sharing(id));
    let error = RwSignal::new(None::<String>);
    let done = move |result: Result<(), crate::AppError>| match result {
        Ok(()) => {
            error.set(None);
            state.refetch();
            ctx.refresh.run(());
        }
        Err(e) => error.set(Some(e.to_string())),
    };
    let close = move || ctx.sharing.set(None);
    let email = NodeRef::<leptos::html::Input>::new();
    let role = NodeRef::<leptos::html::Select>::new();
    Effect::new(move || {
        if let Some(input) = email.get() {
            let _ = input.focus();
        }
    });
    let add = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(field), Some(picked)) = (email.get(), role.get()) else {
            return;
        };
        let (address, chosen) = (field.value(), role_of(&picked.value()));
        leptos::task::spawn_local(async move {
            let result = share(id, address, chosen).await.map(|_| ());
            if result.is_ok() {
                field.set_value("");
            }
            done(result);
        });
    };
    view! {
        <div class="dialog-backdrop" on:keydown=move |ev: ev::KeyboardEvent| if ev.key() == "Escape" { close() }>
            <div class="dialog share-dialog" role="dialog" aria-modal="true" aria-labelledby="share-title">
                <h2 id="share-title">{format!("Share “{}”", item.name)}</h2>
                {move || error.get().map(|e| view! { <p class="form-error" id="share-error" role="alert">{e}</p> })}
                {move || match state.get() {
                    None => Either::Left(view! { <p class="muted">"Loading…"</p> }.into_any()),
                    Some(Err(e)) => Either::Left(view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any()),
                    Some(Ok(now)) => Either::Right(view! {
                        {now.can_share.then(|| view! {
                            <form class="share-add" on:submit=add>
                                <input node_ref=email id="share-email" type="email" placeholder="Add people by email"
                                    aria-label="Email address" required/>
                                <select node_ref=role id="share-role" aria-label="Role">
                                    <option value="viewer">"Viewer"</option>
                                    <option value="editor">"Editor"</option>
                                    <option value="manager">"Manager"</option>
                                </select>
                                <button id="share-add" class="button primary" type="submit">"Share"</button>
                            </form>
                        })}
                        <h3 class="share-section">"People with access"</h3>
                        <ul class="share-people">
                            {if now.grants.is_empty() {
                                Either::Left(view! { <li class="muted">"Only you (and the owner)."</li> })
                            } else {
                                Either::Right(now.grants.into_iter().map(|g| view! {
                                    <Person grant=g can_share=now.can_share done=Callback::new(done)/>
                                }).collect_view())
                            }}
                        </ul>
                        {now.can_share.then(|| view! {
                            <Links id=id folder=item.is_folder links=now.links done=Callback::new(done)/>
                        })}
                    }.into_any()),
                }}
                <div class="dialog-choices">
                    <button id="share-close" class="button" type="button" on:click=move |_| close()>"Done"</button>
                </div>
            </div>
        </div>
    }
}

#[component]
fn Person(
    grant: GrantDto,
    can_share: bool,
    done: Callback<Result<(), crate::AppError>>,
) -> impl IntoView {
    let id = grant.id;
    let change = move |ev: ev::Event| {
        let chosen = role_of(&event_target_value(&ev));
        leptos::task::spawn_local(async move { done.run(change_grant(id, chosen).await) });
    };
    let remove = move |_| {
        leptos::task::spawn_local(async move { done.run(remove_grant(id).await) });
    };
    let current = grant.role.as_str();
    view! {
        <li class="grant" data-email=grant.email.clone()>
            <span class="grant-who"><strong>{grant.name}</strong><span class="muted">{grant.email.clone()}</span></span>
            {if can_share {
                Either::Left(view! {
                    <select class="grant-role" aria-label=format!("Role of {}", grant.email) on:change=change>
                        {["viewer", "editor", "manager"].into_iter().map(|r| view! {
                            <option value=r selected=r == current>{r[..1].to_uppercase() + &r[1..]}</option>
                        }).collect_view()}
                    </select>
                    <button class="button small ghost grant-remove" type="button"
                        aria-label=format!("Remove {}", grant.email) on:click=remove>"Remove"</button>
                })
            } else {
                Either::Right(view! { <span class="muted">{current}</span> })
            }}
        </li>
    }
}

#[component]
fn Links(
    id: uuid::Uuid,
    folder: bool,
    links: Vec<LinkDto>,
    done: Callback<Result<(), crate::AppError>>,
) -> impl IntoView {
    let kind = NodeRef::<leptos::html::Select>::new();
    let password = NodeRef::<leptos::html::Input>::new();
    let expiry = NodeRef::<leptos::html::Select>::new();
    let limit = NodeRef::<leptos::html::Input>::new();
    let label = NodeRef::<leptos::html::Input>::new();
    let make = move |_| {
        let label = label
            .get()
            .map(|l| l.value().trim().to_owned())
            .filter(|l| !l.is_empty());
        let password = password.get().map(|p| p.value()).filter(|p| !p.is_empty());
        let days = expiry.get().and_then(|e| e.value().parse::<i64>().ok());
        let max = limit.get().and_then(|m| m.value().parse::<i64>().ok());
        let role = kind
            .get()
            .and_then(|k| crate::dto::LinkRole::parse(&k.value()))
            .unwrap_or(crate::dto::LinkRole::Viewer);
        leptos::task::spawn_local(async move {
            done.run(
                create_link(id, role, password, days, max, label)
                    .await
                    .map(|_| ()),
            )
        });
    };
    view! {
        <h3 class="share-section">"Links"</h3>
        <ul class="share-links">
            {links.into_iter().map(|l| view! { <LinkRow link=l done=done/> }).collect_view()}
        </ul>
        <details class="link-options">
            <summary>"Link options"</summary>
            {folder.then(|| view! {
                <label>"Anyone with the link can"
                    <select node_ref=kind id="link-role">
                        <option value="viewer">"View and download"</option>
                        <option value="uploader">"Only upload (a drop box)"</option>
                        <option value="editor">"View, download and upload"</option>
                    </select>
                </label>
            })}
            <label>"Name (optional)"<input node_ref=label id="link-label" type="text" maxlength="100"
                placeholder="Shown beside what the link uploads"/></label>
            <label>"Password (optional)"<input node_ref=password id="link-password-new" type="password" autocomplete="new-password"/></label>
            <label>"Expires"
                <select node_ref=expiry id="link-expiry">
                    <option value="">"Never"</option>
                    <option value="1">"In 1 day"</option>
                    <option value="7">"In 7 days"</option>
                    <option value="30">"In 30 days"</option>
                </select>
            </label>
            <label>"Most downloads (optional)"<input node_ref=limit id="link-max" type="number" min="1"/></label>
        </details>
        <button id="link-create" class="button" type="button" on:click=make>"Create a link anyone can open"</button>
    }
}

#[component]
fn LinkRow(link: LinkDto, done: Callback<Result<(), crate::AppError>>) -> impl IntoView {
    let id = link.id;
    let url = full_url(&link.path);
    let copied = RwSignal::new(false);
    let copy_url = url.clone();
    let mut notes = vec![link.label.clone()];
    notes.push(match link.role {
        crate::dto::LinkRole::Viewer => "view".to_owned(),
        crate::dto::LinkRole::Uploader => "upload only".to_owned(),
        crate::dto::LinkRole::Editor => "view and upload".to_owned(),
    });
    if link.has_password {
        notes.push("password".to_owned());
    }
    if let Some(at) = link.expires {
        notes.push(format!(
            "expires {}",
            super::format::relative_time(at, super::format::now_secs())
        ));
    }
    if let Some(max) = link.max_downloads {
        notes.push(format!("{} of {max} downloads", link.downloads));
    }
    view! {
        <li class="link-row">
            <input class="link-url" readonly value=url aria-label="Link"/>
            <button class="button small link-copy" type="button"
                on:click=move |_| { copy(&copy_url); copied.set(true); }>
                {move || if copied.get() { "Copied" } else { "Copy" }}
            </button>
            <button class="button small ghost link-revoke" type="button"
                on:click=move |_| leptos::task::spawn_local(async move { done.run(revoke_link(id).await) })>
                "Revoke"
            </button>
            <span class="muted link-notes">{notes.join(" · ")}</span>
        </li>
    }
}

/// The link with this server's address in front.
pub(crate) fn full_url(path: &str) -> String {
    #[cfg(feature = "hydrate")]
    if let Some(origin) = web_sys::window().and_then(|w| w.location().origin().ok()) {
        return format!("{origin}{path}");
    }
    path.to_owned()
}

/// Puts `text` on the clipboard.
fn copy(text: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let clipboard = web_sys::window()
            .and_then(|w| js_sys::Reflect::get(&w, &"navigator".into()).ok())
            .and_then(|n| js_sys::Reflect::get(&n, &"clipboard".into()).ok());
        if let Some(clipboard) = clipboard.filter(|c| !c.is_undefined()) {
            if let Ok(write) = js_sys::Reflect::get(&clipboard, &"writeText".into()) {
                if let Ok(write) = write.dyn_into::<js_sys::Function>() {
                    let _ = write.call1(&clipboard, &text.into());
                }
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}
