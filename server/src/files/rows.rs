//! The rows a file's new content is recorded with, the same whether the file is recorded
//! alone (`content`) or with others (`group_commit`).

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{mime::guess_mime, tree::new_node, uploads::NewUpload};
use crate::entities::{blob, node, version};

/// A new file in `parent` at version 1, for the folder's owner.
/// A new blob's row: content `sha256` of `size` bytes, stored under `key`.
pub fn blob(sha256: &str, size: i64, key: String, now: DateTime<Utc>) -> blob::ActiveModel {
    blob::ActiveModel {
        id: Set(Uuid::new_v4()),
        sha256: Set(sha256.to_owned()),
        size: Set(size),
        storage_key: Set(key),
        created_at: Set(now),
    }
}

pub fn new_file(
    parent: &node::Model,
    target: &NewUpload,
    sha256: &str,
    now: DateTime<Utc>,
) -> node::ActiveModel {
    let name = target.filename.clone();
    let mut row = new_node(parent.owner_id, Some(parent.id), name, node::FILE);
    row.mime = Set(Some(guess_mime(&target.filename).to_owned()));
    row.size = Set(target.length);
    row.sha256 = Set(Some(sha256.to_owned()));
    row.version = Set(Some(1));
    row.modified_at = Set(target.mtime.unwrap_or(now));
    row
}

/// The version row of `file`'s current version, written by the uploader.
pub fn version(
    file: &node::Model,
    blob_id: Uuid,
    target: &NewUpload,
    now: DateTime<Utc>,
) -> version::ActiveModel {
    version::ActiveModel {
        id: Set(Uuid::new_v4()),
        node_id: Set(file.id),
        number: Set(file.version.unwrap_or(1)),
        blob_id: Set(blob_id),
        size: Set(target.length),
        author_id: Set(target.author.user()),
        link_id: Set(target.author.link()),
        created_at: Set(now),
    }
}

/// What the activity log says about an upload or a new version.
pub fn detail(file: &node::Model) -> Value {
    json!({"name": file.name, "version": file.version.unwrap_or(1), "size": file.size})
}
