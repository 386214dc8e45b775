//! Finding a node on someone's behalf: every lookup by id that a request makes goes through
//! here, so that the policy module decides, and what the actor may not see is "not found".

use app::AppError;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{trash, tree};
use crate::{
    entities::node,
    error::ServiceError,
    policy::{authorize, Action, Actor},
};

/// A live node the actor may read (or change, with `write`); anything else is NotFound.
pub async fn live_node(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    write: bool,
) -> Result<node::Model, ServiceError> {
    let node = tree::get_live(db, id).await?.ok_or(AppError::NotFound)?;
    let owner = node.owner_id;
    let action = if write {
        Action::WriteNode { owner }
    } else {
        Action::ReadNode { owner }
    };
    authorize(actor, action)?;
    Ok(node)
}

/// An entry of the trash that the actor may restore or purge; anything else is NotFound.
pub async fn trash_entry(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<node::Model, ServiceError> {
    let entry = trash::find_entry(db, id).await?.ok_or(AppError::NotFound)?;
    authorize(
        actor,
        Action::DeleteNode {
            owner: entry.owner_id,
        },
    )?;
    Ok(entry)
}
