//! The search pages' server function.

use leptos::prelude::*;

use crate::{dto::SearchPage, error::AppError};

/// Searches with the search page's URL query (`q=…&kind=pdf`).
#[server(endpoint = "search")]
pub async fn find(params: String) -> Result<SearchPage, AppError> {
    crate::auth::session::with_status(
        async {
            let (services, user) = crate::drive::api::signed_in().await?;
            services.search.search(user, params).await
        }
        .await,
    )
}

/// A URL query from pairs, empty values left out.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
