//! Failures that are not the request's fault nor a bug: the database or the storage does not
//! answer for a while (503 with `Retry-After`: send the same request again), or the disk is
//! full (507: nothing was kept). Everything else internal stays a 500.

use std::error::Error as StdError;

use app::AppError;
use sea_orm::sqlx;

use crate::{error::ServiceError, storage::StorageError};

/// How long clients are told to wait before trying again, in seconds.
pub const RETRY_AFTER_SECS: u64 = 2;

pub fn unavailable() -> AppError {
    AppError::Unavailable {
        retry_after_secs: RETRY_AFTER_SECS,
    }
}

/// The user-facing outage behind an internal error, if it is one.
pub fn classify(error: &ServiceError) -> Option<AppError> {
    if disk_full(error) {
        return Some(AppError::InsufficientStorage);
    }
    let outage = match error {
        ServiceError::Db(e) => database_unreachable(e),
        ServiceError::Storage(e) => storage_unreachable(e),
        ServiceError::Session(_) => true,
        _ => false,
    };
    outage.then(unavailable)
}

/// Whether `error` (or one of its causes) says the disk or a quota of the file system is full:
/// ENOSPC / EDQUOT from a write, SQLite's SQLITE_FULL, PostgreSQL's disk_full.
pub fn disk_full(error: &(dyn StdError + 'static)) -> bool {
    let mut cause: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(e) = cause {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::StorageFull
                || io.kind() == std::io::ErrorKind::QuotaExceeded
                || matches!(io.raw_os_error(), Some(28) | Some(122))
            {
                return true;
            }
        }
        if let Some(sqlx::Error::Database(db)) = e.downcast_ref::<sqlx::Error>() {
            if matches!(db.code().as_deref(), Some("13") | Some("53100")) {
                return true;
            }
        }
        cause = e.source();
    }
    false
}

/// Whether the database could not be reached (no connection to be had, or the connection
/// broke, or the server is shutting down), as opposed to a query that failed.
pub fn database_unreachable(error: &sea_orm::DbErr) -> bool {
    use sea_orm::{DbErr, RuntimeErr};
    match error {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => sqlx_unreachable(e),
        DbErr::Conn(_) => true,
        _ => false,
    }
}

fn sqlx_unreachable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Tls(_) => true,
        // Class 08: connection exception; 57P01-03: the server is shutting down or starting.
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}

/// Whether object storage did not answer (a connection refused or reset, a timeout, a 5xx
/// after the client's retries), as opposed to a missing object or refused credentials.
pub fn storage_unreachable(error: &StorageError) -> bool {
    match error {
        StorageError::Backend(object_store::Error::Generic { store: "S3", .. }) => true,
        StorageError::Database(e) => database_unreachable(e),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_found_among_the_causes() {
        let io = std::io::Error::from_raw_os_error(28);
        let staging = ServiceError::Staging(io);
        assert_eq!(classify(&staging), Some(AppError::InsufficientStorage));
        let wrapped = StorageError::Backend(object_store::Error::Generic {
            store: "staging",
            source: Box::new(std::io::Error::from_raw_os_error(28)),
        });
        assert_eq!(
            classify(&ServiceError::Storage(wrapped)),
            Some(AppError::InsufficientStorage)
        );
        let other = ServiceError::Staging(std::io::Error::from_raw_os_error(13));
        assert_eq!(classify(&other), None);
    }

    #[test]
    fn an_unreachable_database_is_an_outage_and_a_bad_query_is_not() {
        let refused = sea_orm::DbErr::Conn(sea_orm::RuntimeErr::SqlxError(sqlx::Error::Io(
            std::io::Error::from(std::io::ErrorKind::ConnectionRefused),
        )));
        assert_eq!(classify(&ServiceError::Db(refused)), Some(unavailable()));
        let timed_out = sea_orm::DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout);
        assert_eq!(classify(&ServiceError::Db(timed_out)), Some(unavailable()));
        let bad = sea_orm::DbErr::Query(sea_orm::RuntimeErr::Internal("syntax".into()));
        assert_eq!(classify(&ServiceError::Db(bad)), None);
        assert_eq!(
            classify(&ServiceError::Storage(StorageError::NotFound)),
            None
        );
    }
}
