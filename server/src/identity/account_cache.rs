//! Accounts kept in memory on PostgreSQL, so that a request with a token does not read its
//! account each time. Every change to an account row is announced by the database
//! (`NOTIFY gosync_accounts`, a trigger), and every node forgets that account when it hears
//! so: disabling an account, a password reset or a demotion still takes effect on every node
//! at once. The node that makes the change forgets at once, without waiting for the notice.
//! Nothing is kept while the notices may be missed (the listening connection is down), and
//! nothing for longer than [`KEEP`]. SQLite, one process, reads its accounts every time.

use std::{
    collections::HashMap,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex, Weak,
    },
    time::{Duration, Instant},
};

use sea_orm::{sqlx::postgres::PgListener, ConnectionTrait, DatabaseConnection, DbBackend};
use uuid::Uuid;

use crate::entities::user;

/// The channel the database announces account changes on (see the migration).
const CHANNEL: &str = "gosync_accounts";
/// The longest an account is kept, in case a notice is lost without the connection
/// noticing.
const KEEP: Duration = Duration::from_secs(30);
/// The most accounts kept; more are read each time.
const MAX_KEPT: usize = 10_000;

#[derive(Clone)]
pub struct AccountCache(Arc<Inner>);

#[derive(Default)]
struct Inner {
    kept: Mutex<HashMap<Uuid, (user::Model, Instant)>>,
    /// Counts every forgetting: an account read before one is not kept.
    epoch: AtomicU64,
    /// Whether the notices can be heard (the listener is connected).
    live: AtomicBool,
}

impl Inner {
    fn forget(&self, id: Option<Uuid>) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        self.epoch.fetch_add(1, Ordering::SeqCst);
        match id {
            Some(id) => {
                kept.remove(&id);
            }
            None => kept.clear(),
        }
    }
}

impl AccountCache {
    /// A cache that listens to `db`'s notices (PostgreSQL); on SQLite it keeps nothing.
    pub fn start(db: &DatabaseConnection) -> Self {
        let inner = Arc::new(Inner::default());
        if db.get_database_backend() == DbBackend::Postgres {
            let pool = db.get_postgres_connection_pool().clone();
            tokio::spawn(listen(pool, Arc::downgrade(&inner)));
        }
        Self(inner)
    }

    /// Where forgetting stands, to hand back to [`AccountCache::keep`].
    pub fn epoch(&self) -> u64 {
        self.0.epoch.load(Ordering::SeqCst)
    }

    /// The account `id`, if it is kept.
    pub fn get(&self, id: Uuid) -> Option<user::Model> {
        if !self.0.live.load(Ordering::SeqCst) {
            return None;
        }
        let kept = self.0.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(&id)
            .filter(|(_, at)| at.elapsed() < KEEP)
            .map(|(account, _)| account.clone())
    }

    /// Forgets account `id` (this node just changed it).
    pub fn forget(&self, id: Uuid) {
        self.0.forget(Some(id));
    }

    /// Keeps an account read from the database after [`AccountCache::epoch`] said `epoch`,
    /// unless something was forgotten since (it may be older than that).
    pub fn keep(&self, account: &user::Model, epoch: u64) {
        let mut kept = self.0.kept.lock().unwrap_or_else(|e| e.into_inner());
        if !self.0.live.load(Ordering::SeqCst) || self.epoch() != epoch {
            return;
        }
        if kept.len() >= MAX_KEPT {
            kept.retain(|_, (_, at)| at.elapsed() < KEEP);
            if kept.len() >= MAX_KEPT {
                return;
            }
        }
        kept.insert(account.id, (account.clone(), Instant::now()));
    }
}

/// Hears the notices until the cache is dropped; reconnects when the connection is lost,
/// keeping nothing meanwhile.
async fn listen(pool: sea_orm::sqlx::PgPool, cache: Weak<Inner>) {
    loop {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(listener) => listener,
            Err(_) if pool.is_closed() => return,
            Err(e) => {
                tracing::debug!(error = %e, "account notices: cannot connect");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if listener.listen(CHANNEL).await.is_err() {
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        match cache.upgrade() {
            Some(cache) => cache.live.store(true, Ordering::SeqCst),
            None => return,
        }
        loop {
            let notice = tokio::select! {
                notice = listener.try_recv() => notice,
                // Now and then: whether the cache is still wanted.
                () = tokio::time::sleep(Duration::from_secs(5)) => {
                    if cache.strong_count() == 0 { return; }
                    continue;
                }
            };
            let Some(cache) = cache.upgrade() else {
                return;
            };
            match notice {
                Ok(Some(notice)) => cache.forget(notice.payload().parse().ok()),
                // The connection was lost: notices may have been missed.
                Ok(None) | Err(_) => {
                    cache.live.store(false, Ordering::SeqCst);
                    cache.forget(None);
                    break;
                }
            }
        }
    }
}
