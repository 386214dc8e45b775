//! `GET /api/v1/zip?ids=a,b,c`: several files and folders (a selection in the drive) as one
//! zip, streamed while it is read, each item at the archive's top.

use app::AppError;
use axum::{
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;

use crate::{
    auth::CurrentUser,
    error::{ApiError, ApiResult},
    routes::parse_id,
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
    let ids = ids
        .into_iter()
        .map(parse_id)
        .collect::<Result<Vec<_>, _>>()?;
    let zip = state.service.selection_zip(&current.actor, &ids).await?;
    Ok(super::download::zip_response(zip))
}
