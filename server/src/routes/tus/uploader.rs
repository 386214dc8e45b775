//! Who uploads over tus: a signed-in person (with their account), or a public link acting as
//! itself. Its right is asked at creation, at every PATCH and once more at completion, so an
//! upload whose right went meanwhile (a grant removed, a link revoked, the folder moved out of
//! the link) stops, and its staged bytes are dropped, before it makes a file.

use app::AppError;
use axum::{extract::FromRequestParts, http::request::Parts};

use crate::{
    auth::CurrentUser,
    entities::{upload, user},
    error::{ApiError, ApiResult, ServiceError},
    files::access,
    policy::{Actor, Need},
    state::AppState,
};

pub struct Uploader {
    pub actor: Actor,
    /// The person's account; None for a link.
    pub account: Option<user::Model>,
}

impl From<CurrentUser> for Uploader {
    fn from(current: CurrentUser) -> Self {
        Self {
            actor: current.actor,
            account: Some(current.user),
        }
    }
}

impl FromRequestParts<AppState> for Uploader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(CurrentUser::from_request_parts(parts, state).await?.into())
    }
}

/// Whether the uploader may still add files where `upload` goes; if not, the upload ends.
pub async fn recheck(
    state: &AppState,
    uploader: &Uploader,
    upload: &upload::Model,
) -> ApiResult<()> {
    match access::live_node(&state.db, &uploader.actor, upload.parent_id, Need::Upload).await {
        Ok(_) => Ok(()),
        Err(ServiceError::User(AppError::NotFound | AppError::Forbidden)) => {
            state.uploads.discard(&state.db, upload).await?;
            Err(ApiError(AppError::not_allowed(
                "You may no longer upload into this folder, so this upload was cancelled. \
                 Ask its owner for access, then upload again.",
            )))
        }
        Err(e) => Err(e.into()),
    }
}
