//! Public links: made by someone who may share the item, opened by anyone holding the token.
//! A link is refused (410) once revoked, expired or used up, or when its item is in the
//! trash; its password is tried a limited number of times per address.

use std::{net::IpAddr, time::Duration};

use app::{dto::LinkRole, AppError};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::{
    db::portable_statement,
    entities::{node, share_link},
    error::ServiceError,
    files::{access, tree},
    identity::{password, rate_limit::RateLimiter},
    policy::{authorize_link, Actor, Need},
};

/// Password attempts per link and address in a quarter of an hour.
const ATTEMPTS: u32 = 10;
const WINDOW: Duration = Duration::from_secs(15 * 60);

/// What a new link is to be.
pub struct NewLink {
    pub role: LinkRole,
    pub password: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub max_downloads: Option<i64>,
}

/// An open link: the link and the item it is for.
pub struct Opened {
    pub link: share_link::Model,
    pub root: node::Model,
    pub role: LinkRole,
}

impl Opened {
    /// Whether the holder may go past the password: there is none, or this browser gave it
    /// (`unlocked`: the links it unlocked).
    pub fn is_open(&self, unlocked: &[Uuid]) -> bool {
        self.link.password_hash.is_none() || unlocked.contains(&self.link.id)
    }
}

pub struct Links {
    db: DatabaseConnection,
    attempts: RateLimiter,
}

impl Links {
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            attempts: RateLimiter::default(),
        }
    }

    /// Makes a link to `node` (the caller may share it).
    pub async fn create(
        &self,
        actor: Uuid,
        node: &node::Model,
        new: NewLink,
    ) -> Result<share_link::Model, ServiceError> {
        if new.role != LinkRole::Viewer && !node.is_folder() {
            return Err(AppError::validation(
                "role",
                "Only a folder can take uploads; a link to a file is for viewing.",
            )
            .into());
        }
        if node.parent_id.is_none() {
            return Err(AppError::validation(
                "id",
                "A whole drive cannot be shared; share its folders.",
            )
            .into());
        }
        if new.expires_at.is_some_and(|at| at <= Utc::now()) {
            return Err(
                AppError::validation("expires_at", "The expiry must be in the future.").into(),
            );
        }
        if new.max_downloads.is_some_and(|n| n < 1) {
            return Err(
                AppError::validation("max_downloads", "Allow at least one download.").into(),
            );
        }
        let password_hash = match new.password.filter(|p| !p.is_empty()) {
            Some(p) if p.chars().count() < 4 => {
                return Err(AppError::validation("password", "Use at least 4 characters.").into())
            }
            Some(p) if p.len() > 1024 => {
                return Err(AppError::validation("password", "This password is too long.").into())
            }
            Some(p) => Some(password::hash_password(p).await?),
            None => None,
        };
        let row = share_link::ActiveModel {
            id: Set(Uuid::new_v4()),
            node_id: Set(node.id),
            token: Set(new_token()),
            role: Set(new.role.as_str().to_owned()),
            password_hash: Set(password_hash),
            expires_at: Set(new.expires_at),
            max_downloads: Set(new.max_downloads),
            downloads: Set(0),
            created_by: Set(actor),
            created_at: Set(Utc::now()),
            revoked_at: Set(None),
        };
        Ok(share_link::Entity::insert(row)
            .exec_with_returning(&self.db)
            .await?)
    }

    /// The links of an item that still work or may, newest first.
    pub async fn on_node(&self, node: Uuid) -> Result<Vec<share_link::Model>, ServiceError> {
        Ok(share_link::Entity::find()
            .filter(share_link::Column::NodeId.eq(node))
            .filter(share_link::Column::RevokedAt.is_null())
            .order_by_desc(share_link::Column::CreatedAt)
            .all(&self.db)
            .await?)
    }

    /// A link that still works whose item the actor may share (to revoke it); else NotFound.
    pub async fn for_sharer(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<share_link::Model, ServiceError> {
        let link = share_link::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .filter(|l| l.revoked_at.is_none())
            .ok_or(AppError::NotFound)?;
        access::live_node(&self.db, actor, link.node_id, Need::Share).await?;
        Ok(link)
    }

    /// Stops the link working, now.
    pub async fn revoke(&self, link: &share_link::Model) -> Result<(), ServiceError> {
        let update = share_link::ActiveModel {
            id: Set(link.id),
            revoked_at: Set(Some(Utc::now())),
            ..Default::default()
        };
        share_link::Entity::update(update).exec(&self.db).await?;
        Ok(())
    }

    /// The link of `token`, if it works: 404 for no such link, 410 for one no longer valid.
    pub async fn open(&self, token: &str) -> Result<Opened, ServiceError> {
        let link = share_link::Entity::find()
            .filter(share_link::Column::Token.eq(token))
            .one(&self.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let used_up = link.max_downloads.is_some_and(|max| link.downloads >= max);
        let expired = link.expires_at.is_some_and(|at| at <= Utc::now());
        if link.revoked_at.is_some() || expired || used_up {
            return Err(AppError::Gone.into());
        }
        let root = tree::get_live(&self.db, link.node_id)
            .await?
            .ok_or(AppError::Gone)?;
        let role = LinkRole::parse(&link.role).ok_or(AppError::Internal)?;
        Ok(Opened { link, root, role })
    }

    /// Checks a link's password, a limited number of times per address.
    pub async fn unlock(
        &self,
        link: &share_link::Model,
        attempt: String,
        ip: Option<IpAddr>,
    ) -> Result<(), ServiceError> {
        let key = format!(
            "link:{}:{}",
            link.id,
            ip.map(|i| i.to_string()).unwrap_or_default()
        );
        self.attempts
            .check(&key, ATTEMPTS)
            .map_err(|wait| AppError::RateLimited {
                retry_after_secs: wait,
            })?;
        if password::verify_password(attempt, link.password_hash.clone()).await? {
            return Ok(());
        }
        self.attempts.hit(&key, WINDOW);
        Err(AppError::PasswordRequired {
            message: "That password is not right.".to_owned(),
        }
        .into())
    }

    /// The item `id` (the linked one, or one below a linked folder) for `need`, or NotFound.
    /// `unlocked`: whether the holder has given the link's password (if it has one).
    pub async fn item(
        &self,
        opened: &Opened,
        id: Option<Uuid>,
        need: Need,
        unlocked: bool,
    ) -> Result<node::Model, ServiceError> {
        if opened.link.password_hash.is_some() && !unlocked {
            return Err(AppError::PasswordRequired {
                message: "This link is protected by a password.".to_owned(),
            }
            .into());
        }
        authorize_link(opened.role, need)?;
        let Some(id) = id.filter(|id| *id != opened.root.id) else {
            return Ok(opened.root.clone());
        };
        let node = tree::get_live(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !tree::is_below(&self.db, node.id, opened.root.id).await? {
            return Err(AppError::NotFound.into());
        }
        Ok(node)
    }

    /// Counts a download; the one past the limit is refused (410).
    pub async fn count_download(&self, link: &share_link::Model) -> Result<(), ServiceError> {
        let sql = "UPDATE share_links SET downloads = downloads + 1 \
                   WHERE id = $1 AND (max_downloads IS NULL OR downloads < max_downloads)";
        let done = self
            .db
            .execute(portable_statement(
                self.db.get_database_backend(),
                sql,
                [link.id.into()],
            ))
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::Gone.into());
        }
        Ok(())
    }
}

/// 128 random bits, URL-safe.
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::new_token;

    #[test]
    fn tokens_carry_128_random_bits_in_url_safe_text() {
        let a = new_token();
        assert_eq!(a.len(), 22);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(a, new_token());
    }
}
