//! Finding a node on someone's behalf: every lookup by id that a request makes goes through
//! here, so that the policy module decides (with what the actor is to the node: owner,
//! grantee, or nobody), and what the actor may not see is "not found".

use app::AppError;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{trash, tree};
use crate::{
    entities::node,
    error::ServiceError,
    policy::{authorize, Action, Actor, Need, Standing},
    sharing::roles,
};

/// A live node the actor may do `need` to; one they may not even see is NotFound.
pub async fn live_node(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    need: Need,
) -> Result<node::Model, ServiceError> {
    Ok(live_node_with_standing(db, actor, id, need).await?.0)
}

/// The same, with what the actor is to the node, for asking the policy more about it without
/// another query.
pub async fn live_node_with_standing(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    need: Need,
) -> Result<(node::Model, Standing), ServiceError> {
    if actor.link_scope().is_some() {
        // What the link's role can never do is refused before anything is looked up, so a
        // drop box learns nothing from which ids exist.
        let anywhere_inside = crate::policy::standing(actor, Uuid::nil(), [], true);
        authorize(
            actor,
            Action::Node {
                need,
                standing: anywhere_inside,
            },
        )?;
    }
    let node = tree::get_live(db, id).await?.ok_or(AppError::NotFound)?;
    let standing = roles::standing(db, actor, &node).await?;
    authorize(actor, Action::Node { need, standing })?;
    Ok((node, standing))
}

/// An entry of the actor's own trash (restore, purge); anything else is NotFound. A trashed
/// item is in its owner's trash only, whoever deleted it.
pub async fn trash_entry(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<node::Model, ServiceError> {
    let entry = trash::find_entry(db, id).await?.ok_or(AppError::NotFound)?;
    authorize(actor, Action::OwnTrash)?;
    let standing = crate::policy::standing(actor, entry.owner_id, [], false);
    if !standing.is_owner() {
        return Err(AppError::NotFound.into());
    }
    Ok(entry)
}
