//! Which of a batch's places (folder, name) are taken by a live item, those items locked
//! until the batch commits.

use std::collections::{BTreeSet, HashSet};

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, Statement, Value,
};
use uuid::Uuid;

use crate::entities::node;

#[derive(FromQueryResult)]
struct Place {
    parent_id: Uuid,
    name: String,
}

/// The taken places among `places` (in this order, so that two batches lock in one order).
pub(super) async fn taken(
    txn: &DatabaseTransaction,
    places: &BTreeSet<(Uuid, &str)>,
) -> Result<HashSet<(Uuid, String)>, DbErr> {
    if places.is_empty() {
        return Ok(HashSet::new());
    }
    if txn.get_database_backend() != DbBackend::Postgres {
        // SQLite probes its (parent, name) index for every pair of the two lists.
        let parents: BTreeSet<Uuid> = places.iter().map(|(parent, _)| *parent).collect();
        let names: BTreeSet<&str> = places.iter().map(|(_, name)| *name).collect();
        let found = node::Entity::find()
            .filter(node::Column::ParentId.is_in(parents))
            .filter(node::Column::TrashedAt.is_null())
            .filter(node::Column::Name.is_in(names))
            .all(txn)
            .await?;
        return Ok(found
            .into_iter()
            .filter_map(|n| Some((n.parent_id?, n.name)))
            .collect());
    }
    // One index probe per place, whatever the planner's statistics say: a subquery that
    // locks its rows is never merged into a join. (`name IN (…)`, or a plain join, was
    // answered by going through the whole folder while the statistics still saw it small:
    // 1.4 ms a batch at 6,000 files in a new database, 5 ms at 10,000.)
    let mut sql = String::from("SELECT t.parent_id, t.name FROM (VALUES ");
    let mut values: Vec<Value> = Vec::with_capacity(places.len() * 2);
    for (i, (parent, name)) in places.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("(${}::uuid, ${}::text)", 2 * i + 1, 2 * i + 2));
        values.push((*parent).into());
        values.push((*name).into());
    }
    sql.push_str(
        ") AS wanted (parent_id, name) CROSS JOIN LATERAL (SELECT n.parent_id, n.name \
         FROM nodes n WHERE n.parent_id = wanted.parent_id AND n.name = wanted.name \
         AND n.trashed_at IS NULL FOR UPDATE) t",
    );
    let statement = Statement::from_sql_and_values(DbBackend::Postgres, sql, values);
    Ok(Place::find_by_statement(statement)
        .all(txn)
        .await?
        .into_iter()
        .map(|p| (p.parent_id, p.name))
        .collect())
}
