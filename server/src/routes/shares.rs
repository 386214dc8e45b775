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

use super::nodes::{load, NodeDto};
use crate::{
    auth::CurrentUser,
    entities::{share, user},
    error::{ApiError, ApiResult, ErrorBody},
    extract::ApiJson,
    files::access,
    policy::Need,
    routes::parse_id,
    sharing::grants::{self, Grant},
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
    let node = load(&state, &current.actor, &id, Need::Read).await?;
    let rows = grants::on_node(&state.db, node.id).await?;
    Ok(Json(rows.into_iter().map(ShareDto::from).collect()))
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
    let node = match access::live_node(&state.db, &current.actor, node_id, Need::Share).await {
        Ok(node) => node,
        // An owner asking to share something in their trash is told why it cannot be.
        Err(e) => match crate::files::trash::find_entry(&state.db, node_id).await? {
            Some(trashed) if trashed.owner_id == current.user.id => trashed,
            _ => return Err(e.into()),
        },
    };
    let (grant, created) =
        grants::share(&state.db, current.user.id, &node, &body.email, role).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(grant.into())))
}

/// The grant, and its item if the caller may share it (the grant's holder may remove it).
async fn grant_for(
    state: &AppState,
    current: &CurrentUser,
    raw_id: &str,
    leaving: bool,
) -> ApiResult<share::Model> {
    let id = parse_id(raw_id)?;
    Ok(grants::for_sharer(&state.db, &current.actor, id, leaving).await?)
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
    let grant = grant_for(&state, &current, &id, false).await?;
    let share = grants::change_role(&state.db, current.user.id, &grant, role).await?;
    let grantee = crate::identity::users::by_id(&state.db, share.grantee_id)
        .await?
        .ok_or(AppError::NotFound)?;
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
    let grant = grant_for(&state, &current, &id, true).await?;
    grants::remove(&state.db, current.user.id, &grant).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What others have shared with the caller: each shared item (browse into it by its id).
#[utoipa::path(get, path = "/api/v1/shared-with-me", tag = "sharing", security(("bearer" = [])),
    responses((status = 200, body = [SharedItemDto]), (status = 401, body = ErrorBody)))]
pub async fn shared_with_me(
    State(state): State<AppState>,
    current: CurrentUser,
) -> ApiResult<Json<Vec<SharedItemDto>>> {
    let rows = grants::shared_with(&state.db, current.user.id).await?;
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
