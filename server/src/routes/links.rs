//! Managing public links: `/api/v1/nodes/{id}/links` and `/api/v1/links/{id}` (those who may
//! share the item: its owner and its managers).

use app::{dto::LinkRole, AppError};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    auth::CurrentUser,
    entities::share_link,
    error::{ApiError, ApiResult, ErrorBody},
    extract::ApiJson,
    routes::parse_id,
    sharing::links::NewLink,
    state::AppState,
};

#[derive(Serialize, ToSchema)]
pub struct LinkDto {
    pub id: Uuid,
    pub node_id: Uuid,
    pub token: String,
    /// Where the recipient opens it: `/s/{token}` on this server.
    pub url: String,
    /// `viewer`, `uploader` or `editor`.
    pub role: String,
    pub has_password: bool,
    pub expires_at: Option<DateTime<Utc>>,
    pub max_downloads: Option<i64>,
    /// Downloads' worth of bytes served so far (a download cut short counts what was sent).
    pub downloads: i64,
    pub created_at: DateTime<Utc>,
    /// The owner's words for the link; what it uploads is recorded "via link <label>".
    pub label: String,
}

impl From<share_link::Model> for LinkDto {
    fn from(l: share_link::Model) -> Self {
        Self {
            url: format!("/s/{}", l.token),
            id: l.id,
            node_id: l.node_id,
            token: l.token,
            role: l.role,
            has_password: l.password_hash.is_some(),
            expires_at: l.expires_at,
            max_downloads: l.max_downloads,
            downloads: l.downloads,
            created_at: l.created_at,
            label: l.label.unwrap_or_default(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct NewLinkBody {
    /// `viewer` (default), `uploader` (folders: a drop box) or `editor` (folders).
    pub role: Option<String>,
    pub password: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub max_downloads: Option<i64>,
    /// Your words for it (default "Link of <date>").
    pub label: Option<String>,
}

/// The item's links (revoked ones are not listed).
#[utoipa::path(get, path = "/api/v1/nodes/{id}/links", tag = "sharing", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = [LinkDto]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<LinkDto>>> {
    let links = state
        .service
        .links_of(&current.actor, parse_id(&id)?)
        .await?;
    Ok(Json(links.into_iter().map(LinkDto::from).collect()))
}

/// Make a public link to the item.
#[utoipa::path(post, path = "/api/v1/nodes/{id}/links", tag = "sharing", request_body = NewLinkBody,
    security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 201, body = LinkDto), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewLinkBody>,
) -> ApiResult<(StatusCode, Json<LinkDto>)> {
    let role = match body.role.as_deref() {
        None => LinkRole::Viewer,
        Some(raw) => LinkRole::parse(raw).ok_or_else(|| {
            ApiError(AppError::validation(
                "role",
                "The role is viewer, uploader or editor.",
            ))
        })?,
    };
    let id = parse_id(&id)?;
    let new = NewLink {
        role,
        password: body.password,
        expires_at: body.expires_at,
        max_downloads: body.max_downloads,
        label: body.label,
    };
    let link = state.service.create_link(&current.actor, id, new).await?;
    Ok((StatusCode::CREATED, Json(link.into())))
}

/// Revoke a link: it stops working at once and its page says so.
#[utoipa::path(delete, path = "/api/v1/links/{id}", tag = "sharing", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state
        .service
        .revoke_link(&current.actor, parse_id(&id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
