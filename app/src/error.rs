//! The one error type users see, shared by server functions and the JSON API.
//! It carries only what a person should read; internal causes are logged at the boundary.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AppError {
    #[error("{message}")]
    Validation {
        field: Option<String>,
        message: String,
    },
    #[error("Incorrect email or password.")]
    InvalidCredentials,
    #[error("Please sign in to continue.")]
    Unauthorized,
    #[error("You don't have permission to do that.")]
    Forbidden,
    /// Not allowed, for a reason the person can act on.
    #[error("{message}")]
    NotAllowed { message: String },
    #[error("This account is disabled. Ask your administrator.")]
    AccountDisabled,
    #[error("Not found.")]
    NotFound,
    /// A public link that was revoked, has expired or has been used up.
    #[error("This link is no longer available.")]
    Gone,
    /// A change feed cursor older than the changes the server keeps.
    #[error("This cursor is older than the changes the server keeps. List your folders again, then follow the changes from a new cursor (/api/v1/changes/latest).")]
    CursorExpired,
    /// A public link with a password, before (or after a wrong) password.
    #[error("{message}")]
    PasswordRequired { message: String },
    #[error("{message}")]
    Conflict {
        field: Option<String>,
        message: String,
    },
    #[error("This would exceed your storage quota.")]
    QuotaExceeded,
    #[error("The request is too large.")]
    TooLarge,
    /// An upload over the server's limit for one file.
    #[error("This file is larger than {}, the most one upload may be.", crate::drive::format::human_size(*max_bytes))]
    FileTooLarge { max_bytes: i64 },
    #[error("{message}")]
    Precondition { message: String },
    /// Locked (WebDAV) by another app or person: the lock's token was not sent.
    #[error("This item is locked by another app. Try again when it is closed there.")]
    Locked,
    #[error("This content type is not accepted here.")]
    UnsupportedMediaType,
    #[error("The requested range is not in the file.")]
    RangeNotSatisfiable,
    #[error("The data does not match its checksum; it was discarded. Send it again.")]
    ChecksumMismatch,
    #[error("Too many attempts. Try again in {retry_after_secs} seconds.")]
    RateLimited { retry_after_secs: u64 },
    /// The server cannot reach its database or its storage for a moment (or is stopping):
    /// nothing was changed, and the same request may be sent again after `retry_after_secs`.
    #[error("The server is busy for a moment. Nothing was changed; retrying shortly.")]
    Unavailable { retry_after_secs: u64 },
    /// The server's own disk is full: nothing of the request was kept.
    #[error("The server's disk is full, so nothing was saved. Ask your administrator to free some space, then try again.")]
    InsufficientStorage,
    #[error("Could not reach the server. Check your connection and try again.")]
    Network,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Self::Validation {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    pub fn not_allowed(message: impl Into<String>) -> Self {
        Self::NotAllowed {
            message: message.into(),
        }
    }

    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        Self::Conflict {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    /// The stable machine-readable code of API.md's error body.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation { .. } => "validation",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Unauthorized => "unauthenticated",
            Self::Forbidden | Self::NotAllowed { .. } => "forbidden",
            Self::AccountDisabled => "account_disabled",
            Self::NotFound => "not_found",
            Self::Gone => "gone",
            Self::CursorExpired => "cursor_expired",
            Self::PasswordRequired { .. } => "password_required",
            Self::Conflict { .. } => "conflict",
            Self::QuotaExceeded => "quota_exceeded",
            Self::TooLarge | Self::FileTooLarge { .. } => "too_large",
            Self::Precondition { .. } => "precondition_failed",
            Self::Locked => "locked",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::RangeNotSatisfiable => "range_not_satisfiable",
            Self::ChecksumMismatch => "checksum_mismatch",
            Self::RateLimited { .. } => "rate_limited",
            Self::Unavailable { .. } => "unavailable",
            Self::InsufficientStorage => "insufficient_storage",
            Self::Network => "network",
            Self::Internal => "internal",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::Validation { .. } => 400,
            Self::InvalidCredentials | Self::Unauthorized | Self::PasswordRequired { .. } => 401,
            Self::Forbidden | Self::NotAllowed { .. } | Self::AccountDisabled => 403,
            Self::NotFound => 404,
            Self::Gone | Self::CursorExpired => 410,
            Self::Conflict { .. } => 409,
            Self::Precondition { .. } => 412,
            Self::Locked => 423,
            Self::TooLarge | Self::FileTooLarge { .. } => 413,
            Self::UnsupportedMediaType => 415,
            Self::RangeNotSatisfiable => 416,
            Self::ChecksumMismatch => 460,
            Self::RateLimited { .. } => 429,
            Self::QuotaExceeded | Self::InsufficientStorage => 507,
            Self::Network | Self::Unavailable { .. } => 503,
            Self::Internal => 500,
        }
    }

    /// The form field this error is about, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Validation { field, .. } | Self::Conflict { field, .. } => field.as_deref(),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::Network,
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => Self::Validation {
                field: None,
                message: "Some fields are missing or invalid.".into(),
            },
            _ => Self::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_round_trip_through_json_with_their_code() {
        let e = AppError::validation("email", "Enter a valid email address.");
        let json = serde_json::to_string(&e).unwrap_or_default();
        assert!(json.contains("\"code\":\"validation\""), "{json}");
        let back: AppError = serde_json::from_str(&json).unwrap_or(AppError::Internal);
        assert_eq!(back, e);
        assert_eq!(back.field(), Some("email"));
        assert_eq!(
            AppError::RateLimited {
                retry_after_secs: 7
            }
            .status(),
            429
        );
    }
}
