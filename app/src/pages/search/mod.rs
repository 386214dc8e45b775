//! `/search?q=…`: results of a search with its filters (type, modified, size, owner), a page at a
//! time. The URL holds the whole search, so it can be bookmarked and the back button works.

pub mod api;
mod filters;
pub mod hit;

use leptos::{either::Either, prelude::*};
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::components::layout::SignedIn;
use api::{find, query_string};
use filters::{Filters, FILTERS};
use hit::Hit;

#[component]
pub fn SearchPage() -> impl IntoView {
    view! {
        <SignedIn>
            <Results/>
        </SignedIn>
    }
}

#[component]
fn Results() -> impl IntoView {
    let query = use_query_map();
    let get = move |key: &str| query.read().get(key).unwrap_or_default();
    let params = move || {
        let mut pairs = vec![("q", get("q"))];
        pairs.extend(FILTERS.iter().map(|k| (*k, get(k))));
        pairs.push(("cursor", get("cursor")));
        query_string(&pairs)
    };
    let results = Resource::new(params, |params| async move {
        if params.is_empty() {
            return Ok(None);
        }
        find(params).await.map(Some)
    });
    let navigate = use_navigate();
    // Filters changed: the same words, the new filters, from the first page.
    let set = Callback::new(move |changed: Vec<(&'static str, String)>| {
        let mut pairs = vec![("q", get("q"))];
        pairs.extend(FILTERS.iter().map(|k| {
            let new = changed.iter().find(|(c, _)| c == k).map(|(_, v)| v.clone());
            (*k, new.unwrap_or_else(|| get(k)))
        }));
        navigate(
            &format!("/search?{}", query_string(&pairs)),
            Default::default(),
        );
    });
    let title = move || match get("q") {
        q if q.is_empty() => "Search".to_owned(),
        q => format!("“{q}”"),
    };
    view! {
        <leptos_meta::Title text=move || format!("Search {}", title())/>
        <div class="page-head"><h1>{move || format!("Results for {}", title())}</h1></div>
        <Filters set=set/>
        <Transition fallback=|| view! { <p class="muted loading">"Searching…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(None) => Either::Left(view! {
                        <p class="muted">"Type in the search box above to find files by name or by what is in them."</p>
                    }.into_any()),
                    Ok(Some(page)) if page.hits.is_empty() => Either::Left(view! {
                        <section class="empty-state"><h2>"Nothing found"</h2>
                        <p class="muted">"Try other words, fewer words, or fewer filters."</p></section>
                    }.into_any()),
                    Ok(Some(page)) => {
                        let now = crate::drive::format::now_secs();
                        let next = page.next_cursor.clone().map(|cursor| {
                            let mut pairs = vec![("q", get("q"))];
                            pairs.extend(FILTERS.iter().map(|k| (*k, get(k))));
                            pairs.push(("cursor", cursor));
                            format!("/search?{}", query_string(&pairs))
                        });
                        Either::Right(view! {
                            <p class="muted result-count">{format!("{} found", page.total)}</p>
                            <div class="hits" role="list">
                                {page.hits.into_iter().map(|hit| view! {
                                    <div role="listitem"><Hit hit=hit now=now/></div>
                                }).collect_view()}
                            </div>
                            {next.map(|href| view! { <a class="button" href=href>"More results"</a> })}
                        })
                    }
                    Err(e) => Either::Left(view! {
                        <p class="form-error" role="alert">{e.to_string()}</p>
                    }.into_any()),
                }
            })}
        </Transition>
    }
}
