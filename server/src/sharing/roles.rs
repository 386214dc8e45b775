//! What a person is to an item: its owner, the holder of a grant on it or on a folder above it
//! (the highest such role counts), or nobody. One recursive query up the tree, on PostgreSQL
//! and SQLite alike.

use app::dto::Role;
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult};
use uuid::Uuid;

use crate::{
    db::portable_statement,
    entities::node,
    error::ServiceError,
    files::tree,
    policy::{self, Actor, Standing},
};

#[derive(FromQueryResult)]
struct Granted {
    node_id: Uuid,
    role: String,
}

/// The grants `user` holds on `id` and the folders above it: (the node granted, its role).
pub async fn grants_above(
    db: &DatabaseConnection,
    user: Uuid,
    id: Uuid,
) -> Result<Vec<(Uuid, Role)>, ServiceError> {
    let sql = "WITH RECURSIVE up(id, parent_id) AS ( \
                 SELECT id, parent_id FROM nodes WHERE id = $1 \
                 UNION ALL SELECT n.id, n.parent_id FROM nodes n JOIN up ON n.id = up.parent_id) \
               SELECT s.node_id, s.role FROM shares s JOIN up ON s.node_id = up.id \
               WHERE s.grantee_id = $2";
    let rows = Granted::find_by_statement(portable_statement(
        db.get_database_backend(),
        sql,
        [id.into(), user.into()],
    ))
    .all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|g| Role::parse(&g.role).map(|r| (g.node_id, r)))
        .collect())
}

/// What `actor` is to `node`: the facts looked up (its grants above the node, or for a link
/// whether the node is in its scope), judged by the policy.
pub async fn standing(
    db: &DatabaseConnection,
    actor: &Actor,
    node: &node::Model,
) -> Result<Standing, ServiceError> {
    if let Some(scope) = actor.link_scope() {
        let inside = node.id == scope.root || tree::is_below(db, node.id, scope.root).await?;
        return Ok(policy::standing(actor, node.owner_id, [], inside));
    }
    if node.owner_id == actor.user_id {
        return Ok(policy::standing(actor, node.owner_id, [], false));
    }
    let granted = grants_above(db, actor.user_id, node.id).await?;
    let roles = granted.into_iter().map(|(_, role)| role);
    Ok(policy::standing(actor, node.owner_id, roles, false))
}
