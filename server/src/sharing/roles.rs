//! What a person is to an item: its owner, the holder of a grant on it or on a folder above it
//! (the highest such role counts), or nobody. One recursive query up the tree, on PostgreSQL
//! and SQLite alike.

use app::dto::Role;
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult};
use uuid::Uuid;

use crate::{db::portable_statement, entities::node, error::ServiceError, policy::Standing};

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

/// What `user` is to `node`.
pub async fn standing(
    db: &DatabaseConnection,
    user: Uuid,
    node: &node::Model,
) -> Result<Standing, ServiceError> {
    if node.owner_id == user {
        return Ok(Standing::Owner);
    }
    let best = grants_above(db, user, node.id)
        .await?
        .into_iter()
        .map(|(_, role)| role)
        .max();
    Ok(best.map_or(Standing::Stranger, Standing::Grantee))
}
