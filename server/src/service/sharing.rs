//! Sharing: grants to people (viewer, editor, manager) and public links, made, changed and
//! taken away by those who may share (owners and managers); a grant's holder may also leave.

use uuid::Uuid;

use super::Service;
use crate::{
    entities::{node, share, share_link, user},
    error::ServiceError,
    files::trash,
    identity::users,
    policy::{authorize, Action, Actor, Need},
    sharing::{
        grants::{self, Grant},
        links::NewLink,
    },
};

/// Who has access to an item, as the one asking may see it.
pub struct ItemSharing {
    pub grants: Vec<Grant>,
    /// Only for those who may share (links carry their secret).
    pub links: Vec<share_link::Model>,
    pub can_share: bool,
}

impl Service {
    /// The grants on `id` (anyone who may read it sees them) and its links (only those who
    /// may share it).
    pub async fn item_sharing(&self, actor: &Actor, id: Uuid) -> Result<ItemSharing, ServiceError> {
        let (node, standing) =
            crate::files::access::live_node_with_standing(self.db(), actor, id, Need::Read).await?;
        let share = Action::Node {
            need: Need::Share,
            standing,
        };
        let can_share = authorize(actor, share).is_ok();
        let grants = grants::on_node(self.db(), node.id).await?;
        let links = if can_share {
            self.inner.links.on_node(node.id).await?
        } else {
            Vec::new()
        };
        Ok(ItemSharing {
            grants,
            links,
            can_share,
        })
    }

    /// Shares `id` with the account of `email` as `role` (again with the same person: a new
    /// role); whether the grant is new.
    pub async fn share(
        &self,
        actor: &Actor,
        id: Uuid,
        email: &str,
        role: app::dto::Role,
    ) -> Result<(Grant, bool), ServiceError> {
        let node = match self.node(actor, id, Need::Share).await {
            Ok(node) => node,
            // An owner asking to share something in their trash is told why it cannot be.
            Err(e) => match trash::find_entry(self.db(), id).await? {
                Some(trashed)
                    if trashed.owner_id == actor.user_id && actor.link_scope().is_none() =>
                {
                    trashed
                }
                _ => return Err(e),
            },
        };
        grants::share(self.db(), actor.user_id, &node, email, role).await
    }

    /// Gives grant `id` the role `role` (those who may share its item).
    pub async fn change_grant(
        &self,
        actor: &Actor,
        id: Uuid,
        role: app::dto::Role,
    ) -> Result<(share::Model, user::Model), ServiceError> {
        let grant = grants::for_sharer(self.db(), actor, id, false).await?;
        let share = grants::change_role(self.db(), actor.user_id, &grant, role).await?;
        let grantee = users::by_id(self.db(), share.grantee_id)
            .await?
            .ok_or(app::AppError::NotFound)?;
        Ok((share, grantee))
    }

    /// Takes grant `id` away (those who may share its item, or its holder leaving).
    pub async fn remove_grant(&self, actor: &Actor, id: Uuid) -> Result<(), ServiceError> {
        let grant = grants::for_sharer(self.db(), actor, id, true).await?;
        grants::remove(self.db(), actor.user_id, &grant).await
    }

    /// What others share with the actor: each grant, its item and the item's owner.
    pub async fn shared_with_me(
        &self,
        actor: &Actor,
    ) -> Result<Vec<(share::Model, node::Model, Option<user::Model>)>, ServiceError> {
        if actor.link_scope().is_some() {
            return Ok(Vec::new());
        }
        grants::shared_with(self.db(), actor.user_id).await
    }

    /// The links to `id` that still work (those who may share it).
    pub async fn links_of(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<Vec<share_link::Model>, ServiceError> {
        let node = self.node(actor, id, Need::Share).await?;
        self.inner.links.on_node(node.id).await
    }

    /// A new public link to `id`.
    pub async fn create_link(
        &self,
        actor: &Actor,
        id: Uuid,
        new: NewLink,
    ) -> Result<share_link::Model, ServiceError> {
        let node = self.node(actor, id, Need::Share).await?;
        self.inner.links.create(actor.user_id, &node, new).await
    }

    /// Revokes link `id`: it stops working at once.
    pub async fn revoke_link(&self, actor: &Actor, id: Uuid) -> Result<(), ServiceError> {
        let link = self.inner.links.for_sharer(actor, id).await?;
        self.inner.links.revoke(&link).await
    }
}
