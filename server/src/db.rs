//! Connecting to the database (SQLite file by default, PostgreSQL by URL) and migrating it.

use std::time::Duration;

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

use crate::config::Settings;

pub async fn connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let url = settings.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir).with_context(|| {
            format!(
                "cannot create data directory {}",
                settings.data_dir.display()
            )
        })?;
    }
    let mut options = ConnectOptions::new(url.clone());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        // No ping before each use: a round trip per query otherwise. A connection that broke
        // (the database restarted) fails its next query and is dropped from the pool.
        .test_before_acquire(false);
    if url.starts_with("sqlite:") {
        options.max_connections(8).map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                // Pages read through a mapping of the file (no copy per read) and 16 MiB of
                // cache per connection instead of 2: a large database read page by page with
                // pread spent most of its time copying.
                .pragma("mmap_size", "1073741824")
                .pragma("cache_size", "-16384")
                // Natural order of names ("2" before "10"), as PostgreSQL's ICU collation.
                .collation(
                    crate::files::natural::COLLATION,
                    crate::files::natural::natural_cmp,
                )
        });
    } else {
        options.max_connections(20);
    }
    Database::connect(options)
        .await
        .context("cannot connect to the database (check DATABASE_URL)")
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None)
        .await
        .context("database migration failed")
}

/// A raw statement written with PostgreSQL's `$1, $2…` placeholders, turned into SQLite's
/// numbered `?1, ?2…` when that is the backend.
pub fn portable_statement(
    backend: sea_orm::DatabaseBackend,
    sql: &str,
    values: impl IntoIterator<Item = sea_orm::Value>,
) -> sea_orm::Statement {
    let sql = if backend == sea_orm::DatabaseBackend::Sqlite {
        let mut out = String::with_capacity(sql.len());
        let mut chars = sql.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                // `?NNN` keeps the number: a parameter may appear twice, or out of order.
                out.push('?');
                while let Some(d) = chars.next_if(char::is_ascii_digit) {
                    out.push(d);
                }
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_become_numbered_question_marks_on_sqlite() {
        let st = super::portable_statement(
            sea_orm::DatabaseBackend::Sqlite,
            "a = $1 AND b = $12",
            [1.into(), 2.into()],
        );
        assert_eq!(st.sql, "a = ?1 AND b = ?12");
        let st =
            super::portable_statement(sea_orm::DatabaseBackend::Postgres, "a = $1", [1.into()]);
        assert_eq!(st.sql, "a = $1");
    }
}
