//! What the last sync agreed on (the base of every three-way decision), in a SQLite database
//! in `LOCAL_DIR/.gosync/` that is never synced: for each path the item's id on the server,
//! its content hash and version, and the local file's size, modification time and inode.
//! Also the uploads in progress, so that a run cut short continues them.

use std::{collections::BTreeMap, path::Path, str::FromStr};

use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous},
    Row, SqlitePool,
};
use uuid::Uuid;

/// One path as both sides last agreed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    pub node_id: Uuid,
    pub folder: bool,
    /// SHA-256 (hex) of a file's content.
    pub hash: String,
    pub size: i64,
    pub mtime_ns: i64,
    pub inode: u64,
}

pub struct State {
    pool: SqlitePool,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS base (
  path TEXT PRIMARY KEY, node_id TEXT NOT NULL, folder INTEGER NOT NULL, hash TEXT NOT NULL,
  size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, inode INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS uploads (path TEXT PRIMARY KEY, hash TEXT NOT NULL, location TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

impl State {
    /// Opens (or makes) the state in `dir`. A damaged database is set aside and a new one
    /// made: with no base, the next run merges by content and deletes nothing.
    pub async fn open(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let file = dir.join("state.db");
        match Self::connect(&file).await {
            Ok(state) => Ok(state),
            Err(_) if file.exists() => {
                let aside = dir.join(format!(
                    "state.db.damaged-{}",
                    chrono::Utc::now().timestamp()
                ));
                std::fs::rename(&file, aside)?;
                Self::connect(&file).await
            }
            Err(e) => Err(e),
        }
    }

    async fn connect(file: &Path) -> anyhow::Result<Self> {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", file.display()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal);
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::raw_sql(SCHEMA).execute(&pool).await?;
        // A quick look at every page: a damaged file fails here, not halfway through a run.
        let check: String = sqlx::query_scalar("PRAGMA quick_check")
            .fetch_one(&pool)
            .await?;
        anyhow::ensure!(check == "ok", "the state database is damaged: {check}");
        Ok(Self { pool })
    }

    pub async fn base(&self) -> anyhow::Result<BTreeMap<String, Base>> {
        let rows =
            sqlx::query("SELECT path, node_id, folder, hash, size, mtime_ns, inode FROM base")
                .fetch_all(&self.pool)
                .await?;
        let mut base = BTreeMap::new();
        for row in rows {
            let id: String = row.get(1);
            base.insert(
                row.get(0),
                Base {
                    node_id: id.parse()?,
                    folder: row.get::<i64, _>(2) != 0,
                    hash: row.get(3),
                    size: row.get(4),
                    mtime_ns: row.get(5),
                    inode: row.get::<i64, _>(6) as u64,
                },
            );
        }
        Ok(base)
    }

    /// Records what both sides now agree on for `path` (`None`: it is on neither side).
    pub async fn set(&self, path: &str, entry: Option<&Base>) -> anyhow::Result<()> {
        match entry {
            None => {
                sqlx::query(&format!("DELETE FROM base WHERE {}", UNDER))
                    .bind(path)
                    .execute(&self.pool)
                    .await?;
            }
            Some(b) => {
                sqlx::query(
                    "INSERT OR REPLACE INTO base (path, node_id, folder, hash, size, mtime_ns, inode) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .bind(path)
                .bind(b.node_id.to_string())
                .bind(b.folder as i64)
                .bind(&b.hash)
                .bind(b.size)
                .bind(b.mtime_ns)
                .bind(b.inode as i64)
                .execute(&self.pool)
                .await?;
            }
        }
        Ok(())
    }

    /// Moves the base of `from` (and of everything below it) to `to`.
    pub async fn rename(&self, from: &str, to: &str) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!("DELETE FROM base WHERE {}", UNDER))
            .bind(to)
            .execute(&mut *tx)
            .await?;
        sqlx::query(&format!(
            "UPDATE base SET path = ?2 || substr(path, length(?1) + 1) WHERE {}",
            UNDER
        ))
        .bind(from)
        .bind(to)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The change feed's cursor at which the server's side of folder `root` was last the
    /// base; `None` while a run is changing things (or before the first one ended in step).
    pub async fn cursor(&self, root: uuid::Uuid) -> anyhow::Result<Option<String>> {
        let value: Option<String> =
            sqlx::query_scalar("SELECT value FROM meta WHERE key = 'cursor'")
                .fetch_optional(&self.pool)
                .await?;
        let prefix = format!("{root} ");
        Ok(value.and_then(|v| v.strip_prefix(&prefix).map(str::to_owned)))
    }

    pub async fn set_cursor(&self, root: uuid::Uuid, cursor: Option<&str>) -> anyhow::Result<()> {
        match cursor {
            Some(c) => {
                sqlx::query("INSERT OR REPLACE INTO meta (key, value) VALUES ('cursor', ?1)")
                    .bind(format!("{root} {c}"))
                    .execute(&self.pool)
                    .await?
            }
            None => {
                sqlx::query("DELETE FROM meta WHERE key = 'cursor'")
                    .execute(&self.pool)
                    .await?
            }
        };
        Ok(())
    }

    pub async fn upload_begun(&self, path: &str, hash: &str) -> anyhow::Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT location FROM uploads WHERE path = ?1 AND hash = ?2")
                .bind(path)
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn begin_upload(&self, path: &str, hash: &str, location: &str) -> anyhow::Result<()> {
        sqlx::query("INSERT OR REPLACE INTO uploads (path, hash, location) VALUES (?1, ?2, ?3)")
            .bind(path)
            .bind(hash)
            .bind(location)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn end_upload(&self, path: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM uploads WHERE path = ?1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// `path` is ?1 or below it (compared exactly: no wildcards in names to worry about).
const UNDER: &str = "(path = ?1 OR substr(path, 1, length(?1) + 1) = ?1 || '/')";
