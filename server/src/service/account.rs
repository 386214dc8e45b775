//! One's own account: what it holds and uses, and its personal access tokens.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Service;
use crate::{
    entities::{node, personal_access_token as pat},
    error::ServiceError,
    identity::access_tokens,
    policy::{authorize, Action, Actor},
};

impl Service {
    /// The actor's root folder and the bytes they use.
    pub async fn account_usage(&self, actor: &Actor) -> Result<(node::Model, i64), ServiceError> {
        authorize(actor, Action::ReadAccount)?;
        let root = self.root(actor).await?;
        let used = crate::files::quota::used(self.db(), actor.user_id).await?;
        Ok((root, used))
    }

    /// A new personal access token (never made with another one); its row and its secret.
    pub async fn create_token(
        &self,
        actor: &Actor,
        name: &str,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<(pat::Model, String), ServiceError> {
        authorize(actor, Action::CreateToken)?;
        access_tokens::create(self.db(), actor.user_id, name, expires_at).await
    }

    /// The actor's personal access tokens.
    pub async fn tokens(&self, actor: &Actor) -> Result<Vec<pat::Model>, ServiceError> {
        let own = Action::ManageToken {
            owner: actor.user_id,
        };
        authorize(actor, own)?;
        access_tokens::list(self.db(), actor.user_id).await
    }

    /// Revokes token `id` (the actor's own); it stops working at once.
    pub async fn revoke_token(&self, actor: &Actor, id: Uuid) -> Result<(), ServiceError> {
        let token = access_tokens::find(self.db(), id)
            .await?
            .ok_or(app::AppError::NotFound)?;
        let own = Action::ManageToken {
            owner: token.user_id,
        };
        authorize(actor, own)?;
        access_tokens::delete(self.db(), id).await
    }
}
