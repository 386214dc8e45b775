//! `/search?q=…`: results of a search with its filters (type, modified, owner), a page at a
//! time. The URL holds the whole search, so it can be bookmarked and the back button works.

pub mod api;
pub mod hit;

use leptos::{either::Either, prelude::*};
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::{components::layout::SignedIn, dto::FileType};
use api::{find, query_string};
use hit::Hit;

#[component]
pub fn SearchPage() -> impl IntoView {
    view! {
        <SignedIn>
            <Results/>
        </SignedIn>
    }
}

/// The filters' URL parameters.
const FILTERS: [&str; 4] = ["kind", "modified_after", "owner", "shared"];

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
    // A filter changed: the same words, the new filter, from the first page.
    let set = move |key: &'static str, value: String| {
        let mut pairs = vec![("q", get("q"))];
        pairs.extend(
            FILTERS
                .iter()
                .map(|k| (*k, if *k == key { value.clone() } else { get(k) })),
        );
        navigate(
            &format!("/search?{}", query_string(&pairs)),
            Default::default(),
        );
    };
    let set = StoredValue::new(set);
    let select = move |key: &'static str| {
        move |ev: leptos::ev::Event| set.read_value()(key, event_target_value(&ev))
    };
    let title = move || match get("q") {
        q if q.is_empty() => "Search".to_owned(),
        q => format!("“{q}”"),
    };
    view! {
        <leptos_meta::Title text=move || format!("Search {}", title())/>
        <div class="page-head"><h1>{move || format!("Results for {}", title())}</h1></div>
        <form class="search-filters" aria-label="Filters">
            <label>"Type "
                <select name="kind" on:change=select("kind") prop:value=move || get("kind")>
                    <option value="">"Any type"</option>
                    {FileType::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str()>{k.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"Modified "
                <select name="modified_after" on:change=select("modified_after") prop:value=move || get("modified_after")>
                    <option value="">"Any time"</option>
                    {since_options().into_iter().map(|(value, label)| view! {
                        <option value=value>{label}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"Owner "
                <select name="owner" on:change=select("owner") prop:value=move || get("owner")>
                    <option value="">"Anyone"</option>
                    <option value="me">"Me"</option>
                    <option value="others">"Shared with me"</option>
                </select>
            </label>
        </form>
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

/// "Modified" choices: (the date they start, their label).
fn since_options() -> Vec<(String, &'static str)> {
    let now = crate::drive::format::now_secs();
    [
        (1, "Today"),
        (7, "Last 7 days"),
        (30, "Last 30 days"),
        (365, "Last year"),
    ]
    .into_iter()
    .map(|(days, label)| {
        (
            crate::drive::format::utc_time(now - days * 86_400)[..10].to_owned(),
            label,
        )
    })
    .collect()
}
