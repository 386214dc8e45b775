//! What WebDAV needs beyond the drive's own methods: items found by their path, a whole
//! folder with its locks and dead properties in a few queries, dead properties changed, and
//! an item's modification time set (as clients send it after an upload).

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, EntityTrait};
use uuid::Uuid;

use super::Service;
use crate::{
    entities::{dav_lock, dav_prop, node},
    error::ServiceError,
    files::{dav_locks, dead_props, listing, paths},
    policy::{Actor, Need},
};

pub use dead_props::PropChange;

/// A folder's children as WebDAV lists them (all of them, by name), each one's locks and
/// dead properties, and the deep locks above that cover them all.
pub struct DavFolder {
    pub rows: Vec<node::Model>,
    pub locks: Vec<dav_lock::Model>,
    pub inherited: Vec<dav_lock::Model>,
    pub props: Vec<dav_prop::Model>,
}

/// One item with its locks (its own and the deep ones above) and dead properties.
pub struct DavItem {
    pub locks: Vec<dav_lock::Model>,
    pub props: Vec<dav_prop::Model>,
}

impl Service {
    /// `from` (which the actor must be able to read) and the items at `names` below it, as
    /// far as they exist: the result is shorter than `names` + 1 where one is missing.
    pub async fn walk(
        &self,
        actor: &Actor,
        from: Uuid,
        names: &[String],
    ) -> Result<Vec<node::Model>, ServiceError> {
        let start = self.node(actor, from, Need::Read).await?;
        let mut chain = vec![start];
        for name in names {
            let parent = chain.last().map(|n| n.id).unwrap_or(from);
            match paths::child_named(self.db(), parent, name).await? {
                Some(child) => chain.push(child),
                None => break,
            }
        }
        Ok(chain)
    }

    /// Every child of folder `id` with their locks and dead properties.
    pub async fn dav_folder(&self, actor: &Actor, id: Uuid) -> Result<DavFolder, ServiceError> {
        let folder = self.node(actor, id, Need::Read).await?;
        // In no particular order (clients sort for themselves; the natural order's collation
        // would cost more than the rest of a big listing), packed in one row.
        let rows = listing::all_children(self.db(), folder.id).await?;
        let locks = dav_locks::on_children(self.db(), folder.id).await?;
        let inherited = dav_locks::covering(self.db(), folder.id)
            .await?
            .into_iter()
            .filter(|l| l.deep)
            .collect();
        let props = dead_props::of_children(self.db(), folder.id).await?;
        Ok(DavFolder {
            rows,
            locks,
            inherited,
            props,
        })
    }

    /// Item `id`'s locks and dead properties.
    pub async fn dav_item(&self, actor: &Actor, id: Uuid) -> Result<DavItem, ServiceError> {
        let item = self.node(actor, id, Need::Read).await?;
        Ok(DavItem {
            locks: dav_locks::covering(self.db(), item.id).await?,
            props: dead_props::of(self.db(), item.id).await?,
        })
    }

    /// Changes item `id`'s dead properties, all or none.
    pub async fn patch_props(
        &self,
        actor: &Actor,
        id: Uuid,
        changes: &[PropChange],
    ) -> Result<(), ServiceError> {
        let item = self.node(actor, id, Need::Write).await?;
        dead_props::patch(self.db(), item.id, changes).await
    }

    /// Sets when item `id` was last changed, as the client says (its own file's time).
    pub async fn set_modified(
        &self,
        actor: &Actor,
        id: Uuid,
        when: DateTime<Utc>,
    ) -> Result<node::Model, ServiceError> {
        let item = self.node(actor, id, Need::Write).await?;
        let row = node::ActiveModel {
            id: Set(item.id),
            modified_at: Set(when),
            ..Default::default()
        };
        let updated = node::Entity::update(row).exec(self.db()).await?;
        crate::search::changes::record(self.db(), item.id).await?;
        Ok(updated)
    }
}
