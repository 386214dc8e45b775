//! Many small files in one request (`POST /api/v1/uploads/batch`): a multipart form whose
//! manifest says where each goes, its length and its SHA-256 (the server checks it).

use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use super::{Api, ApiResult};
use crate::wire::BatchAnswer;

/// One small file of a batch, read whole.
pub struct SmallFile<'a> {
    pub parent: Uuid,
    pub name: &'a str,
    pub bytes: &'a [u8],
    /// Its SHA-256, hex: the bytes read are the bytes hashed.
    pub hash: &'a str,
}

impl Api {
    /// Sends `files` in one request. The outcome of each, in order: the file's id, or why the
    /// server did not make it.
    pub async fn upload_batch(
        &self,
        files: &[SmallFile<'_>],
    ) -> ApiResult<Vec<Result<Uuid, String>>> {
        let boundary = format!("gosync-batch-{}", Uuid::new_v4().simple());
        let manifest: Vec<serde_json::Value> = files
            .iter()
            .map(|f| {
                json!({"filename": f.name, "parent_id": f.parent, "length": f.bytes.len(),
                    "sha256": f.hash})
            })
            .collect();
        let manifest = serde_json::to_vec(&manifest).unwrap_or_default();
        let mut body = Vec::with_capacity(files.iter().map(|f| f.bytes.len() + 128).sum());
        part(&mut body, &boundary, "manifest", &manifest);
        for file in files {
            part(&mut body, &boundary, "file", file.bytes);
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = self
            .request(Method::POST, "/api/v1/uploads/batch")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        let answer: BatchAnswer = self.send(request).await?.json().await?;
        let mut outcomes: Vec<Result<Uuid, String>> = answer
            .files
            .into_iter()
            .map(|o| match (o.id, o.error) {
                (Some(id), _) => Ok(id),
                (None, Some(e)) => Err(e.message),
                (None, None) => Err("the server gave no outcome".to_owned()),
            })
            .collect();
        outcomes.resize_with(files.len(), || Err("the server gave no outcome".to_owned()));
        Ok(outcomes)
    }
}

fn part(body: &mut Vec<u8>, boundary: &str, name: &str, bytes: &[u8]) {
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n");
}
