//! Small contents kept in the database (`blob_bytes`) instead of as objects of their own: no
//! inode, no fsync and no S3 request per file, and they are recorded in the same
//! transaction as their blob row, so a group commit makes a whole batch durable with one
//! write-ahead-log flush. A blob's storage key says where its bytes are: keys under
//! [`PREFIX`] are rows here, every other key an object in the blob storage.

use std::ops::Range;

use bytes::Bytes;
use sea_orm::{ConnectionTrait, DbErr, Value};

use super::StorageError;
use crate::db::portable_statement;

/// Contents up to this size are kept in the database.
pub const SMALL_MAX: usize = 64 * 1024;
/// The storage keys of contents kept in the database.
pub const PREFIX: &str = "db/";

/// Whether `key` names a content kept in the database.
pub fn is_in_db(key: &str) -> bool {
    key.starts_with(PREFIX)
}

/// A key no content has had, for one kept in the database.
pub fn new_key() -> String {
    format!("{PREFIX}{}", uuid::Uuid::new_v4())
}

/// Records contents under their keys (within the caller's transaction).
pub async fn insert(db: &impl ConnectionTrait, rows: &[(&str, &[u8])]) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut sql = String::from("INSERT INTO blob_bytes (storage_key, data) VALUES ");
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 2);
    for (i, (key, data)) in rows.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("(${}, ${})", 2 * i + 1, 2 * i + 2));
        values.push((*key).into());
        values.push(data.to_vec().into());
    }
    let backend = db.get_database_backend();
    db.execute(portable_statement(backend, &sql, values))
        .await?;
    Ok(())
}

/// The content under `key`, if there is one.
pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<Vec<u8>>, DbErr> {
    let sql = "SELECT data FROM blob_bytes WHERE storage_key = $1";
    let backend = db.get_database_backend();
    match db
        .query_one(portable_statement(backend, sql, [key.into()]))
        .await?
    {
        Some(row) => Ok(Some(row.try_get::<Vec<u8>>("", "data")?)),
        None => Ok(None),
    }
}

/// Forgets the content under `key` (missing is not an error: a purge may be retried).
pub async fn delete(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    let sql = "DELETE FROM blob_bytes WHERE storage_key = $1";
    let backend = db.get_database_backend();
    db.execute(portable_statement(backend, sql, [key.into()]))
        .await?;
    Ok(())
}

/// Bytes `range` (all of them when `None`) of the content under `key`.
pub async fn read(
    db: &impl ConnectionTrait,
    key: &str,
    range: Option<Range<u64>>,
) -> Result<Bytes, StorageError> {
    let bytes = Bytes::from(get(db, key).await?.ok_or(StorageError::NotFound)?);
    Ok(match range {
        Some(range) => {
            let end = (range.end as usize).min(bytes.len());
            bytes.slice((range.start as usize).min(end)..end)
        }
        None => bytes,
    })
}
