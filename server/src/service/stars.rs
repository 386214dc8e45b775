//! Stars: a person marks files and folders they may see (their own or shared with them) to
//! find them again on the Starred page. A star on something they can no longer see stays
//! out of sight (and comes back with the access); links have no stars.

use std::collections::HashSet;

use chrono::Utc;
use sea_orm::{
    sea_query::OnConflict, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::Service;
use crate::{
    entities::{node, star},
    error::ServiceError,
    policy::{authorize, Action, Actor, Need},
};

/// The most stars one Starred page shows.
const SHOWN: u64 = 500;

impl Service {
    /// Stars `id` for the actor (again: nothing changes).
    pub async fn star(&self, actor: &Actor, id: Uuid) -> Result<(), ServiceError> {
        authorize(actor, Action::ReadAccount)?;
        let node = self.node(actor, id, Need::Read).await?;
        let row = star::ActiveModel {
            user_id: Set(actor.user_id),
            node_id: Set(node.id),
            created_at: Set(Utc::now()),
        };
        let keep = OnConflict::columns([star::Column::UserId, star::Column::NodeId])
            .do_nothing()
            .to_owned();
        star::Entity::insert(row)
            .on_conflict(keep)
            .do_nothing()
            .exec(self.db())
            .await?;
        Ok(())
    }

    /// Takes the actor's star off `id` (none there: nothing changes).
    pub async fn unstar(&self, actor: &Actor, id: Uuid) -> Result<(), ServiceError> {
        authorize(actor, Action::ReadAccount)?;
        star::Entity::delete_many()
            .filter(star::Column::UserId.eq(actor.user_id))
            .filter(star::Column::NodeId.eq(id))
            .exec(self.db())
            .await?;
        Ok(())
    }

    /// What the actor starred and may still see, newest star first.
    pub async fn starred(&self, actor: &Actor) -> Result<Vec<node::Model>, ServiceError> {
        authorize(actor, Action::ReadAccount)?;
        let ids: Vec<Uuid> = star::Entity::find()
            .filter(star::Column::UserId.eq(actor.user_id))
            .order_by_desc(star::Column::CreatedAt)
            .limit(SHOWN)
            .all(self.db())
            .await?
            .into_iter()
            .map(|s| s.node_id)
            .collect();
        self.visible(actor, ids).await
    }

    /// Which of `ids` the actor starred.
    pub(super) async fn starred_among(
        &self,
        actor: &Actor,
        ids: &[Uuid],
    ) -> Result<HashSet<Uuid>, ServiceError> {
        if ids.is_empty() || actor.link_scope().is_some() {
            return Ok(HashSet::new());
        }
        Ok(star::Entity::find()
            .filter(star::Column::UserId.eq(actor.user_id))
            .filter(star::Column::NodeId.is_in(ids.to_vec()))
            .all(self.db())
            .await?
            .into_iter()
            .map(|s| s.node_id)
            .collect())
    }
}
