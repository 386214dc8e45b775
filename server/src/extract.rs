//! Request extractors that answer bad input with API.md's JSON errors.

use app::AppError;
use axum::{
    extract::{rejection::JsonRejection, FromRequest, Request},
    http::StatusCode,
};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// `axum::Json` whose rejections are 400/413 JSON errors that name the problem.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError(json_rejection(&rejection))),
        }
    }
}

fn json_rejection(rejection: &JsonRejection) -> AppError {
    match rejection {
        JsonRejection::JsonDataError(e) => {
            let (field, detail) = serde_detail(&e.body_text());
            AppError::Validation {
                field,
                message: format!("The request body is invalid: {detail}."),
            }
        }
        JsonRejection::JsonSyntaxError(_) => AppError::Validation {
            field: None,
            message: "The request body is not valid JSON.".into(),
        },
        JsonRejection::MissingJsonContentType(_) => AppError::Validation {
            field: None,
            message: "Send the request body as JSON with Content-Type: application/json.".into(),
        },
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge,
        _ => AppError::Validation {
            field: None,
            message: "The request body could not be read.".into(),
        },
    }
}

/// serde's description of what was wrong (without axum's prefix and the position), and the
/// field it names: `email: invalid type…` or ``missing field `email` ``.
pub(crate) fn serde_detail(text: &str) -> (Option<String>, String) {
    let text = text.split_once(": ").map_or(text, |(_, rest)| rest);
    let text = text.split(" at line ").next().unwrap_or(text);
    let text: String = text.chars().take(200).collect();
    if let Some((path, _)) = text
        .split_once(": ")
        .filter(|(p, _)| !p.contains(' ') && p != &".")
    {
        return (Some(path.to_owned()), text);
    }
    let named = text.starts_with("missing field") || text.starts_with("unknown field");
    let field = text.split('`').nth(1).filter(|_| named).map(str::to_owned);
    (field, text)
}

#[cfg(test)]
mod tests {
    use super::serde_detail;

    #[test]
    fn serde_messages_name_their_field() {
        let prefix = "Failed to deserialize the JSON body into the target type: ";
        let (field, text) =
            serde_detail(&format!("{prefix}missing field `email` at line 1 column 2"));
        assert_eq!(
            (field.as_deref(), text.as_str()),
            (Some("email"), "missing field `email`")
        );
        let (field, text) = serde_detail(&format!(
            "{prefix}name: invalid type: integer `5`, expected a string at line 1 column 9"
        ));
        assert_eq!(field.as_deref(), Some("name"));
        assert_eq!(text, "name: invalid type: integer `5`, expected a string");
    }
}
