//! The change log the index follows (table `changes`): a row per node changed, written in the
//! same transaction as the change, numbered in writing order.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use tokio::sync::Notify;
use uuid::Uuid;

use crate::entities::change;

/// Wakes this process's indexer; indexers elsewhere notice changes by polling.
pub(crate) static WAKE: Notify = Notify::const_new();

/// Woken (all waiting) whenever changes are written here: live updates read them at once.
pub(crate) static CHANGED: Notify = Notify::const_new();

/// A gap in the numbers older than this is a transaction that rolled back, not one that is
/// still committing (PostgreSQL hands out numbers before commit).
pub(crate) const GAP_WAIT: chrono::Duration = chrono::Duration::seconds(10);

/// Notes that `node` (and, for a folder, everything below it) needs indexing again.
pub async fn record(db: &impl ConnectionTrait, node: Uuid) -> Result<(), DbErr> {
    record_many(db, &[node]).await
}

pub async fn record_many(db: &impl ConnectionTrait, nodes: &[Uuid]) -> Result<(), DbErr> {
    if nodes.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    for chunk in nodes.chunks(500) {
        let rows = chunk.iter().map(|id| change::ActiveModel {
            id: NotSet,
            node_id: Set(*id),
            created_at: Set(now),
            left_parent_id: Set(None),
            grantee_id: Set(None),
        });
        change::Entity::insert_many(rows).exec(db).await?;
    }
    woken();
    Ok(())
}

/// Who else must hear of a change, though they may no longer see the item.
#[derive(Debug, Clone, Copy, Default)]
pub struct Audience {
    /// A move: the folder the item left.
    pub left_parent: Option<Uuid>,
    /// A share: the person whose right changed.
    pub grantee: Option<Uuid>,
}

/// Notes a change to `node` with who else must hear of it (the change feed tells them).
pub async fn record_for(
    db: &impl ConnectionTrait,
    node: Uuid,
    audience: Audience,
) -> Result<(), DbErr> {
    let row = change::ActiveModel {
        id: NotSet,
        node_id: Set(node),
        created_at: Set(Utc::now()),
        left_parent_id: Set(audience.left_parent),
        grantee_id: Set(audience.grantee),
    };
    change::Entity::insert(row).exec(db).await?;
    woken();
    Ok(())
}

fn woken() {
    WAKE.notify_one();
    CHANGED.notify_waiters();
}

/// Up to `limit` changes after `cursor`, in order.
pub async fn after(
    db: &impl ConnectionTrait,
    cursor: i64,
    limit: u64,
) -> Result<Vec<change::Model>, DbErr> {
    change::Entity::find()
        .filter(change::Column::Id.gt(cursor))
        .order_by_asc(change::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// How many changes after `cursor` exist (the index's lag).
pub async fn count_after(db: &impl ConnectionTrait, cursor: i64) -> Result<u64, DbErr> {
    change::Entity::find()
        .filter(change::Column::Id.gt(cursor))
        .count(db)
        .await
}

/// Changes this server's index has not applied yet.
pub async fn lag(db: &impl ConnectionTrait, search: &super::Search) -> Result<u64, DbErr> {
    count_after(db, search.applied().unwrap_or(0)).await
}

/// The number of the latest change (0 when there is none).
pub async fn latest(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    Ok(change::Entity::find()
        .order_by_desc(change::Column::Id)
        .one(db)
        .await?
        .map_or(0, |c| c.id))
}

/// Where the number of the last pruned change is kept.
const PRUNED_KEY: &str = "search.pruned_through";

/// Deletes changes older than `cutoff` (every index has long applied them); an index still
/// behind them is rebuilt ([`pruned_through`]). Returns how many went.
pub async fn prune(db: &impl ConnectionTrait, cutoff: DateTime<Utc>) -> Result<u64, DbErr> {
    use sea_orm::sea_query::OnConflict;
    // The marker first: an index reading it then knows the rows below it may be gone.
    let Some(last) = change::Entity::find()
        .filter(change::Column::CreatedAt.lt(cutoff))
        .order_by_desc(change::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    let row = crate::entities::setting::ActiveModel {
        key: Set(PRUNED_KEY.to_owned()),
        value: Set(last.id.to_string()),
    };
    crate::entities::setting::Entity::insert(row)
        .on_conflict(
            OnConflict::column(crate::entities::setting::Column::Key)
                .update_column(crate::entities::setting::Column::Value)
                .to_owned(),
        )
        .exec(db)
        .await?;
    let gone = change::Entity::delete_many()
        .filter(change::Column::Id.lte(last.id))
        .exec(db)
        .await?;
    Ok(gone.rows_affected)
}

/// The number of the last change pruned (0 when none was).
pub async fn pruned_through(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    Ok(
        crate::entities::setting::Entity::find_by_id(PRUNED_KEY.to_owned())
            .one(db)
            .await?
            .and_then(|s| s.value.parse().ok())
            .unwrap_or(0),
    )
}

/// Changes applied beyond the cursor: the cursor moves only over numbers without gaps, so a
/// change that commits late with a lower number is never skipped; a gap older than
/// [`GAP_WAIT`] is stepped over.
#[derive(Debug, Default)]
pub struct Progress {
    pub cursor: i64,
    /// Applied changes above the cursor, with when they were written.
    beyond: BTreeMap<i64, DateTime<Utc>>,
}

impl Progress {
    pub fn new(cursor: i64) -> Self {
        Self {
            cursor,
            beyond: BTreeMap::new(),
        }
    }

    /// Whether this change was applied already (it is beyond a gap).
    pub fn done(&self, id: i64) -> bool {
        id <= self.cursor || self.beyond.contains_key(&id)
    }

    /// Marks changes applied and moves the cursor as far as it safely goes.
    pub fn applied(
        &mut self,
        changes: impl IntoIterator<Item = (i64, DateTime<Utc>)>,
        now: DateTime<Utc>,
    ) {
        self.beyond.extend(changes);
        while let Some((&id, &at)) = self.beyond.first_key_value() {
            if id <= self.cursor {
                self.beyond.pop_first();
            } else if id == self.cursor + 1 || now - at > GAP_WAIT {
                self.cursor = id;
                self.beyond.pop_first();
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_waits_at_a_fresh_gap_and_steps_over_an_old_one() {
        let now = Utc::now();
        let mut progress = Progress::new(4);
        progress.applied([(5, now), (6, now), (8, now)], now);
        assert_eq!(progress.cursor, 6, "7 may still commit");
        assert!(progress.done(8) && !progress.done(7));
        progress.applied([(7, now)], now);
        assert_eq!(progress.cursor, 8);
        let old = now - chrono::Duration::seconds(60);
        progress.applied([(10, old)], now);
        assert_eq!(progress.cursor, 10, "9 rolled back long ago");
    }
}
