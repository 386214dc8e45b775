//! Grants: sharing an item with a person (by email) as viewer, editor or manager, changing or
//! removing that, and what is shared with someone. The caller has asked the policy first.

use app::{dto::Role, AppError};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::json;
use std::collections::HashMap;

use uuid::Uuid;

use crate::{
    entities::{node, share, share_link, user},
    error::ServiceError,
    files::{
        access,
        activity::{self, Change},
    },
    identity::{users, validate::normalize_email},
    policy::{Actor, Need},
};

/// A grant with the person who holds it.
pub struct Grant {
    pub share: share::Model,
    pub grantee: user::Model,
}

/// Addresses with no account someone may try in an hour while sharing.
const MISSES_PER_HOUR: u32 = 20;
static LOOKUP_MISSES: std::sync::LazyLock<crate::identity::rate_limit::RateLimiter> =
    std::sync::LazyLock::new(Default::default);

/// Shares `node` with the person who has `email`, as `role`; a second grant to the same
/// person changes their role. Returns the grant and whether it is new.
pub async fn share(
    db: &DatabaseConnection,
    actor: Uuid,
    node: &node::Model,
    email: &str,
    role: Role,
) -> Result<(Grant, bool), ServiceError> {
    if node.trashed_at.is_some() {
        return Err(
            AppError::conflict("id", "This item is in the trash; restore it to share it.").into(),
        );
    }
    if node.parent_id.is_none() {
        return Err(AppError::validation(
            "id",
            "A whole drive cannot be shared; share its folders.",
        )
        .into());
    }
    let email = normalize_email(email).map_err(|_| {
        AppError::validation(
            "email",
            "Enter the email address of the person to share with.",
        )
    })?;
    // Whether an address has an account shows here, so misses are limited per sharer.
    let misses = format!("share-miss:{actor}");
    LOOKUP_MISSES
        .check(&misses, MISSES_PER_HOUR)
        .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
    let grantee = users::by_email(db, &email)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(|| {
            LOOKUP_MISSES.hit(&misses, std::time::Duration::from_secs(3600));
            AppError::validation("email", "No one with this email has an account here.")
        })?;
    if grantee.id == node.owner_id {
        return Err(AppError::validation("email", "This person owns the item already.").into());
    }
    let txn = db.begin().await?;
    let existing = share::Entity::find()
        .filter(share::Column::NodeId.eq(node.id))
        .filter(share::Column::GranteeId.eq(grantee.id))
        .one(&txn)
        .await?;
    let (row, created) = match existing {
        Some(row) => {
            let update = share::ActiveModel {
                id: Set(row.id),
                role: Set(role.as_str().to_owned()),
                ..Default::default()
            };
            (share::Entity::update(update).exec(&txn).await?, false)
        }
        None => {
            let row = share::ActiveModel {
                id: Set(Uuid::new_v4()),
                node_id: Set(node.id),
                grantee_id: Set(grantee.id),
                role: Set(role.as_str().to_owned()),
                created_by: Set(actor),
                created_at: Set(Utc::now()),
            };
            (
                share::Entity::insert(row).exec_with_returning(&txn).await?,
                true,
            )
        }
    };
    let detail = json!({"grantee": grantee.id, "role": role.as_str(), "name": node.name});
    activity::record(&txn, actor, node.id, Change::Share, detail).await?;
    txn.commit().await?;
    Ok((
        Grant {
            share: row,
            grantee,
        },
        created,
    ))
}

/// The grants on `node` itself, oldest first.
pub async fn on_node(db: &DatabaseConnection, node: Uuid) -> Result<Vec<Grant>, ServiceError> {
    let rows = share::Entity::find()
        .filter(share::Column::NodeId.eq(node))
        .order_by_asc(share::Column::CreatedAt)
        .all(db)
        .await?;
    let people = users_by_id(db, rows.iter().map(|s| s.grantee_id)).await?;
    Ok(rows
        .into_iter()
        .filter_map(|share| {
            let grantee = people.get(&share.grantee_id)?.clone();
            Some(Grant { share, grantee })
        })
        .collect())
}

/// The users of `ids`, in one query.
pub(crate) async fn users_by_id(
    db: &DatabaseConnection,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, user::Model>, ServiceError> {
    let ids: Vec<Uuid> = ids.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|u| (u.id, u)).collect())
}

/// A grant the actor may change or remove: they may share its item, or (`leaving`) it is
/// their own grant; anything else is NotFound (or Forbidden where they see the item).
pub async fn for_sharer(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    leaving: bool,
) -> Result<share::Model, ServiceError> {
    let grant = share::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !(leaving && grant.grantee_id == actor.user_id) {
        access::live_node(db, actor, grant.node_id, Need::Share).await?;
    }
    Ok(grant)
}

/// Gives the grant's holder another role.
pub async fn change_role(
    db: &DatabaseConnection,
    actor: Uuid,
    grant: &share::Model,
    role: Role,
) -> Result<share::Model, ServiceError> {
    let txn = db.begin().await?;
    let update = share::ActiveModel {
        id: Set(grant.id),
        role: Set(role.as_str().to_owned()),
        ..Default::default()
    };
    let row = share::Entity::update(update).exec(&txn).await?;
    let detail = json!({"grantee": grant.grantee_id, "role": role.as_str()});
    activity::record(&txn, actor, grant.node_id, Change::Share, detail).await?;
    txn.commit().await?;
    super::links::revoke_beyond_right(db, grant.grantee_id, grant.node_id).await?;
    Ok(row)
}

/// Takes the grant away; it stops working with the next request.
pub async fn remove(
    db: &DatabaseConnection,
    actor: Uuid,
    grant: &share::Model,
) -> Result<(), ServiceError> {
    let txn = db.begin().await?;
    share::Entity::delete_by_id(grant.id).exec(&txn).await?;
    let detail = json!({"grantee": grant.grantee_id, "role": null});
    activity::record(&txn, actor, grant.node_id, Change::Share, detail).await?;
    txn.commit().await?;
    // The links they made there go with their right to make them.
    super::links::revoke_beyond_right(db, grant.grantee_id, grant.node_id).await?;
    Ok(())
}

/// What is shared with `user`: each granted item that is not in the trash, with its role and
/// its owner, newest grant first.
pub async fn shared_with(
    db: &DatabaseConnection,
    user: Uuid,
) -> Result<Vec<(share::Model, node::Model, Option<user::Model>)>, ServiceError> {
    let grants = share::Entity::find()
        .filter(share::Column::GranteeId.eq(user))
        .order_by_desc(share::Column::CreatedAt)
        .all(db)
        .await?;
    let nodes: HashMap<Uuid, node::Model> = node::Entity::find()
        .filter(node::Column::Id.is_in(grants.iter().map(|g| g.node_id).collect::<Vec<_>>()))
        .filter(node::Column::TrashedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let owners = users_by_id(db, nodes.values().map(|n| n.owner_id)).await?;
    Ok(grants
        .into_iter()
        .filter_map(|grant| {
            let node = nodes.get(&grant.node_id)?.clone();
            let owner = owners.get(&node.owner_id).cloned();
            Some((grant, node, owner))
        })
        .collect())
}

/// Which of `ids` are shared with someone or by a link that still works (for a "Shared" badge).
pub async fn shared_among(
    db: &DatabaseConnection,
    ids: &[Uuid],
) -> Result<std::collections::HashSet<Uuid>, ServiceError> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let mut shared: std::collections::HashSet<Uuid> = share::Entity::find()
        .filter(share::Column::NodeId.is_in(ids.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.node_id)
        .collect();
    let links = share_link::Entity::find()
        .filter(share_link::Column::NodeId.is_in(ids.to_vec()))
        .filter(share_link::Column::RevokedAt.is_null())
        .all(db)
        .await?;
    shared.extend(links.into_iter().map(|l| l.node_id));
    Ok(shared)
}
