//! The activity log across all users, for administrators: filtered by who, what and when,
//! newest first, a page at a time (keyset on the indexed `created_at`). Administrators' own
//! changes to accounts and settings are recorded here too.

use app::{
    dto::{ActivityDto, ActivityFilter, ActivityPage},
    AppError,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::{json, Value};
use std::collections::HashMap;
use uuid::Uuid;

use crate::{
    entities::{activity, node, user},
    error::ServiceError,
};

const PAGE: u64 = 50;

/// Records an administrator's change to an account (`account`'s email) or a setting.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: Uuid,
    action: &str,
    about: &str,
) -> Result<(), ServiceError> {
    activity::Entity::insert(activity::ActiveModel {
        id: Set(Uuid::new_v4()),
        actor_id: Set(Some(actor)),
        link_id: Set(None),
        node_id: Set(None),
        action: Set(action.to_owned()),
        detail: Set(Some(json!({ "about": about }).to_string())),
        created_at: Set(Utc::now()),
    })
    .exec(db)
    .await?;
    Ok(())
}

pub async fn page(
    db: &impl ConnectionTrait,
    filter: ActivityFilter,
    cursor: Option<String>,
) -> Result<ActivityPage, ServiceError> {
    let mut select = activity::Entity::find()
        .order_by_desc(activity::Column::CreatedAt)
        .order_by_desc(activity::Column::Id);
    if let Some(user) = filter.user {
        select = select.filter(activity::Column::ActorId.eq(user));
    }
    if let Some(action) = filter.action.filter(|a| !a.is_empty()) {
        if action.len() > 40 {
            return Err(AppError::validation("action", "This is not an action.").into());
        }
        select = select.filter(activity::Column::Action.eq(action));
    }
    if let Some(since) = filter.since {
        select = select.filter(activity::Column::CreatedAt.gte(time(since, "since")?));
    }
    if let Some(until) = filter.until {
        select = select.filter(activity::Column::CreatedAt.lt(time(until, "until")?));
    }
    if let Some(cursor) = cursor {
        let (at, id) = decode(&cursor)
            .ok_or_else(|| AppError::validation("cursor", "This page link is not valid."))?;
        select = select.filter(
            Condition::any()
                .add(activity::Column::CreatedAt.lt(at))
                .add(
                    Condition::all()
                        .add(activity::Column::CreatedAt.eq(at))
                        .add(activity::Column::Id.lt(id)),
                ),
        );
    }
    let mut rows = select.limit(PAGE + 1).all(db).await?;
    let next = (rows.len() as u64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(encode).unwrap_or_default()
    });
    let emails = emails_of(db, rows.iter().filter_map(|r| r.actor_id).collect()).await?;
    let names = names_of(db, rows.iter().filter_map(|r| r.node_id).collect()).await?;
    let entries = rows
        .into_iter()
        .map(|r| {
            let detail: Value = r
                .detail
                .as_deref()
                .and_then(|d| serde_json::from_str(d).ok())
                .unwrap_or(Value::Null);
            let recorded = ["name", "to", "about"]
                .iter()
                .find_map(|k| detail.get(k).and_then(Value::as_str).map(str::to_owned));
            ActivityDto {
                id: r.id,
                at: r.created_at.timestamp(),
                actor_id: r.actor_id,
                actor_email: r.actor_id.and_then(|a| emails.get(&a).cloned()),
                action: r.action,
                node_id: r.node_id,
                name: recorded.or_else(|| r.node_id.and_then(|n| names.get(&n).cloned())),
            }
        })
        .collect();
    Ok(ActivityPage { entries, next })
}

fn time(secs: i64, field: &str) -> Result<DateTime<Utc>, AppError> {
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| AppError::validation(field, "This is not a valid time."))
}

fn encode(row: &activity::Model) -> String {
    let nanos = row.created_at.timestamp_nanos_opt().unwrap_or_default();
    format!("{nanos}_{}", row.id)
}

fn decode(cursor: &str) -> Option<(DateTime<Utc>, Uuid)> {
    let (nanos, id) = cursor.split_once('_')?;
    Some((
        DateTime::from_timestamp_nanos(nanos.parse().ok()?),
        id.parse().ok()?,
    ))
}

async fn emails_of(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>, ServiceError> {
    let rows: Vec<(Uuid, String)> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .column(user::Column::Email)
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

async fn names_of(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<HashMap<Uuid, String>, ServiceError> {
    let rows: Vec<(Uuid, String)> = node::Entity::find()
        .select_only()
        .column(node::Column::Id)
        .column(node::Column::Name)
        .filter(node::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}
