//! Renaming and moving on someone's behalf: the one path the API and the drive's server
//! functions take. Both need edit rights on the item and on where it goes; a move that takes
//! an item into or out of a share (the grants above its old and new places differ, so other
//! people gain or lose it) needs the right to share at both ends, as its owner and managers
//! have. Otherwise an editor of one folder who manages another could carry an item into the
//! managed one, make a link to it, and carry it back.

use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult};
use uuid::Uuid;

use super::{access, tree};
use crate::{
    db::portable_statement,
    entities::node,
    error::ServiceError,
    policy::{Actor, Need},
};

/// Renames `id` to `name` and/or moves it into `dest`, if `actor` may.
pub async fn rename_or_move(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    name: Option<String>,
    dest: Option<Uuid>,
) -> Result<node::Model, ServiceError> {
    let item = access::live_node(db, actor, id, Need::Write).await?;
    let moving = dest.filter(|d| Some(*d) != item.parent_id);
    if let (Some(dest), Some(from)) = (moving, item.parent_id) {
        let target = access::live_node(db, actor, dest, Need::Write).await?;
        // Into someone else's tree is refused below, with the advice to copy instead.
        let same_tree = target.owner_id == item.owner_id;
        if same_tree && grants_over(db, from).await? != grants_over(db, dest).await? {
            access::live_node(db, actor, item.id, Need::Share).await?;
            access::live_node(db, actor, dest, Need::Share).await?;
        }
    }
    tree::rename_or_move(db, actor.user_id, &item, name, moving).await
}

#[derive(FromQueryResult)]
struct Granted {
    id: Uuid,
}

/// The grants on `id` and every folder above it: who else sees what is placed there.
async fn grants_over(db: &DatabaseConnection, id: Uuid) -> Result<BTreeSet<Uuid>, ServiceError> {
    let sql = "WITH RECURSIVE up(id, parent_id) AS ( \
                 SELECT id, parent_id FROM nodes WHERE id = $1 \
                 UNION ALL SELECT n.id, n.parent_id FROM nodes n JOIN up ON n.id = up.parent_id) \
               SELECT s.id FROM shares s JOIN up ON s.node_id = up.id";
    let rows = Granted::find_by_statement(portable_statement(
        db.get_database_backend(),
        sql,
        [id.into()],
    ))
    .all(db)
    .await?;
    Ok(rows.into_iter().map(|g| g.id).collect())
}
