//! The change feed (`/api/v1/changes`): what changed since a cursor, for a program that keeps
//! a copy of the tree (the sync client). It reads the same change log as the search index and
//! live updates, and tells each caller only of items they may see now, or of items they lost
//! sight of: trashed where they could see them, moved out of a folder they see, a grant of
//! theirs taken away. A folder's entry stands for what is below it.

use std::{collections::HashMap, future::Future, time::Duration};

use app::AppError;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::Service;
use crate::{
    entities::{change, node},
    error::ServiceError,
    policy::{Actor, Need},
    search::changes::{self, GAP_WAIT},
};

/// Changes read at most per answer (the next answer goes on from its cursor).
const PAGE: u64 = 500;

/// The longest a caller may wait for a change.
pub const MAX_WAIT: Duration = Duration::from_secs(60);

/// What became of an item, as the caller may know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemState {
    Live,
    /// In the caller's own trash.
    Trashed,
    /// Gone from what the caller sees: trashed or purged by someone else, moved away, or
    /// no longer shared with them.
    Gone,
}

/// One item in an answer of the feed: its state, and the item itself unless it is gone.
#[derive(Debug, Clone)]
pub struct FeedItem {
    pub id: Uuid,
    pub state: ItemState,
    pub node: Option<node::Model>,
    /// The item's folder, when the caller sees it (a share's top item: not).
    pub parent: Option<Uuid>,
}

#[derive(Debug, Clone)]
pub struct ChangePage {
    pub items: Vec<FeedItem>,
    pub next_cursor: i64,
}

/// The rows after `after` that are safe to pass: up to the first gap in the numbers that may
/// still be a transaction committing (PostgreSQL numbers rows before they commit); a gap older
/// than [`GAP_WAIT`] was a rollback. Returns them and the cursor after them.
fn committed(rows: Vec<change::Model>, after: i64) -> (Vec<change::Model>, i64) {
    let now = chrono::Utc::now();
    let mut cursor = after;
    let mut taken = Vec::with_capacity(rows.len());
    for row in rows {
        if row.id != cursor + 1 && now - row.created_at < GAP_WAIT {
            break;
        }
        cursor = row.id;
        taken.push(row);
    }
    (taken, cursor)
}

impl Service {
    /// The cursor for "now": changes after it are the ones still to come.
    pub async fn latest_change(&self, actor: &Actor) -> Result<i64, ServiceError> {
        only_people(actor)?;
        // Every gap below a change older than GAP_WAIT is settled; from there on, walk.
        let settled = change::Entity::find()
            .filter(change::Column::CreatedAt.lt(chrono::Utc::now() - GAP_WAIT))
            .order_by_desc(change::Column::Id)
            .one(self.db())
            .await?
            .map_or(0, |c| c.id);
        let mut cursor = settled;
        loop {
            let rows = changes::after(self.db(), cursor, 10_000).await?;
            let full = rows.len() == 10_000;
            let (_, reached) = committed(rows, cursor);
            if !full || reached == cursor {
                return Ok(reached.max(changes::pruned_through(self.db()).await?));
            }
            cursor = reached;
        }
    }

    /// The changes after `cursor` the actor may hear of. With `wait`, an answer with none
    /// waits until there are some (made on any node) or `wait` has passed, or `stop` ends.
    pub async fn changes_since(
        &self,
        actor: &Actor,
        cursor: i64,
        wait: Duration,
        stop: impl Future<Output = ()>,
    ) -> Result<ChangePage, ServiceError> {
        only_people(actor)?;
        let deadline = tokio::time::Instant::now() + wait.min(MAX_WAIT);
        let mut head = self.inner.head.clone();
        tokio::pin!(stop);
        let mut cursor = cursor;
        loop {
            head.borrow_and_update();
            let page = self.change_page(actor, cursor).await?;
            if !page.items.is_empty() || tokio::time::Instant::now() >= deadline {
                return Ok(page);
            }
            // Nothing for this caller yet (maybe changes for others): wait on from there.
            cursor = page.next_cursor;
            tokio::select! {
                changed = head.changed() => if changed.is_err() { return Ok(page) },
                () = tokio::time::sleep_until(deadline) => return Ok(page),
                () = &mut stop => return Ok(page),
            }
        }
    }

    async fn change_page(&self, actor: &Actor, cursor: i64) -> Result<ChangePage, ServiceError> {
        let rows = changes::after(self.db(), cursor, PAGE).await?;
        // Read after the rows: a prune between the two would otherwise go unnoticed.
        if cursor < changes::pruned_through(self.db()).await? {
            return Err(AppError::CursorExpired.into());
        }
        let (rows, next_cursor) = committed(rows, cursor);
        // Each item once, in the order of its last change; who else hears of it, gathered.
        let mut order: Vec<Uuid> = Vec::new();
        let mut heard: HashMap<Uuid, (bool, Vec<Uuid>)> = HashMap::new();
        for row in &rows {
            let entry = heard.entry(row.node_id).or_default();
            entry.0 |= row.grantee_id == Some(actor.user_id);
            entry.1.extend(row.left_parent_id);
            order.retain(|id| *id != row.node_id);
            order.push(row.node_id);
        }
        let mut sees = Sees::default();
        let mut items = Vec::new();
        for id in order {
            let (was_granted, left) = heard.remove(&id).unwrap_or_default();
            if let Some(item) = self
                .feed_item(actor, id, was_granted, &left, &mut sees)
                .await?
            {
                items.push(item);
            }
        }
        Ok(ChangePage { items, next_cursor })
    }

    /// What the actor may hear of item `id`, if anything.
    async fn feed_item(
        &self,
        actor: &Actor,
        id: Uuid,
        was_granted: bool,
        left: &[Uuid],
        sees: &mut Sees,
    ) -> Result<Option<FeedItem>, ServiceError> {
        let gone = |id| FeedItem {
            id,
            state: ItemState::Gone,
            node: None,
            parent: None,
        };
        if let Some(node) = sees.read(self, actor, id).await? {
            let parent = match node.parent_id {
                Some(p) if sees.readable(self, actor, p).await? => Some(p),
                _ => None,
            };
            return Ok(Some(FeedItem {
                id,
                state: ItemState::Live,
                node: Some(node),
                parent,
            }));
        }
        let node = node::Entity::find_by_id(id).one(self.db()).await?;
        if let Some(node) = node.filter(|n| n.trashed_at.is_some()) {
            if node.owner_id == actor.user_id {
                let parent = node.parent_id;
                return Ok(Some(FeedItem {
                    id,
                    state: ItemState::Trashed,
                    node: Some(node),
                    parent,
                }));
            }
            // Trashed where the caller could see it.
            let granted = crate::sharing::roles::grants_above(self.db(), actor.user_id, id).await?;
            if !granted.is_empty() {
                return Ok(Some(gone(id)));
            }
        }
        if was_granted {
            return Ok(Some(gone(id)));
        }
        for folder in left {
            if sees.readable(self, actor, *folder).await? {
                return Ok(Some(gone(id)));
            }
        }
        Ok(None)
    }
}

/// Whether the actor may read each item, asked once per answer.
#[derive(Default)]
struct Sees(HashMap<Uuid, bool>);

impl Sees {
    /// The item itself when the actor may read it (one lookup, which also says whether).
    async fn read(
        &mut self,
        service: &Service,
        actor: &Actor,
        id: Uuid,
    ) -> Result<Option<node::Model>, ServiceError> {
        let found = match service.node(actor, id, Need::Read).await {
            Ok(node) => Some(node),
            Err(ServiceError::User(_)) => None,
            Err(e) => return Err(e),
        };
        self.0.insert(id, found.is_some());
        Ok(found)
    }

    async fn readable(
        &mut self,
        service: &Service,
        actor: &Actor,
        id: Uuid,
    ) -> Result<bool, ServiceError> {
        if let Some(known) = self.0.get(&id) {
            return Ok(*known);
        }
        let may = match service.node(actor, id, Need::Read).await {
            Ok(_) => true,
            Err(ServiceError::User(_)) => false,
            Err(e) => return Err(e),
        };
        self.0.insert(id, may);
        Ok(may)
    }
}

/// The feed is for people (their sessions and tokens), not for public links.
fn only_people(actor: &Actor) -> Result<(), ServiceError> {
    match actor.link_scope() {
        Some(_) => Err(AppError::Forbidden.into()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, secs_ago: i64) -> change::Model {
        change::Model {
            id,
            node_id: Uuid::nil(),
            created_at: chrono::Utc::now() - chrono::Duration::seconds(secs_ago),
            left_parent_id: None,
            grantee_id: None,
        }
    }

    #[test]
    fn a_young_gap_holds_the_cursor_back_and_an_old_one_is_stepped_over() {
        let (rows, cursor) = committed(vec![row(5, 1), row(6, 1), row(8, 1), row(9, 1)], 4);
        assert_eq!((rows.len(), cursor), (2, 6), "7 may still be committing");
        let (rows, cursor) = committed(vec![row(5, 30), row(7, 30), row(8, 1)], 4);
        assert_eq!((rows.len(), cursor), (3, 8), "6 rolled back long ago");
        let (rows, cursor) = committed(vec![], 4);
        assert_eq!((rows.len(), cursor), (0, 4));
    }
}
