//! Sharing with people: `/api/v1/nodes/{id}/shares`, `/api/v1/shares/{id}` and
//! `/api/v1/shared-with-me`. Who may share is the policy's to say (managers and owners).

use app::{dto::Role, AppError};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::nodes::NodeDto;
use crate::{
    auth::CurrentUser,
    entities::user,
    error::{ApiError, ApiResult, ErrorBody},
    extract::ApiJson,
    routes::parse_id,
    sharing::grants::Grant,
    state::AppState,
};

#[derive(Serialize, ToSchema)]
pub struct PersonDto {
    pub id: Uuid,
    pub email: String,
    pub name: String,
}

impl From<user::Model> for PersonDto {
    fn from(u: user::Model) -> Self {
        Self {
            id: u.id,
            email: u.email,
            name: u.name,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ShareDto {
    pub id: Uuid,
    pub node_id: Uuid,
    /// `viewer`, `editor` or `manager`.
    pub role: String,
    pub user: PersonDto,
    pub created_at: DateTime<Utc>,
}

impl From<Grant> for ShareDto {
    fn from(g: Grant) -> Self {
        Self {
            id: g.share.id,
            node_id: g.share.node_id,
            role: g.share.role,
            user: g.grantee.into(),
            created_at: g.share.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SharedItemDto {
    #[serde(flatten)]
    pub node: NodeDto,
    /// What the caller may do with it: `viewer`, `editor` or `manager`.
    pub role: String,
    /// The owner's name.
    pub owner_name: Option<String>,
    pub shared_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
pub struct NewShare {
    pub email: String,
    /// `viewer`, `editor` or `manager`.
    pub role: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ChangeShare {
    pub role: String,
}

fn role(raw: &str) -> Result<Role, ApiError> {
    Role::parse(raw).ok_or_else(|| {
        ApiError(AppError::validation(
            "role",
            "The role is viewer, editor or manager.",
        ))
    })
}

/// Who has access to an item (through a grant on the item itself).
#[utoipa::path(get, path = "/api/v1/nodes/{id}/shares", tag = "sharing", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = [ShareDto]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ShareDto>>> {
    let found = state
        .service
        .item_sharing(&current.actor, parse_id(&id)?)
        .await?;
    Ok(Json(found.grants.into_iter().map(ShareDto::from).collect()))
}

/// Share an item with someone by email (again with the same person: changes their role).
#[utoipa::path(post, path = "/api/v1/nodes/{id}/shares", tag = "sharing", request_body = NewShare,
    security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 201, body = ShareDto), (status = 200, body = ShareDto),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewShare>,
) -> ApiResult<(StatusCode, Json<ShareDto>)> {
    let node_id = parse_id(&id)?;
    let role = role(&body.role)?;
    let (grant, created) = state
        .service
        .share(&current.actor, node_id, &body.email, role)
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(grant.into())))
}

/// Change someone's role.
#[utoipa::path(patch, path = "/api/v1/shares/{id}", tag = "sharing", request_body = ChangeShare,
    security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, body = ShareDto), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ChangeShare>,
) -> ApiResult<Json<ShareDto>> {
    let role = role(&body.role)?;
    let (share, grantee) = state
        .service
        .change_grant(&current.actor, parse_id(&id)?, role)
        .await?;
    Ok(Json(Grant { share, grantee }.into()))
}

/// Take someone's access away (or give up one's own).
#[utoipa::path(delete, path = "/api/v1/shares/{id}", tag = "sharing", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    state
        .service
        .remove_grant(&current.actor, parse_id(&id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What others have shared with the caller: each shared item (browse into it by its id).
#[utoipa::path(get, path = "/api/v1/shared-with-me", tag = "sharing", security(("bearer" = [])),
    responses((status = 200, body = [SharedItemDto]), (status = 401, body = ErrorBody)))]
pub async fn shared_with_me(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<Vec<SharedItemDto>>> {
    let rows = state.service.shared_with_me(&current.actor).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(grant, node, owner)| SharedItemDto {
                node: node.into(),
                role: grant.role,
                owner_name: owner.map(|o| o.name),
                shared_at: grant.created_at,
            })
            .collect(),
    ))
}
