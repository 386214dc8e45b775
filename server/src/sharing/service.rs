//! Sharing as the drive's server functions see it ([`app::services::SharingService`]): the
//! same grants and links as the REST API, for the signed-in user, through the policy.

use std::sync::Arc;

use app::{
    dto::{GrantDto, LinkDto, LinkRole, Role, SharedEntryDto, SharingDto},
    services::SharingService,
    AppError,
};
use async_trait::async_trait;
use chrono::{Duration, Utc};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{
    grants,
    links::{Links, NewLink},
};
use crate::{
    drive::entry,
    entities::share_link,
    files::access,
    identity::users,
    policy::{authorize, Action, Actor, Need},
};

pub struct Sharing {
    pub db: DatabaseConnection,
    pub links: Arc<Links>,
}

fn link_dto(l: share_link::Model) -> LinkDto {
    LinkDto {
        role: LinkRole::parse(&l.role).unwrap_or(LinkRole::Viewer),
        id: l.id,
        path: format!("/s/{}", l.token),
        has_password: l.password_hash.is_some(),
        expires: l.expires_at.map(|t| t.timestamp()),
        max_downloads: l.max_downloads,
        downloads: l.downloads,
        label: l.label.unwrap_or_default(),
    }
}

impl Sharing {
    async fn actor(&self, user: Uuid) -> Result<Actor, AppError> {
        users::session_actor(&self.db, user).await
    }

    /// The grant, if the user may change it.
    async fn grant(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<crate::entities::share::Model, AppError> {
        Ok(grants::for_sharer(&self.db, actor, id, false).await?)
    }
}

#[async_trait]
impl SharingService for Sharing {
    async fn sharing(&self, user: Uuid, id: Uuid) -> Result<SharingDto, AppError> {
        let actor = self.actor(user).await?;
        let (node, standing) =
            access::live_node_with_standing(&self.db, &actor, id, Need::Read).await?;
        let share = Action::Node {
            need: Need::Share,
            standing,
        };
        let can_share = authorize(&actor, share).is_ok();
        let grants = grants::on_node(&self.db, node.id)
            .await?
            .into_iter()
            .filter_map(|g| {
                Role::parse(&g.share.role).map(|role| GrantDto {
                    id: g.share.id,
                    name: g.grantee.name,
                    email: g.grantee.email,
                    role,
                })
            })
            .collect();
        // Links carry their secret: only those who may share see them.
        let links = if can_share {
            self.links
                .on_node(node.id)
                .await?
                .into_iter()
                .map(link_dto)
                .collect()
        } else {
            Vec::new()
        };
        Ok(SharingDto {
            grants,
            links,
            can_share,
        })
    }

    async fn share(
        &self,
        user: Uuid,
        id: Uuid,
        email: String,
        role: Role,
    ) -> Result<GrantDto, AppError> {
        let actor = self.actor(user).await?;
        let node = access::live_node(&self.db, &actor, id, Need::Share).await?;
        let (grant, _) = grants::share(&self.db, actor.user_id, &node, &email, role).await?;
        Ok(GrantDto {
            id: grant.share.id,
            name: grant.grantee.name,
            email: grant.grantee.email,
            role,
        })
    }

    async fn change_grant(&self, user: Uuid, grant: Uuid, role: Role) -> Result<(), AppError> {
        let actor = self.actor(user).await?;
        let grant = self.grant(&actor, grant).await?;
        grants::change_role(&self.db, actor.user_id, &grant, role).await?;
        Ok(())
    }

    async fn remove_grant(&self, user: Uuid, grant: Uuid) -> Result<(), AppError> {
        let actor = self.actor(user).await?;
        let grant = self.grant(&actor, grant).await?;
        grants::remove(&self.db, actor.user_id, &grant).await?;
        Ok(())
    }

    async fn create_link(
        &self,
        user: Uuid,
        id: Uuid,
        role: LinkRole,
        password: Option<String>,
        expires_in_days: Option<i64>,
        max_downloads: Option<i64>,
    ) -> Result<LinkDto, AppError> {
        let actor = self.actor(user).await?;
        let node = access::live_node(&self.db, &actor, id, Need::Share).await?;
        let expires_at = match expires_in_days {
            Some(days) if !(1..=3650).contains(&days) => {
                return Err(AppError::validation(
                    "expires",
                    "Choose between 1 and 3650 days.",
                ))
            }
            Some(days) => Some(Utc::now() + Duration::days(days)),
            None => None,
        };
        let new = NewLink {
            role,
            password,
            expires_at,
            max_downloads,
            label: None,
        };
        Ok(link_dto(
            self.links.create(actor.user_id, &node, new).await?,
        ))
    }

    async fn revoke_link(&self, user: Uuid, link: Uuid) -> Result<(), AppError> {
        let actor = self.actor(user).await?;
        let link = self.links.for_sharer(&actor, link).await?;
        Ok(self.links.revoke(&link).await?)
    }

    async fn shared_with_me(&self, user: Uuid) -> Result<Vec<SharedEntryDto>, AppError> {
        let actor = self.actor(user).await?;
        let rows = grants::shared_with(&self.db, actor.user_id).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(grant, node, owner)| {
                Role::parse(&grant.role).map(|role| SharedEntryDto {
                    entry: entry(node),
                    role,
                    owner: owner.map_or_else(|| "someone".to_owned(), |o| o.name),
                })
            })
            .collect())
    }
}
