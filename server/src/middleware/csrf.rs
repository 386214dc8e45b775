//! Cross-site request forgery protection for cookie-authenticated requests: a state-changing
//! request from another site (by `Sec-Fetch-Site` or `Origin`) is refused. Requests that carry
//! a bearer token are not at risk (browsers never add one by themselves).

use app::AppError;
use axum::{
    extract::Request,
    http::{header, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::error::ApiError;

pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if is_cross_site_write(&request) {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        return ApiError(AppError::Forbidden).into_response();
    }
    next.run(request).await
}

fn is_cross_site_write(request: &Request) -> bool {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return false;
    }
    let headers = request.headers();
    if headers.contains_key(header::AUTHORIZATION) {
        return false;
    }
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    origin == "null" || !origin_host.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn post(headers: &[(&str, &str)]) -> Request {
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/tokens");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(Body::empty()).unwrap_or_default()
    }

    #[test]
    fn same_origin_passes_and_other_origins_do_not() {
        assert!(!is_cross_site_write(&post(&[
            ("host", "gosync.test"),
            ("origin", "https://gosync.test")
        ])));
        assert!(is_cross_site_write(&post(&[
            ("host", "gosync.test"),
            ("origin", "https://evil.test")
        ])));
        assert!(is_cross_site_write(&post(&[
            ("host", "gosync.test"),
            ("origin", "null")
        ])));
        assert!(is_cross_site_write(&post(&[
            ("host", "gosync.test"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!is_cross_site_write(&post(&[
            ("host", "a"),
            ("origin", "https://b"),
            ("authorization", "Bearer x")
        ])));
        assert!(!is_cross_site_write(&post(&[("host", "gosync.test")])));
    }
}
