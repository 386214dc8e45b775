//! The signed-in frame: header with the user menu, sidebar, and the page's content.

use leptos::{either::Either, prelude::*};
use leptos_router::hooks::use_location;

use crate::{
    auth::UserResource,
    components::{redirect::ClientRedirect, theme::ThemeToggle, user_menu::UserMenu},
    dto::UserDto,
};

/// Shows `children` inside the app frame for a signed-in user; sends anyone else to sign in.
#[component]
pub fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let user = expect_context::<UserResource>();
    let children = StoredValue::new(children);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => Either::Left(view! {
                        <Frame user=user>{children.read_value()()}</Frame>
                    }),
                    _ => Either::Right(view! { <ClientRedirect path="/login"/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Frame(user: UserDto, children: Children) -> impl IntoView {
    let is_admin = user.is_admin;
    crate::components::live::provide_live(user.id);
    // On a phone the sidebar is a drawer, opened from the header.
    let drawer = RwSignal::new(false);
    view! {
        <div class="app">
            <a class="skip-link" href="#content">"Skip to content"</a>
            <header class="topbar">
                <button class="icon-button drawer-button" type="button" aria-controls="sidebar"
                    aria-expanded=move || drawer.get().to_string() aria-label="Menu"
                    on:click=move |_| drawer.update(|open| *open = !*open)>
                    <span class="drawer-icon" aria-hidden="true"></span>
                </button>
                <a class="brand" href="/" aria-label="GoSync">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">"GoSync"</span>
                </a>
                <crate::components::search_box::SearchBox/>
                <div class="topbar-actions">
                    <ThemeToggle/>
                    <UserMenu user=user/>
                </div>
            </header>
            {move || drawer.get().then(|| view! {
                <div class="drawer-backdrop" on:click=move |_| drawer.set(false)></div>
            })}
            <Sidebar is_admin=is_admin drawer=drawer/>
            <main id="content" class="content" tabindex="-1">{children()}</main>
            <crate::drive::upload_panel::UploadPanel/>
            <crate::drive::clash::ClashDialog/>
        </div>
    }
}

/// Places in the product.
#[component]
fn Sidebar(is_admin: bool, drawer: RwSignal<bool>) -> impl IntoView {
    let path = use_location().pathname;
    let current = move |href: &'static str| {
        let path = path.get();
        if path == href {
            Some("page")
        } else if href == "/" && path.starts_with("/folders/") {
            // Inside a folder of the drive: still in "My files".
            Some("location")
        } else {
            None
        }
    };
    view! {
        <nav id="sidebar" class="sidebar" class:open=move || drawer.get() aria-label="Main"
            on:click=move |_| drawer.set(false)>
            <a class="nav-item" href="/" aria-current=move || current("/")>
                <span class="nav-icon icon-folder" aria-hidden="true"></span>"My files"
            </a>
            <a class="nav-item" href="/shared" aria-current=move || current("/shared")>
                <span class="nav-icon icon-people" aria-hidden="true"></span>"Shared with me"
            </a>
            <a class="nav-item" href="/recent" aria-current=move || current("/recent")>
                <span class="nav-icon icon-clock" aria-hidden="true"></span>"Recent"
            </a>
            <a class="nav-item" href="/starred" aria-current=move || current("/starred")>
                <span class="nav-icon icon-star" aria-hidden="true"></span>"Starred"
            </a>
            <a class="nav-item" href="/trash" aria-current=move || current("/trash")>
                <span class="nav-icon icon-trash" aria-hidden="true"></span>"Trash"
            </a>
            {is_admin.then(|| view! {
                <a class="nav-item" href="/admin" aria-current=move || current("/admin")>
                    <span class="nav-icon icon-shield" aria-hidden="true"></span>"Admin"
                </a>
            })}
        </nav>
    }
}
