//! A whole folder's live children in one row: the database packs them as JSON, so a folder of
//! ten thousand items costs one row to fetch and one parse, not ten thousand rows through the
//! driver (WebDAV listings, which need every child and no order).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection};
use uuid::Uuid;

use crate::{db::portable_statement, entities::node, error::ServiceError};

/// One child as the query packs it.
type Packed = (
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<i32>,
);

/// Every live child of `folder`, in no particular order.
pub async fn all_children(
    db: &DatabaseConnection,
    folder: Uuid,
) -> Result<Vec<node::Model>, ServiceError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT COALESCE(json_agg(json_build_array(id, owner_id, name, kind, size, mime, \
               created_at, modified_at, sha256, version))::text, '[]') AS rows \
             FROM nodes WHERE parent_id = $1 AND trashed_at IS NULL"
        }
        _ => {
            "SELECT json_group_array(json_array(lower(hex(id)), lower(hex(owner_id)), name, kind, \
               size, mime, created_at, modified_at, sha256, version)) AS rows \
             FROM nodes WHERE parent_id = $1 AND trashed_at IS NULL"
        }
    };
    let row = db
        .query_one(portable_statement(backend, sql, [folder.into()]))
        .await?;
    let Some(row) = row else {
        return Ok(Vec::new());
    };
    let packed: String = row.try_get("", "rows")?;
    let rows: Vec<Packed> = serde_json::from_str(&packed).map_err(|_| app::AppError::Internal)?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, owner, name, kind, size, mime, created, modified, sha256, version) in rows {
        out.push(node::Model {
            id: uuid(&id)?,
            owner_id: uuid(&owner)?,
            parent_id: Some(folder),
            name,
            kind,
            size,
            mime,
            created_at: time(&created)?,
            modified_at: time(&modified)?,
            trashed_at: None,
            trash_root_id: None,
            sha256,
            version,
        });
    }
    Ok(out)
}

fn uuid(s: &str) -> Result<Uuid, ServiceError> {
    Uuid::parse_str(s).map_err(|_| app::AppError::Internal.into())
}

fn time(s: &str) -> Result<DateTime<Utc>, ServiceError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| app::AppError::Internal.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_both_databases_parse() {
        assert!(time("2026-12-07T04:33:30.889384352+00:00").is_ok());
        assert!(time("2026-12-07T04:33:30.889384+00:00").is_ok());
        assert!(uuid("0123456789abcdef0123456789abcdef").is_ok());
    }
}
