//! Moving bytes in tests: tus uploads (create, patch, one-shot) and downloads.

use base64::{engine::general_purpose::STANDARD, Engine};
use reqwest::Response;

use crate::helpers::TestApp;

pub fn metadata(filename: &str, parent: &str) -> String {
    format!(
        "filename {},parent_id {}",
        STANDARD.encode(filename),
        STANDARD.encode(parent)
    )
}

pub async fn create(
    app: &TestApp,
    bearer: &str,
    filename: &str,
    parent: &str,
    length: usize,
) -> Response {
    app.client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(bearer)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", length.to_string())
        .header("upload-metadata", metadata(filename, parent))
        .send()
        .await
        .unwrap()
}

pub async fn patch(
    app: &TestApp,
    bearer: &str,
    location: &str,
    offset: usize,
    bytes: &[u8],
) -> Response {
    app.client
        .patch(app.url(location))
        .bearer_auth(bearer)
        .header("tus-resumable", "1.0.0")
        .header("upload-offset", offset.to_string())
        .header("content-type", "application/offset+octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap()
}

/// Uploads `bytes` in one creation-with-upload request; returns the file's id.
pub async fn upload(
    app: &TestApp,
    bearer: &str,
    filename: &str,
    parent: &str,
    bytes: &[u8],
) -> String {
    let response = app
        .client
        .post(app.url("/api/v1/uploads"))
        .bearer_auth(bearer)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", bytes.len().to_string())
        .header("upload-metadata", metadata(filename, parent))
        .header("content-type", "application/offset+octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "upload of {filename}");
    node_id(&response)
}

pub async fn download(app: &TestApp, bearer: &str, id: &str, range: Option<&str>) -> Response {
    let mut request = app
        .client
        .get(app.url(&format!("/api/v1/nodes/{id}/content")))
        .bearer_auth(bearer);
    if let Some(range) = range {
        request = request.header("range", range);
    }
    request.send().await.unwrap()
}

pub fn location(response: &Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// tus `HEAD` of an upload: where it stands.
pub async fn head(app: &TestApp, bearer: &str, location: &str) -> Response {
    app.client
        .head(app.url(location))
        .bearer_auth(bearer)
        .header("tus-resumable", "1.0.0")
        .send()
        .await
        .unwrap()
}

/// The file a finished upload became (its `GoSync-Node-Id`).
pub fn node_id(response: &Response) -> String {
    response.headers()["gosync-node-id"]
        .to_str()
        .unwrap()
        .to_owned()
}
