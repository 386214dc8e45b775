//! The settings page's service: a person's own app passwords (personal access tokens), made,
//! listed and revoked through the service layer, like the REST API's `/tokens`.

use app::{
    dto::{AppPasswordDto, NewAppPassword},
    services::AccountService,
    AppError,
};
use async_trait::async_trait;
use uuid::Uuid;

use crate::{entities::personal_access_token as pat, service::Service};

pub struct AccountSettings {
    service: Service,
}

impl AccountSettings {
    pub fn new(service: Service) -> Self {
        Self { service }
    }
}

fn dto(token: pat::Model) -> AppPasswordDto {
    AppPasswordDto {
        id: token.id,
        name: token.name,
        created_at: token.created_at.timestamp(),
        last_used_at: token.last_used_at.map(|at| at.timestamp()),
    }
}

#[async_trait]
impl AccountService for AccountSettings {
    async fn app_passwords(&self, user: Uuid) -> Result<Vec<AppPasswordDto>, AppError> {
        let actor = self.service.session_actor(user).await?;
        let mut tokens = self.service.tokens(&actor).await?;
        tokens.sort_by_key(|t| std::cmp::Reverse(t.created_at));
        Ok(tokens.into_iter().map(dto).collect())
    }

    async fn create_app_password(
        &self,
        user: Uuid,
        name: String,
    ) -> Result<NewAppPassword, AppError> {
        let actor = self.service.session_actor(user).await?;
        let (token, secret) = self.service.create_token(&actor, &name, None).await?;
        Ok(NewAppPassword {
            password: dto(token),
            secret,
        })
    }

    async fn revoke_app_password(&self, user: Uuid, id: Uuid) -> Result<(), AppError> {
        let actor = self.service.session_actor(user).await?;
        Ok(self.service.revoke_token(&actor, id).await?)
    }
}
