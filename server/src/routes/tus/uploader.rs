//! Who uploads over tus: a signed-in person (with their account), or a public link acting as
//! itself (made by the link's routes). The service asks the uploader's right at creation, at
//! every PATCH and once more at completion.

use axum::{extract::FromRequestParts, http::request::Parts};

pub use crate::service::Uploader;
use crate::{auth::CurrentUser, error::ApiError, state::AppState};

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
