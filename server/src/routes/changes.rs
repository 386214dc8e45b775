//! The change feed: `GET /api/v1/changes/latest` and `GET /api/v1/changes?cursor=C&wait=S`.
//! A thin adapter: the service decides what the caller may hear of.

use std::time::Duration;

use axum::{
    extract::{Query, State},
    Json,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{
    auth::CurrentUser,
    error::{ApiResult, ErrorBody},
    service::{FeedItem, ItemState, MAX_WAIT},
    state::AppState,
};

#[derive(Serialize, ToSchema)]
pub struct CursorDto {
    /// Opaque: pass it back as it is.
    pub cursor: String,
}

#[derive(Deserialize, IntoParams)]
pub struct ChangesQuery {
    /// A cursor from `/changes/latest` or from the last answer's `next_cursor`.
    pub cursor: String,
    /// Seconds to wait for a change when there is none yet (0 to 60; default 0).
    pub wait: Option<String>,
}

/// One item that changed, as it is now. A folder's entry stands for what is below it: when
/// a folder arrives that you did not have, list it.
#[derive(Serialize, ToSchema)]
pub struct ChangeDto {
    pub node_id: Uuid,
    /// `live`, `trashed` (in your trash) or `gone` (from what you see; only `node_id` then).
    pub state: String,
    /// The folder it is in, when you see that folder (not for a share's top item).
    pub parent_id: Option<Uuid>,
    pub name: Option<String>,
    /// `file` or `folder`.
    pub kind: Option<String>,
    pub version: Option<i32>,
    /// SHA-256 of the content, hex (files).
    pub content_hash: Option<String>,
    pub size: Option<i64>,
    pub mtime: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct ChangesDto {
    pub changes: Vec<ChangeDto>,
    pub next_cursor: String,
}

impl From<FeedItem> for ChangeDto {
    fn from(item: FeedItem) -> Self {
        let state = match item.state {
            ItemState::Live => "live",
            ItemState::Trashed => "trashed",
            ItemState::Gone => "gone",
        };
        let node = item.node;
        Self {
            node_id: item.id,
            state: state.into(),
            parent_id: item.parent,
            name: node.as_ref().map(|n| n.name.clone()),
            kind: node.as_ref().map(|n| n.kind.clone()),
            version: node.as_ref().and_then(|n| n.version),
            content_hash: node.as_ref().and_then(|n| n.sha256.clone()),
            size: node.as_ref().map(|n| n.size),
            mtime: node.as_ref().map(|n| n.modified_at),
        }
    }
}

fn bad(field: &str, message: &str) -> crate::error::ApiError {
    crate::error::ApiError(app::AppError::validation(field, message))
}

/// A cursor for "now": follow the changes from here after listing what you keep a copy of.
#[utoipa::path(get, path = "/api/v1/changes/latest", tag = "files", security(("bearer" = [])),
    responses((status = 200, body = CursorDto), (status = 401, body = ErrorBody)))]
pub async fn latest(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<CursorDto>> {
    let at = state.service.latest_change(&current.actor).await?;
    Ok(Json(CursorDto {
        cursor: at.to_string(),
    }))
}

/// What changed since `cursor` among what you see (your files and what is shared with you),
/// and what you lost sight of. With `wait`, waits for a change (made on any node) when there
/// is none yet. A cursor older than the changes kept: 410 `cursor_expired` (list again).
#[utoipa::path(get, path = "/api/v1/changes", tag = "files", security(("bearer" = [])),
    params(ChangesQuery),
    responses((status = 200, body = ChangesDto), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn changes(
    State(state): State<AppState>,
    current: CurrentUser,
    Query(query): Query<ChangesQuery>,
) -> ApiResult<Json<ChangesDto>> {
    let cursor: i64 = query
        .cursor
        .parse()
        .ok()
        .filter(|c| *c >= 0)
        .ok_or_else(|| {
            bad(
                "cursor",
                "This is not a cursor: start from /api/v1/changes/latest.",
            )
        })?;
    let wait = match query.wait.as_deref() {
        None | Some("") => 0,
        Some(w) => w
            .parse::<u64>()
            .ok()
            .filter(|w| *w <= MAX_WAIT.as_secs())
            .ok_or_else(|| bad("wait", "wait is a number of seconds from 0 to 60."))?,
    };
    let page = state
        .service
        .changes_since(
            &current.actor,
            cursor,
            Duration::from_secs(wait),
            state.readiness.drained(),
        )
        .await?;
    Ok(Json(ChangesDto {
        changes: page.items.into_iter().map(ChangeDto::from).collect(),
        next_cursor: page.next_cursor.to_string(),
    }))
}
