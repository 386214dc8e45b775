//! `GET /api/v1/zip?ids=a,b,c`: several files and folders (a selection in the drive) as one
//! zip, streamed while it is read, each item at the archive's top.

use std::collections::HashSet;

use app::AppError;
use axum::{
    body::Body,
    extract::{Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use futures::TryStreamExt;
use serde::Deserialize;

use crate::{
    auth::CurrentUser,
    error::{ApiError, ApiResult},
    files::{archive::FolderArchive, name::numbered},
    policy::Need,
    routes::{
        content::{attachment, set},
        nodes::load,
    },
    state::AppState,
};

/// The most items one selection may name.
const MAX_SELECTED: usize = 1000;

#[derive(Deserialize)]
pub struct SelectionQuery {
    /// Node ids, comma-separated.
    pub ids: Option<String>,
}

/// Several files and folders as one zip.
#[utoipa::path(get, path = "/api/v1/zip", tag = "files", security(("bearer" = [])),
    params(("ids" = String, Query, description = "Comma-separated node ids, at most 1000")),
    responses((status = 200, description = "A zip with every item at its top"),
        (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<SelectionQuery>,
) -> ApiResult<Response> {
    let raw = query.ids.unwrap_or_default();
    let ids: Vec<&str> = raw
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if ids.is_empty() {
        return Err(ApiError(AppError::validation(
            "ids",
            "Name at least one file or folder to download.",
        )));
    }
    if ids.len() > MAX_SELECTED {
        return Err(ApiError(AppError::validation(
            "ids",
            format!("At most {MAX_SELECTED} items can be downloaded at once."),
        )));
    }
    let mut seen = HashSet::new();
    let mut names = HashSet::new();
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        let node = load(&state, &current.actor, id, Need::Read).await?;
        if !seen.insert(node.id) {
            continue;
        }
        // Items from different folders may share a name: the later ones get "name (1)".
        let name = unique(&node.name, &mut names);
        items.push((node, name));
    }
    let count = items.len();
    let zip = FolderArchive::of_items(&state.db, &items).await?;
    let length = zip.byte_len();
    let stream = zip.stream(state.blobs.clone());
    let body = Body::from_stream(stream.map_err(std::io::Error::other));
    let mut response = (StatusCode::OK, body).into_response();
    let name = format!(
        "GoSync download ({count} item{}).zip",
        if count == 1 { "" } else { "s" }
    );
    set(&mut response, header::CONTENT_LENGTH, &length.to_string());
    set(&mut response, header::CONTENT_TYPE, "application/zip");
    set(
        &mut response,
        header::CONTENT_DISPOSITION,
        &attachment(&name),
    );
    set(&mut response, header::CACHE_CONTROL, "private, no-store");
    Ok(response)
}

/// `name`, or "stem (n).ext" when an earlier item took it.
fn unique(name: &str, taken: &mut HashSet<String>) -> String {
    let mut n = 0;
    loop {
        let candidate = numbered(name, n);
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::unique;

    #[test]
    fn names_that_clash_get_a_number() {
        let mut taken = Default::default();
        assert_eq!(unique("a.txt", &mut taken), "a.txt");
        assert_eq!(unique("a.txt", &mut taken), "a (1).txt");
        assert_eq!(unique("a.txt", &mut taken), "a (2).txt");
        assert_eq!(unique("Photos", &mut taken), "Photos");
        assert_eq!(unique("Photos", &mut taken), "Photos (1)");
    }
}
