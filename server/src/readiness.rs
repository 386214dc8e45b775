//! Whether this node should get traffic: not while it drains (SIGTERM: `/readyz` turns 503,
//! live streams end with a reconnect hint, requests in flight finish), and not while the
//! database does not answer: then requests are refused at once with 503 and `Retry-After`
//! (instead of each waiting for a pool connection that will not come), and a probe lets them
//! through again as soon as the database answers.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::Duration,
};

use sea_orm::DatabaseConnection;
use tokio::sync::watch;

/// How often a down database is tried again, and how long one try may take.
const PROBE_EVERY: Duration = Duration::from_millis(250);
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);

pub struct Readiness {
    db: DatabaseConnection,
    draining: watch::Sender<bool>,
    database_down: AtomicBool,
    probing: AtomicBool,
}

impl Readiness {
    pub fn new(db: DatabaseConnection) -> Arc<Self> {
        Arc::new(Self {
            db,
            draining: watch::channel(false).0,
            database_down: AtomicBool::new(false),
            probing: AtomicBool::new(false),
        })
    }

    /// From now on this node asks not to get new traffic (it is stopping).
    pub fn drain(&self) {
        self.draining.send_replace(true);
    }

    pub fn draining(&self) -> bool {
        *self.draining.borrow()
    }

    /// Resolves when the node starts draining (for streams that must end then).
    pub fn drained(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.draining.subscribe();
        async move {
            let _ = rx.wait_for(|draining| *draining).await;
        }
    }

    /// Whether requests are refused at once because the database does not answer.
    pub fn database_down(&self) -> bool {
        self.database_down.load(Ordering::Acquire)
    }

    /// After a request failed on the server's side: is the database the cause? If it does not
    /// answer within a second, requests are refused from now on until a probe gets through.
    pub async fn check_database(self: &Arc<Self>) -> bool {
        if self.database_down() {
            return false;
        }
        if ping(&self.db).await {
            return true;
        }
        if !self.database_down.swap(true, Ordering::AcqRel) {
            tracing::warn!("the database does not answer: refusing requests until it does");
        }
        if !self.probing.swap(true, Ordering::AcqRel) {
            let me = self.clone();
            tokio::spawn(async move {
                while !ping(&me.db).await {
                    tokio::time::sleep(PROBE_EVERY).await;
                }
                me.database_down.store(false, Ordering::Release);
                me.probing.store(false, Ordering::Release);
                tracing::info!("the database answers again");
            });
        }
        false
    }
}

async fn ping(db: &DatabaseConnection) -> bool {
    matches!(
        tokio::time::timeout(PROBE_TIMEOUT, db.ping()).await,
        Ok(Ok(()))
    )
}
