//! The server's JSON, as this client reads it (its own types: it shares no code with the
//! server, only the documented API).

use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize)]
pub struct Node {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub name: String,
    /// `file` or `folder`.
    pub kind: String,
    pub size: i64,
    /// The content's SHA-256 in quotes (files).
    pub etag: Option<String>,
    pub modified_at: DateTime<Utc>,
    pub version: Option<i32>,
}

impl Node {
    pub fn is_folder(&self) -> bool {
        self.kind == "folder"
    }

    /// The content's SHA-256, hex.
    pub fn hash(&self) -> Option<String> {
        self.etag.as_ref().map(|e| e.trim_matches('"').to_owned())
    }
}

#[derive(Debug, Deserialize)]
pub struct Page {
    pub items: Vec<Node>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Me {
    pub root_id: Uuid,
    pub email: String,
}

#[derive(Debug, Deserialize)]
pub struct Cursor {
    pub cursor: String,
}

#[derive(Debug, Deserialize)]
pub struct Change {
    pub node_id: Uuid,
    /// `live`, `trashed` or `gone`.
    pub state: String,
    pub parent_id: Option<Uuid>,
    pub name: Option<String>,
    pub kind: Option<String>,
    pub version: Option<i32>,
    pub content_hash: Option<String>,
    pub size: Option<i64>,
    pub mtime: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
pub struct Changes {
    pub changes: Vec<Change>,
    pub next_cursor: String,
}

#[derive(Debug, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

/// `POST /api/v1/uploads/batch`'s answer: an outcome per file, in order.
#[derive(Debug, Deserialize)]
pub struct BatchAnswer {
    pub files: Vec<BatchOutcome>,
}

#[derive(Debug, Deserialize)]
pub struct BatchOutcome {
    pub id: Option<Uuid>,
    pub error: Option<ErrorDetail>,
}
