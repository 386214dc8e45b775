//! WebDAV locks: taken by those who may change an item, used only by the person who took
//! them, and asked about before any change a WebDAV client makes.

use std::time::Duration;

use app::AppError;
use uuid::Uuid;

use super::Service;
use crate::{
    entities::dav_lock,
    error::ServiceError,
    files::dav_locks,
    policy::{Actor, Need},
};

pub use dav_locks::{LockRequest, MAX_TIMEOUT as MAX_LOCK_TIMEOUT};

/// What a change touches, for the locks it must hold.
#[derive(Debug, Clone, Copy)]
pub enum Touches {
    /// The item (or, for a folder, its list of members).
    Item(Uuid),
    /// The item and everything below it (a delete or a move).
    Tree(Uuid),
}

impl Service {
    /// Locks item `id` for the actor.
    pub async fn lock(
        &self,
        actor: &Actor,
        id: Uuid,
        request: LockRequest,
    ) -> Result<dav_lock::Model, ServiceError> {
        let item = self.node(actor, id, Need::Write).await?;
        dav_locks::take(self.db(), actor.user_id, &item, request).await
    }

    /// The actor's lock `token` that covers item `id`, with a new timeout.
    pub async fn refresh_lock(
        &self,
        actor: &Actor,
        id: Uuid,
        token: &str,
        timeout: Duration,
    ) -> Result<dav_lock::Model, ServiceError> {
        let lock = self.own_lock_on(actor, id, token).await?;
        dav_locks::refresh(self.db(), lock, timeout).await
    }

    /// Removes the actor's lock `token` that covers item `id`.
    pub async fn unlock(&self, actor: &Actor, id: Uuid, token: &str) -> Result<(), ServiceError> {
        let lock = self.own_lock_on(actor, id, token).await?;
        dav_locks::release(self.db(), &lock.token).await
    }

    async fn own_lock_on(
        &self,
        actor: &Actor,
        id: Uuid,
        token: &str,
    ) -> Result<dav_lock::Model, ServiceError> {
        let item = self.node(actor, id, Need::Read).await?;
        let covering = dav_locks::covering(self.db(), item.id).await?;
        let lock = dav_locks::find(self.db(), actor.user_id, token).await?;
        match lock {
            Some(lock) if covering.iter().any(|l| l.token == lock.token) => Ok(lock),
            _ => Err(
                AppError::conflict("lock_token", "That lock token does not lock this item.").into(),
            ),
        }
    }

    /// The locks that cover item `id` (its own and the deep ones above it).
    pub async fn locks_on(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<Vec<dav_lock::Model>, ServiceError> {
        let item = self.node(actor, id, Need::Read).await?;
        dav_locks::covering(self.db(), item.id).await
    }

    /// Whether the actor, sending lock `tokens`, holds every lock that a change of
    /// `touches` needs: for each locked item, the token of its exclusive lock or of one of
    /// its shared locks. Locked otherwise.
    pub async fn check_locks(
        &self,
        actor: &Actor,
        touches: &[Touches],
        tokens: &[String],
    ) -> Result<(), ServiceError> {
        let mut present = Vec::new();
        for touch in touches {
            match *touch {
                Touches::Item(id) => present.extend(dav_locks::covering(self.db(), id).await?),
                Touches::Tree(id) => {
                    present.extend(dav_locks::covering(self.db(), id).await?);
                    present.extend(dav_locks::below(self.db(), id).await?);
                }
            }
        }
        let held = |l: &dav_lock::Model| l.user_id == actor.user_id && tokens.contains(&l.token);
        let mut items: Vec<Uuid> = present.iter().map(|l| l.node_id).collect();
        items.sort();
        items.dedup();
        for item in items {
            let on_item = present.iter().filter(|l| l.node_id == item);
            let exclusive: Vec<_> = on_item.clone().filter(|l| !l.shared).collect();
            let ok = if exclusive.is_empty() {
                on_item.clone().any(held)
            } else {
                exclusive.iter().all(|l| held(l))
            };
            if !ok {
                return Err(AppError::Locked.into());
            }
        }
        Ok(())
    }

    /// Forgets the locks on item `id` and below (after it was deleted or moved away).
    pub(super) async fn forget_locks(&self, id: Uuid) -> Result<(), ServiceError> {
        dav_locks::forget(self.db(), id).await
    }
}
