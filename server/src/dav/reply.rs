//! WebDAV's error answers: the status, and a sentence a person can read (never internals).

use app::AppError;
use axum::{
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};

use crate::error::ServiceError;

/// An answer other than success.
#[derive(Debug)]
pub struct Reply(pub Box<Response>);

impl Reply {
    pub fn status(status: StatusCode, message: &str) -> Self {
        Reply(Box::new(
            (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("{message}\n"),
            )
                .into_response(),
        ))
    }

    /// An RFC 4918 precondition or postcondition error: `<D:error><D:{code}/></D:error>`.
    pub fn condition(status: StatusCode, code: &str) -> Self {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:error xmlns:D=\"DAV:\"><D:{code}/></D:error>\n"
        );
        Reply(Box::new(
            (
                status,
                [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
                body,
            )
                .into_response(),
        ))
    }

    pub fn bad_request(message: &str) -> Self {
        Self::status(StatusCode::BAD_REQUEST, message)
    }

    pub fn conflict(message: &str) -> Self {
        Self::status(StatusCode::CONFLICT, message)
    }

    pub fn forbidden(message: &str) -> Self {
        Self::status(StatusCode::FORBIDDEN, message)
    }

    pub fn not_found() -> Self {
        Self::from(AppError::NotFound)
    }

    pub fn precondition() -> Self {
        Self::status(
            StatusCode::PRECONDITION_FAILED,
            "The item changed or is locked since you last read it.",
        )
    }
}

impl From<AppError> for Reply {
    fn from(e: AppError) -> Self {
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self::status(status, &e.to_string())
    }
}

impl From<ServiceError> for Reply {
    fn from(e: ServiceError) -> Self {
        Self::from(AppError::from(e))
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        *self.0
    }
}
