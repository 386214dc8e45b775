//! Public links: made by someone who may share the item, opened by anyone holding the token.
//! A link is refused (410) once revoked, expired or used up, when its item is in the trash or
//! its owner's account is disabled; its password is tried a limited number of times per
//! address. An open link acts as itself ([`Links::actor`]): what it may reach is the policy's
//! to say, through `files::access` like any other actor.

use std::{net::IpAddr, time::Duration};

use app::{dto::LinkRole, AppError};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::{
    db::portable_statement,
    entities::{node, share_link},
    error::ServiceError,
    files::{access, tree},
    identity::{password, rate_limit::RateLimiter},
    policy::{Actor, LinkScope, Need},
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
    /// The owner's words for it; "Link of <date>" when none.
    pub label: Option<String>,
}

/// A download's worth of served bytes (the limit counts millionths of a download).
pub const UNIT: i64 = 1_000_000;

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
        let label = match new
            .label
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty())
        {
            Some(l) if l.chars().count() > 100 => {
                return Err(
                    AppError::validation("label", "Keep the label under 100 characters.").into(),
                )
            }
            Some(l) if l.chars().any(char::is_control) => {
                return Err(AppError::validation(
                    "label",
                    "The label can't hold control characters.",
                )
                .into())
            }
            Some(l) => l,
            None => format!("Link of {}", Utc::now().format("%Y-%m-%d %H:%M")),
        };
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
            label: Set(Some(label)),
            served_units: Set(0),
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
        let used_up = link
            .max_downloads
            .is_some_and(|max| link.served_units >= max.saturating_mul(UNIT));
        let expired = link.expires_at.is_some_and(|at| at <= Utc::now());
        if link.revoked_at.is_some() || expired || used_up {
            return Err(AppError::Gone.into());
        }
        let root = tree::get_live(&self.db, link.node_id)
            .await?
            .ok_or(AppError::Gone)?;
        // A disabled owner's links rest until the account is enabled again.
        let owner_active = crate::identity::users::by_id(&self.db, root.owner_id)
            .await?
            .is_some_and(|u| !u.disabled);
        if !owner_active {
            return Err(AppError::Gone.into());
        }
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

    /// The link as an actor, once its holder is past its password (`unlocked`: they gave it).
    pub fn actor(&self, opened: &Opened, unlocked: bool) -> Result<Actor, ServiceError> {
        if opened.link.password_hash.is_some() && !unlocked {
            return Err(AppError::PasswordRequired {
                message: "This link is protected by a password.".to_owned(),
            }
            .into());
        }
        Ok(Actor::link(LinkScope {
            id: opened.link.id,
            role: opened.role,
            root: opened.root.id,
        }))
    }

    /// The item `id` (the linked one, or one below a linked folder) for `need`, as the policy
    /// allows the link; NotFound for anything outside it.
    pub async fn item(
        &self,
        opened: &Opened,
        id: Option<Uuid>,
        need: Need,
        unlocked: bool,
    ) -> Result<node::Model, ServiceError> {
        let actor = self.actor(opened, unlocked)?;
        let id = id.unwrap_or(opened.root.id);
        access::live_node(&self.db, &actor, id, need).await
    }

    /// Charges `units` (millionths of a download) against the link's limit before bytes are
    /// served; refused (410) when they would pass it. A small slack absorbs the rounding of a
    /// download resumed in pieces.
    pub async fn charge(&self, link: Uuid, units: i64) -> Result<(), ServiceError> {
        let sql = "UPDATE share_links SET served_units = served_units + $1, \
                   downloads = (served_units + $1 + 999999) / 1000000 \
                   WHERE id = $2 AND (max_downloads IS NULL \
                   OR served_units + $1 <= max_downloads * 1000000 + 1000)";
        let done = self
            .db
            .execute(portable_statement(
                self.db.get_database_backend(),
                sql,
                [units.into(), link.into()],
            ))
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::Gone.into());
        }
        Ok(())
    }

    /// Gives back what a charge paid for bytes that were never sent (a download cut short).
    pub async fn refund(&self, link: Uuid, units: i64) -> Result<(), ServiceError> {
        let sql = "UPDATE share_links SET served_units = served_units - $1, \
                   downloads = (served_units - $1 + 999999) / 1000000 WHERE id = $2";
        self.db
            .execute(portable_statement(
                self.db.get_database_backend(),
                sql,
                [units.into(), link.into()],
            ))
            .await?;
        Ok(())
    }
}

/// Revokes the links `maker` made to `node` or below it that they may no longer share (their
/// grant went, or came down from manager): a link is never worth more than its maker's right.
/// Revoked links stay revoked, whatever happens to grants later.
pub async fn revoke_beyond_right(
    db: &DatabaseConnection,
    maker: Uuid,
    node: Uuid,
) -> Result<u64, ServiceError> {
    #[derive(FromQueryResult)]
    struct Made {
        id: Uuid,
        node_id: Uuid,
    }
    let sql = "WITH RECURSIVE below(id) AS ( \
                 SELECT id FROM nodes WHERE id = $1 \
                 UNION ALL SELECT n.id FROM nodes n JOIN below ON n.parent_id = below.id) \
               SELECT id, node_id FROM share_links \
               WHERE created_by = $2 AND revoked_at IS NULL AND node_id IN (SELECT id FROM below)";
    let values = [node.into(), maker.into()];
    let made = Made::find_by_statement(portable_statement(db.get_database_backend(), sql, values))
        .all(db)
        .await?;
    let Some(account) = crate::identity::users::by_id(db, maker).await? else {
        return Ok(0);
    };
    let actor = Actor::user(
        account.id,
        account.is_admin,
        crate::policy::Credential::Session,
    );
    let mut revoked = 0;
    for link in made {
        let may = match access::live_node(db, &actor, link.node_id, Need::Share).await {
            Ok(_) => true,
            Err(ServiceError::User(AppError::NotFound | AppError::Forbidden)) => false,
            Err(e) => return Err(e),
        };
        if !may {
            let update = share_link::ActiveModel {
                id: Set(link.id),
                revoked_at: Set(Some(Utc::now())),
                ..Default::default()
            };
            share_link::Entity::update(update).exec(db).await?;
            revoked += 1;
        }
    }
    Ok(revoked)
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
