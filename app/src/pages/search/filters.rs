//! The results page's filters: type, modified (a recent period or a range of dates), size and
//! owner. Each is a URL parameter of the search (API.md); a change calls `set` with the
//! parameters it changes.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::{
    drive::format::{now_secs, utc_time},
    dto::FileType,
};

/// The filters' URL parameters.
pub const FILTERS: [&str; 7] = [
    "kind",
    "modified_after",
    "modified_before",
    "min_size",
    "max_size",
    "owner",
    "shared",
];

const MB: i64 = 1 << 20;

/// Size choices: (min_size, max_size, label); sizes in bytes, both ends included.
fn sizes() -> [(String, String, &'static str); 5] {
    let n = |v: i64| v.to_string();
    [
        (String::new(), String::new(), "Any size"),
        (String::new(), n(MB - 1), "Under 1 MB"),
        (n(MB), n(100 * MB), "1 MB to 100 MB"),
        (n(100 * MB + 1), String::new(), "Over 100 MB"),
        (n(1024 * MB + 1), String::new(), "Over 1 GB"),
    ]
}

/// The select's value for a size range.
fn size_value(min: &str, max: &str) -> String {
    format!("{min}-{max}")
}

/// The value of the "Modified" choice that means "pick the dates".
const CUSTOM: &str = "custom";

#[component]
pub fn Filters(set: Callback<Vec<(&'static str, String)>>) -> impl IntoView {
    let query = use_query_map();
    let get = move |key: &str| query.read().get(key).unwrap_or_default();
    let since = since_options();
    let presets: Vec<String> = since.iter().map(|(v, _)| v.clone()).collect();
    // The dates show when asked for, or when the URL holds a range no preset names.
    let custom = RwSignal::new(false);
    let dated = move || {
        let after = get("modified_after");
        custom.get()
            || !get("modified_before").is_empty()
            || (!after.is_empty() && !presets.contains(&after))
    };
    let dated = Memo::new(move |_| dated());
    let one = move |key: &'static str| {
        move |ev: leptos::ev::Event| set.run(vec![(key, event_target_value(&ev))])
    };
    let on_modified = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if value == CUSTOM {
            custom.set(true);
            return;
        }
        custom.set(false);
        set.run(vec![
            ("modified_after", value),
            ("modified_before", String::new()),
        ]);
    };
    let on_size = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let (min, max) = value.split_once('-').unwrap_or_default();
        set.run(vec![
            ("min_size", min.to_owned()),
            ("max_size", max.to_owned()),
        ]);
    };
    let size_now = move || size_value(&get("min_size"), &get("max_size"));
    // A range from the URL that no choice names still shows, as what it is.
    let other_size = move || {
        let now = size_now();
        (!sizes().iter().any(|(a, b, _)| size_value(a, b) == now))
            .then(|| view! { <option value=now.clone()>{describe(&get("min_size"), &get("max_size"))}</option> })
    };
    view! {
        <form class="search-filters" aria-label="Filters">
            <label>"Type "
                <select name="kind" on:change=one("kind") prop:value=move || get("kind")>
                    <option value="">"Any type"</option>
                    {FileType::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str()>{k.label()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"Modified "
                <select name="modified" on:change=on_modified
                    prop:value=move || if dated.get() { CUSTOM.to_owned() } else { get("modified_after") }>
                    <option value="">"Any time"</option>
                    {since.into_iter().map(|(value, label)| view! {
                        <option value=value>{label}</option>
                    }).collect_view()}
                    <option value=CUSTOM>"Between dates…"</option>
                </select>
            </label>
            <Show when=move || dated.get()>
                <label>"From "
                    <input type="date" name="modified_after" on:change=one("modified_after")
                        prop:value=move || get("modified_after")/>
                </label>
                <label>"to "
                    <input type="date" name="modified_before" on:change=one("modified_before")
                        prop:value=move || get("modified_before")/>
                </label>
            </Show>
            <label>"Size "
                <select name="size" on:change=on_size prop:value=size_now>
                    {sizes().into_iter().map(|(min, max, label)| view! {
                        <option value=size_value(&min, &max)>{label}</option>
                    }).collect_view()}
                    {other_size}
                </select>
            </label>
            <label>"Owner "
                <select name="owner" on:change=one("owner") prop:value=move || get("owner")>
                    <option value="">"Anyone"</option>
                    <option value="me">"Me"</option>
                    <option value="others">"Shared with me"</option>
                </select>
            </label>
        </form>
    }
}

/// A size range in words, for one given in the URL.
fn describe(min: &str, max: &str) -> String {
    let human = |v: &str| {
        v.parse::<i64>()
            .map(crate::drive::format::human_size)
            .unwrap_or_else(|_| v.to_owned())
    };
    match (min.is_empty(), max.is_empty()) {
        (false, false) => format!("{} to {}", human(min), human(max)),
        (false, true) => format!("At least {}", human(min)),
        _ => format!("At most {}", human(max)),
    }
}

/// "Modified" choices: (the date they start, their label).
fn since_options() -> Vec<(String, &'static str)> {
    let now = now_secs();
    [
        (1, "Today"),
        (7, "Last 7 days"),
        (30, "Last 30 days"),
        (365, "Last year"),
    ]
    .into_iter()
    .map(|(days, label)| (utc_time(now - days * 86_400)[..10].to_owned(), label))
    .collect()
}
