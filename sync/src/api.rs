//! The server, through its HTTP API: listings, folders, moves, the trash, downloads, tus
//! uploads (with `Upload-Hash` first) and the change feed.

use std::{path::Path, time::Duration};

use base64::{engine::general_purpose::STANDARD, Engine};
use futures::StreamExt;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

mod batch;

pub use batch::SmallFile;

use crate::wire::{Changes, Cursor, ErrorBody, Me, Node, Page};

/// What went wrong talking to the server, as a person can read it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the server answered {status}: {message}")]
    Status {
        status: u16,
        code: String,
        message: String,
    },
    #[error("could not reach the server: {0}")]
    Network(#[from] reqwest::Error),
    #[error("{0}")]
    Local(#[from] std::io::Error),
    /// The file changed while it was sent; nothing was made of it.
    #[error("it changed while it was being sent")]
    Changed,
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// An upload started: the file made at once (its id), or where to send its bytes.
pub enum Started {
    Made(Uuid),
    Open { location: String, offset: i64 },
}

/// Bytes per PATCH of an upload.
const CHUNK: usize = 8 << 20;

#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
}

async fn checked(response: Response) -> ApiResult<Response> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let body = response.text().await.unwrap_or_default();
    let (code, message) = match serde_json::from_str::<ErrorBody>(&body) {
        Ok(e) => (e.error.code, e.error.message),
        Err(_) => (String::new(), body.chars().take(200).collect()),
    };
    Err(ApiError::Status {
        status: status.as_u16(),
        code,
        message,
    })
}

impl Api {
    pub fn new(server: &str, token: &str) -> ApiResult<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()?;
        Ok(Self {
            http,
            base: server.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
        })
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
    }

    async fn send(&self, request: RequestBuilder) -> ApiResult<Response> {
        checked(request.send().await?).await
    }

    pub async fn me(&self) -> ApiResult<Me> {
        Ok(self
            .send(self.request(Method::GET, "/api/v1/me"))
            .await?
            .json()
            .await?)
    }

    /// Every item in folder `id`, page after page.
    pub async fn children(&self, id: Uuid) -> ApiResult<Vec<Node>> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/nodes/{id}/children?limit=1000");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let page: Page = self
                .send(self.request(Method::GET, &path))
                .await?
                .json()
                .await?;
            items.extend(page.items);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => return Ok(items),
            }
        }
    }

    pub async fn create_folder(&self, parent: Uuid, name: &str) -> ApiResult<Node> {
        let body = json!({"parent_id": parent, "name": name});
        let request = self.request(Method::POST, "/api/v1/folders").json(&body);
        Ok(self.send(request).await?.json().await?)
    }

    /// Renames and moves item `id` (into `parent`, as `name`).
    pub async fn relocate(&self, id: Uuid, parent: Uuid, name: &str) -> ApiResult<Node> {
        let body = json!({"parent_id": parent, "name": name});
        let path = format!("/api/v1/nodes/{id}");
        let request = self.request(Method::PATCH, &path).json(&body);
        Ok(self.send(request).await?.json().await?)
    }

    /// Moves item `id` to the trash (its owner can restore it for 30 days).
    pub async fn trash(&self, id: Uuid) -> ApiResult<()> {
        let path = format!("/api/v1/nodes/{id}");
        match self.send(self.request(Method::DELETE, &path)).await {
            Err(e) if e.status() == Some(404) => Ok(()),
            other => other.map(|_| ()),
        }
    }

    /// Writes file `id`'s content to `to`; returns its SHA-256 (hex).
    pub async fn download(&self, id: Uuid, to: &Path) -> ApiResult<String> {
        let path = format!("/api/v1/nodes/{id}/content");
        let response = self.send(self.request(Method::GET, &path)).await?;
        let mut file = tokio::fs::File::create(to).await?;
        let mut hash = Sha256::new();
        let mut body = response.bytes_stream();
        while let Some(chunk) = body.next().await {
            let chunk = chunk?;
            hash.update(&chunk);
            file.write_all(&chunk).await?;
        }
        file.sync_all().await?;
        Ok(format!("{:x}", hash.finalize()))
    }

    /// Starts sending the file of `size` bytes and SHA-256 `hash` as `name` in `parent`: made
    /// at once if the server has content this caller can read with that hash, or from
    /// `whole` (all its bytes, for a small file); else the tus upload to send its bytes to,
    /// `resume` (one begun before) if the server still has it.
    pub async fn start_upload(
        &self,
        parent: Uuid,
        name: &str,
        (size, hash): (i64, &str),
        resume: Option<String>,
        whole: Option<Vec<u8>>,
    ) -> ApiResult<Started> {
        if let Some((location, offset)) = self.resumable(resume).await {
            return Ok(Started::Open { location, offset });
        }
        let meta = format!(
            "filename {},parent_id {}",
            STANDARD.encode(name),
            STANDARD.encode(parent.to_string())
        );
        let mut request = self
            .request(Method::POST, "/api/v1/uploads")
            .header("tus-resumable", "1.0.0")
            .header("upload-length", size.to_string())
            .header("upload-metadata", meta)
            .header("upload-hash", hash);
        if let Some(bytes) = whole {
            request = request
                .header("content-type", "application/offset+octet-stream")
                .body(bytes);
        }
        let created = self.send(request).await?;
        if let Some(id) = node_header(&created) {
            return Ok(Started::Made(id));
        }
        let location = header(&created, "location").unwrap_or_default();
        let offset = header(&created, "upload-offset")
            .and_then(|o| o.parse().ok())
            .unwrap_or(0);
        Ok(Started::Open { location, offset })
    }

    /// Uploads the file at `from` in one go (`start_upload`, then its bytes); returns the
    /// new file's id.
    pub async fn upload(
        &self,
        from: &Path,
        parent: Uuid,
        name: &str,
        (size, hash): (i64, &str),
    ) -> ApiResult<Uuid> {
        match self
            .start_upload(parent, name, (size, hash), None, None)
            .await?
        {
            Started::Made(id) => Ok(id),
            Started::Open { location, offset } => {
                self.send_bytes(from, &location, offset, size, hash).await
            }
        }
    }

    /// The location and offset of an upload begun before, if the server still has it.
    async fn resumable(&self, location: Option<String>) -> Option<(String, i64)> {
        let location = location?;
        let request = self
            .request(Method::HEAD, &location)
            .header("tus-resumable", "1.0.0");
        let response = self.send(request).await.ok()?;
        let offset = header(&response, "upload-offset")?.parse().ok()?;
        Some((location, offset))
    }

    /// Sends the file's bytes from `offset` on. The last ones go only if everything sent has
    /// the planned hash, so a file that changes while it is sent never becomes a mix of the
    /// two on the server (the upload is given up: `Changed`). Returns the new file's id: its
    /// content is what was sent, with that hash.
    pub async fn send_bytes(
        &self,
        from: &Path,
        location: &str,
        mut offset: i64,
        size: i64,
        hash: &str,
    ) -> ApiResult<Uuid> {
        let mut file = tokio::fs::File::open(from).await?;
        // The bytes already there count towards the hash: read them again.
        let mut digest = Sha256::new();
        let mut skipped = 0i64;
        let mut buffer = vec![0u8; CHUNK];
        while skipped < offset {
            let want = ((offset - skipped) as usize).min(CHUNK);
            let n = file.read(&mut buffer[..want]).await?;
            if n == 0 {
                return Err(self.give_up(location).await);
            }
            digest.update(&buffer[..n]);
            skipped += n as i64;
        }
        loop {
            let mut filled = 0;
            while filled < CHUNK {
                let n = file.read(&mut buffer[filled..]).await?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            let chunk = &buffer[..filled];
            let last = offset + filled as i64 >= size;
            if offset + filled as i64 > size {
                return Err(self.give_up(location).await);
            }
            digest.update(chunk);
            if last && format!("{:x}", digest.clone().finalize()) != hash {
                return Err(self.give_up(location).await);
            }
            let request = self
                .request(Method::PATCH, location)
                .header("tus-resumable", "1.0.0")
                .header("upload-offset", offset.to_string())
                .header("content-type", "application/offset+octet-stream")
                .body(chunk.to_vec());
            let response = self.send(request).await?;
            offset += filled as i64;
            if last {
                return node_header(&response).ok_or(ApiError::Changed);
            }
            if filled == 0 {
                return Err(self.give_up(location).await);
            }
        }
    }

    /// Ends an upload whose file changed under it; the next pass sends it again.
    async fn give_up(&self, location: &str) -> ApiError {
        let request = self
            .request(Method::DELETE, location)
            .header("tus-resumable", "1.0.0");
        let _ = self.send(request).await;
        ApiError::Changed
    }

    pub async fn latest_cursor(&self) -> ApiResult<String> {
        let request = self.request(Method::GET, "/api/v1/changes/latest");
        let cursor: Cursor = self.send(request).await?.json().await?;
        Ok(cursor.cursor)
    }

    /// The changes since `cursor`, waiting up to `wait` seconds for one.
    pub async fn changes(&self, cursor: &str, wait: u64) -> ApiResult<Changes> {
        let path = format!("/api/v1/changes?cursor={cursor}&wait={wait}");
        let request = self
            .request(Method::GET, &path)
            .timeout(Duration::from_secs(wait + 30));
        Ok(self.send(request).await?.json().await?)
    }
}

fn header(response: &Response, name: &str) -> Option<String> {
    Some(response.headers().get(name)?.to_str().ok()?.to_owned())
}

fn node_header(response: &Response) -> Option<Uuid> {
    header(response, "gosync-node-id")?.parse().ok()
}

/// Whether an error means "try again later" rather than "this cannot work".
pub fn transient(error: &ApiError) -> bool {
    match error {
        ApiError::Status { status, .. } => {
            *status >= 500 || *status == StatusCode::TOO_MANY_REQUESTS.as_u16()
        }
        ApiError::Network(_) | ApiError::Changed => true,
        ApiError::Local(_) => false,
    }
}
