//! Errors at the HTTP boundary: internal causes are logged in full, users get `AppError`
//! rendered as API.md's JSON body `{"error": {"code", "message", "field"}}`.

use app::AppError;
use axum::{
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;
use utoipa::ToSchema;

/// What services return: a user-facing error, or an internal failure to log and hide.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    User(#[from] AppError),
    #[error("database error")]
    Db(#[from] sea_orm::DbErr),
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("background task failed")]
    Join(#[from] tokio::task::JoinError),
    #[error("token signing failed")]
    Jwt(#[from] jsonwebtoken::errors::Error),
    #[error("session store failed")]
    Session(#[from] tower_sessions::session::Error),
    #[error("staging files failed")]
    Staging(#[source] std::io::Error),
    #[error("blob storage failed: {0}")]
    Storage(#[from] crate::storage::StorageError),
}

impl From<ServiceError> for AppError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::User(e) => e,
            internal => match crate::outage::classify(&internal) {
                Some(outage) => {
                    tracing::warn!(error = %internal, cause = ?internal, "{}", outage.code());
                    outage
                }
                None => {
                    tracing::error!(error = %internal, cause = ?internal, "internal error");
                    AppError::Internal
                }
            },
        }
    }
}

/// An `AppError` as an HTTP response.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `validation`, `not_found`, `rate_limited`.
    pub code: String,
    /// A short message for people.
    pub message: String,
    /// The request field the error is about, if any.
    pub field: Option<String>,
}

impl From<&AppError> for ErrorDetail {
    fn from(error: &AppError) -> Self {
        Self {
            code: error.code().to_owned(),
            message: error.to_string(),
            field: error.field().map(str::to_owned),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        error_response(&self.0)
    }
}

pub fn error_response(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = ErrorBody {
        error: ErrorDetail::from(error),
    };
    let mut response = (status, Json(body)).into_response();
    if let AppError::RateLimited { retry_after_secs } | AppError::Unavailable { retry_after_secs } =
        error
    {
        if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
    response
}

pub type ApiResult<T> = Result<T, ApiError>;
