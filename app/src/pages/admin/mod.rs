//! `/admin…`: the deployment for administrators: an overview (figures, storage charts,
//! failed jobs), the people (accounts and who may sign up), and the activity log.

pub mod activity;
pub mod api;
mod charts;
mod health;
mod new_account;
pub mod overview;
pub mod people;

use leptos::prelude::*;

use crate::components::layout::SignedIn;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Overview,
    People,
    Activity,
}

#[component]
pub fn AdminPage(tab: Tab) -> impl IntoView {
    let link = move |to: Tab, href: &'static str, label: &'static str| {
        view! {
            <a href=href class="tab" class:active=tab == to
                aria-current=if tab == to { Some("page") } else { None }>{label}</a>
        }
    };
    view! {
        <SignedIn>
            <leptos_meta::Title text="Admin"/>
            <div class="page-head"><h1>"Admin"</h1></div>
            <nav class="admin-tabs" aria-label="Admin sections">
                {link(Tab::Overview, "/admin", "Overview")}
                {link(Tab::People, "/admin/people", "People")}
                {link(Tab::Activity, "/admin/activity", "Activity")}
            </nav>
            {match tab {
                Tab::Overview => view! { <overview::Overview/> }.into_any(),
                Tab::People => view! { <people::People/> }.into_any(),
                Tab::Activity => view! { <activity::Activity/> }.into_any(),
            }}
        </SignedIn>
    }
}
