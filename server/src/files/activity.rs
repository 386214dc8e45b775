//! The activity log: every change to the tree is written in the same transaction as the change.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::Value;
use uuid::Uuid;

use crate::{entities::activity, error::ServiceError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Create,
    Upload,
    NewVersion,
    Rename,
    Move,
    Copy,
    Trash,
    Restore,
    Purge,
    /// A grant made, changed or removed (the detail says which).
    Share,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Create => "create",
            Change::Upload => "upload",
            Change::NewVersion => "new_version",
            Change::Rename => "rename",
            Change::Move => "move",
            Change::Copy => "copy",
            Change::Trash => "trash",
            Change::Restore => "restore",
            Change::Purge => "purge",
            Change::Share => "share",
        }
    }
}

/// Who made a change: a person, or a public link acting as itself (never as the owner).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    User(Uuid),
    Link(Uuid),
}

impl Author {
    pub fn user(self) -> Option<Uuid> {
        match self {
            Author::User(id) => Some(id),
            Author::Link(_) => None,
        }
    }

    pub fn link(self) -> Option<Uuid> {
        match self {
            Author::Link(id) => Some(id),
            Author::User(_) => None,
        }
    }
}

/// The log entry of `actor`'s change to `node`.
pub fn row(actor: Uuid, node: Uuid, change: Change, detail: Value) -> activity::ActiveModel {
    row_by(Author::User(actor), node, change, detail)
}

/// The log entry of a change to `node` by `author`.
pub fn row_by(author: Author, node: Uuid, change: Change, detail: Value) -> activity::ActiveModel {
    activity::ActiveModel {
        id: Set(Uuid::new_v4()),
        actor_id: Set(author.user()),
        link_id: Set(author.link()),
        node_id: Set(Some(node)),
        action: Set(change.as_str().to_owned()),
        detail: Set(Some(detail.to_string())),
        created_at: Set(Utc::now()),
    }
}

pub async fn record(
    db: &impl ConnectionTrait,
    actor: Uuid,
    node: Uuid,
    change: Change,
    detail: Value,
) -> Result<(), ServiceError> {
    record_by(db, Author::User(actor), node, change, detail).await
}

pub async fn record_by(
    db: &impl ConnectionTrait,
    author: Author,
    node: Uuid,
    change: Change,
    detail: Value,
) -> Result<(), ServiceError> {
    // Every change goes to the change log: the index reads it (a share changes nothing there,
    // but costs one document), and so do live updates and the change feed, which tell those
    // who lost sight of the item too: the grantee of a share, whoever sees the folder a move
    // took it out of.
    let uuid_in = |key: &str| detail.get(key).and_then(|v| v.as_str()?.parse().ok());
    let audience = crate::search::changes::Audience {
        left_parent: (change == Change::Move).then(|| uuid_in("from")).flatten(),
        grantee: (change == Change::Share)
            .then(|| uuid_in("grantee"))
            .flatten(),
    };
    activity::Entity::insert(row_by(author, node, change, detail))
        .exec(db)
        .await?;
    crate::search::changes::record_for(db, node, audience).await?;
    Ok(())
}
