//! The header's account button and its menu (who is signed in, sign out).

use leptos::prelude::*;

use crate::{
    auth::{reload_at, SignOut},
    dto::UserDto,
};

#[component]
pub fn UserMenu(user: UserDto) -> impl IntoView {
    let open = RwSignal::new(false);
    let sign_out = ServerAction::<SignOut>::new();
    let result = sign_out.value();
    Effect::new(move |_| {
        if let Some(Ok(())) = result.get() {
            reload_at("/login");
        }
    });
    let initials: String = user
        .name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();

    view! {
        <div
            class="user-menu"
            on:keydown=move |ev| if ev.key() == "Escape" { open.try_set(false); }
            // `try_`: the menu may be gone (a link in it opened another page) when focus leaves.
            on:focusout=move |ev| if !focus_stays_inside(&ev) { open.try_set(false); }
        >
            <button id="user-menu-button" class="avatar-button" type="button"
                aria-haspopup="menu"
                aria-expanded=move || open.try_get().unwrap_or(false).to_string()
                aria-controls="user-menu" on:click=move |_| open.update(|o| *o = !*o)>
                <span class="avatar" aria-hidden="true">{initials}</span>
                <span class="user-name">{user.name.clone()}</span>
            </button>
            <div id="user-menu" class="menu" role="menu" hidden=move || !open.try_get().unwrap_or(false)>
                <div class="menu-header">
                    <strong>{user.name.clone()}</strong>
                    <span class="muted">{user.email.clone()}</span>
                </div>
                <a id="settings-link" class="menu-item" href="/settings" role="menuitem">"Settings"</a>
                <ActionForm action=sign_out>
                    <button id="sign-out" class="menu-item" type="submit" role="menuitem">"Sign out"</button>
                </ActionForm>
            </div>
        </div>
    }
}

/// Whether focus moves to another element inside the menu (clicking elsewhere closes it).
fn focus_stays_inside(ev: &leptos::web_sys::FocusEvent) -> bool {
    use leptos::wasm_bindgen::JsCast;
    let node = |t: Option<leptos::web_sys::EventTarget>| {
        t.and_then(|t| t.dyn_into::<leptos::web_sys::Node>().ok())
    };
    match (node(ev.current_target()), node(ev.related_target())) {
        (Some(menu), Some(next)) => menu.contains(Some(&next)),
        _ => false,
    }
}
