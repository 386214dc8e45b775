//! The trash: delete to it, list it, restore from it, purge it. A trashed item is in its
//! owner's trash only, whoever deleted it.

use uuid::Uuid;

use super::Service;
use crate::{
    entities::node,
    error::ServiceError,
    files::{access, trash},
    policy::{authorize, Action, Actor, Need},
};

impl Service {
    /// Moves `id` (with everything in it) to its owner's trash.
    pub async fn trash(&self, actor: &Actor, id: Uuid) -> Result<(), ServiceError> {
        let item = self.node(actor, id, Need::Delete).await?;
        // A deleted item's WebDAV locks go with it (they would come back with a restore).
        self.forget_locks(item.id).await?;
        trash::trash(self.db(), actor.user_id, &item).await
    }

    /// One page of the actor's own trash, newest first; whether more follow.
    pub async fn list_trash(
        &self,
        actor: &Actor,
        limit: u64,
        offset: u64,
    ) -> Result<(Vec<node::Model>, bool), ServiceError> {
        authorize(actor, Action::OwnTrash)?;
        trash::list(self.db(), actor.user_id, limit, offset).await
    }

    /// Puts the actor's trash entry `id` back where it was.
    pub async fn restore(&self, actor: &Actor, id: Uuid) -> Result<node::Model, ServiceError> {
        let entry = access::trash_entry(self.db(), actor, id).await?;
        trash::restore(self.db(), actor.user_id, &entry).await
    }

    /// Deletes the actor's trash entry `id` for good.
    pub async fn purge(&self, actor: &Actor, id: Uuid) -> Result<(), ServiceError> {
        let entry = access::trash_entry(self.db(), actor, id).await?;
        trash::purge(self.db(), self.blobs(), actor.user_id, &entry).await
    }

    /// Empties the actor's trash; how many entries went.
    pub async fn empty_trash(&self, actor: &Actor) -> Result<usize, ServiceError> {
        authorize(actor, Action::OwnTrash)?;
        trash::empty(self.db(), self.blobs(), actor.user_id, actor.user_id).await
    }

    /// How long trashed items are kept, in days.
    pub fn trash_retention_days(&self) -> u64 {
        self.inner.settings.files.trash_retention_days
    }
}
