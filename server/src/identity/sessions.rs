//! Browser sessions in the database, so that any node serves any request: tower-sessions'
//! store, on the server's one database connection (its own SQL stores would each bring a
//! second SQL library into the build).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, Value};
use tower_sessions::{
    session::{Id, Record},
    session_store::{Error, ExpiredDeletion, Result},
    SessionStore,
};

use crate::db::portable_statement;

#[derive(Clone, Debug)]
pub struct Sessions {
    db: DatabaseConnection,
}

impl Sessions {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    async fn execute(&self, sql: &str, values: Vec<Value>) -> Result<u64> {
        let statement = portable_statement(self.db.get_database_backend(), sql, values);
        let done = self.db.execute(statement).await.map_err(backend)?;
        Ok(done.rows_affected())
    }
}

fn backend(e: sea_orm::DbErr) -> Error {
    Error::Backend(e.to_string())
}

fn expires(record: &Record) -> DateTime<Utc> {
    let at = record.expiry_date;
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or(DateTime::UNIX_EPOCH)
}

fn encode(record: &Record) -> Result<Vec<Value>> {
    let data = serde_json::to_string(record).map_err(|e| Error::Encode(e.to_string()))?;
    Ok(vec![
        record.id.to_string().into(),
        data.into(),
        expires(record).into(),
    ])
}

#[async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A new id that happens to be taken already gets another one.
        loop {
            let sql = "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
                       ON CONFLICT (id) DO NOTHING";
            if self.execute(sql, encode(record)?).await? == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let sql = "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (id) DO UPDATE SET data = excluded.data, \
                   expires_at = excluded.expires_at";
        self.execute(sql, encode(record)?).await.map(drop)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let statement = portable_statement(
            self.db.get_database_backend(),
            "SELECT data FROM sessions WHERE id = $1 AND expires_at > $2",
            [id.to_string().into(), Utc::now().into()],
        );
        let Some(row) = self.db.query_one(statement).await.map_err(backend)? else {
            return Ok(None);
        };
        let data: String = row.try_get("", "data").map_err(backend)?;
        let record = serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        let sql = "DELETE FROM sessions WHERE id = $1";
        self.execute(sql, vec![id.to_string().into()])
            .await
            .map(drop)
    }
}

#[async_trait]
impl ExpiredDeletion for Sessions {
    async fn delete_expired(&self) -> Result<()> {
        let sql = "DELETE FROM sessions WHERE expires_at <= $1";
        self.execute(sql, vec![Utc::now().into()]).await.map(drop)
    }
}
