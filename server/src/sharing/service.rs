//! Sharing as the drive's server functions see it ([`app::services::SharingService`]): a
//! thin adapter over the service layer, for the signed-in user.

use app::{
    dto::{GrantDto, LinkDto, LinkRole, NewLinkDto, Role, SharedEntryDto, SharingDto},
    services::SharingService,
    AppError,
};
use async_trait::async_trait;
use chrono::{Duration, Utc};
use uuid::Uuid;

use super::links::NewLink;
use crate::{drive::entry, entities::share_link, policy::Actor, service::Service};

pub struct Sharing {
    service: Service,
}

impl Sharing {
    pub fn new(service: Service) -> Self {
        Self { service }
    }

    async fn actor(&self, user: Uuid) -> Result<Actor, AppError> {
        self.service.session_actor(user).await
    }
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

#[async_trait]
impl SharingService for Sharing {
    async fn sharing(&self, user: Uuid, id: Uuid) -> Result<SharingDto, AppError> {
        let actor = self.actor(user).await?;
        let found = self.service.item_sharing(&actor, id).await?;
        let grants = found
            .grants
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
        Ok(SharingDto {
            grants,
            links: found.links.into_iter().map(link_dto).collect(),
            can_share: found.can_share,
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
        let (grant, _) = self.service.share(&actor, id, &email, role).await?;
        Ok(GrantDto {
            id: grant.share.id,
            name: grant.grantee.name,
            email: grant.grantee.email,
            role,
        })
    }

    async fn change_grant(&self, user: Uuid, grant: Uuid, role: Role) -> Result<(), AppError> {
        let actor = self.actor(user).await?;
        self.service.change_grant(&actor, grant, role).await?;
        Ok(())
    }

    async fn remove_grant(&self, user: Uuid, grant: Uuid) -> Result<(), AppError> {
        let actor = self.actor(user).await?;
        Ok(self.service.remove_grant(&actor, grant).await?)
    }

    async fn create_link(
        &self,
        user: Uuid,
        id: Uuid,
        new: NewLinkDto,
    ) -> Result<LinkDto, AppError> {
        let actor = self.actor(user).await?;
        let expires_at = match new.expires_in_days {
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
            role: new.role,
            password: new.password,
            expires_at,
            max_downloads: new.max_downloads,
            label: new.label,
        };
        Ok(link_dto(self.service.create_link(&actor, id, new).await?))
    }

    async fn revoke_link(&self, user: Uuid, link: Uuid) -> Result<(), AppError> {
        let actor = self.actor(user).await?;
        Ok(self.service.revoke_link(&actor, link).await?)
    }

    async fn shared_with_me(&self, user: Uuid) -> Result<Vec<SharedEntryDto>, AppError> {
        let actor = self.actor(user).await?;
        let rows = self.service.shared_with_me(&actor).await?;
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
