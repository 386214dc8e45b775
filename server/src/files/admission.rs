//! What unfinished uploads may hold. Staged bytes are stored bytes too, for as long as an
//! upload stays open (up to its expiry), so a new upload is admitted only when its length, the
//! lengths of the payer's other open uploads and what the payer stores fit in the payer's
//! quota; and no one keeps more than a few open at once (a person, and a public link, which
//! anyone holding it can use).

use app::AppError;
use chrono::Utc;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, FromQueryResult, TransactionTrait,
};

use super::{quota, tree::lock_tree, uploads::NewUpload};
use crate::{
    db::portable_statement, entities::upload, error::ServiceError, files::activity::Author,
};

/// Open uploads a person may have at once (a browser resumes a handful; programs reuse theirs).
pub const MAX_OPEN_PER_PERSON: i64 = 100;
/// Open uploads through one public link at once.
pub const MAX_OPEN_PER_LINK: i64 = 20;

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

#[derive(FromQueryResult)]
struct Open {
    bytes: i64,
}

/// Inserts the upload's `row` if `new` is admitted, in one transaction with the checks, so
/// that uploads created at once cannot pass the limits together. `releasing`: bytes of open
/// uploads that this one takes over (the parts a final upload joins).
pub async fn insert(
    db: &DatabaseConnection,
    new: &NewUpload,
    releasing: i64,
    row: upload::ActiveModel,
) -> Result<upload::Model, ServiceError> {
    let txn = db.begin().await?;
    let backend = txn.get_database_backend();
    if backend != DbBackend::Postgres {
        // SQLite: take the write lock first, so that two admissions run one after the other.
        lock_tree(&txn, new.payer).await?;
    }
    let now = Utc::now();
    let (sql, who, cap, message) = match new.author {
        Author::Link(link) => (
            "SELECT COUNT(*) AS n FROM uploads WHERE link_id = $1 AND expires_at > $2",
            link,
            MAX_OPEN_PER_LINK,
            "Too many uploads through this link are unfinished; finish or cancel some first.",
        ),
        Author::User(user) => (
            "SELECT COUNT(*) AS n FROM uploads WHERE owner_id = $1 AND expires_at > $2 \
             AND link_id IS NULL",
            user,
            MAX_OPEN_PER_PERSON,
            "You have too many unfinished uploads; finish or cancel some first.",
        ),
    };
    let open = Count::find_by_statement(portable_statement(backend, sql, [who.into(), now.into()]))
        .one(&txn)
        .await?
        .map_or(0, |c| c.n);
    if open >= cap {
        return Err(AppError::conflict("upload", message).into());
    }
    if let Some(limit) = quota::locked_quota(&txn, new.payer).await? {
        let sql = "SELECT CAST(COALESCE(SUM(length), 0) AS BIGINT) AS bytes FROM uploads \
                   WHERE payer_id = $1 AND expires_at > $2";
        let staged = Open::find_by_statement(portable_statement(
            backend,
            sql,
            [new.payer.into(), now.into()],
        ))
        .one(&txn)
        .await?
        .map_or(0, |o| o.bytes);
        let used = quota::used(&txn, new.payer).await?;
        let total = used
            .saturating_add(staged.saturating_sub(releasing))
            .saturating_add(new.length);
        if total > limit {
            return Err(AppError::QuotaExceeded.into());
        }
    }
    let model = upload::Entity::insert(row)
        .exec_with_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(model)
}
