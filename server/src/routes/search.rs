//! `GET /api/v1/search`: full-text search over what the caller may see.

use app::dto::{SearchHit, SnippetPart};
use axum::{
    extract::{RawQuery, State},
    Json,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    auth::CurrentUser,
    error::{ApiResult, ErrorBody},
    search::params,
    state::AppState,
};

#[derive(Serialize, ToSchema)]
pub struct SearchPageDto {
    pub hits: Vec<SearchHitDto>,
    /// Matches in all (an estimate: a few may turn out not to be visible).
    pub total: u64,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHitDto {
    pub id: Uuid,
    pub name: String,
    /// `folder` or `file`.
    pub kind: String,
    pub size: i64,
    pub mime: Option<String>,
    pub modified_at: Option<DateTime<Utc>>,
    /// The folder it is in, when the caller may open it.
    pub parent_id: Option<Uuid>,
    /// The folder path as the caller sees it (`My files / Projects`).
    pub path: String,
    /// The owner's name when it is someone else's.
    pub owner_name: Option<String>,
    /// Text around the match; `hit` pieces are the matched words.
    pub snippet: Vec<SnippetPartDto>,
}

#[derive(Serialize, ToSchema)]
pub struct SnippetPartDto {
    pub text: String,
    pub hit: bool,
}

impl From<SearchHit> for SearchHitDto {
    fn from(hit: SearchHit) -> Self {
        let e = hit.entry;
        Self {
            id: e.id,
            name: e.name,
            kind: if e.is_folder { "folder" } else { "file" }.to_owned(),
            size: e.size,
            mime: e.mime,
            modified_at: DateTime::from_timestamp(e.modified, 0),
            parent_id: hit.parent_id,
            path: hit.path,
            owner_name: hit.owner,
            snippet: hit
                .snippet
                .into_iter()
                .map(|SnippetPart { text, hit }| SnippetPartDto { text, hit })
                .collect(),
        }
    }
}

/// Searches names, folder paths and the text inside files (documents, PDFs, spreadsheets,
/// code). Words must all match (in any field); "quotes" match a phrase; a word with one typo
/// still matches names. Filters narrow the results; with no words they are listed newest first.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", security(("bearer" = [])),
    params(
        ("q" = Option<String>, Query, description = "Words; \"quotes\" for a phrase"),
        ("kind" = Option<String>, Query, description = "folder, document, pdf, image, audio, video, archive, code or other"),
        ("mime" = Option<String>, Query, description = "application/pdf, or image/*"),
        ("min_size" = Option<String>, Query, description = "Bytes, or a size like 10MB"),
        ("max_size" = Option<String>, Query),
        ("modified_after" = Option<String>, Query, description = "RFC 3339 time or a date"),
        ("modified_before" = Option<String>, Query),
        ("owner" = Option<String>, Query, description = "me or others"),
        ("shared" = Option<bool>, Query, description = "only what others shared with me"),
        ("limit" = Option<u32>, Query, description = "1 to 100, default 20"),
        ("cursor" = Option<String>, Query)),
    responses((status = 200, body = SearchPageDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    current: CurrentUser,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<SearchPageDto>> {
    let q = params::parse_query(&raw.unwrap_or_default())?;
    let page = state.service.search(&current.actor, q).await?;
    Ok(Json(SearchPageDto {
        hits: page.hits.into_iter().map(Into::into).collect(),
        total: page.total,
        next_cursor: page.next_cursor,
    }))
}
