//! A worker: claims a job, runs it under a timeout, records how it ended, again and again.

use std::{sync::Arc, time::Duration};

use sea_orm::DatabaseConnection;

use super::queue::{self, Outcome};
use crate::{entities::job, previews::Previews};

/// How often an idle worker looks for jobs queued by other processes.
const POLL: Duration = Duration::from_secs(2);

pub struct Worker {
    db: DatabaseConnection,
    previews: Arc<Previews>,
    /// `host:pid:n`, recorded on the jobs it holds.
    name: String,
}

/// What `run_one` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    pub job: uuid::Uuid,
    pub kind: String,
    /// The job's state afterwards.
    pub state: String,
}

impl Worker {
    pub fn new(db: DatabaseConnection, previews: Arc<Previews>, number: usize) -> Self {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
        let name = format!("{host}:{}:{number}", std::process::id());
        Self { db, previews, name }
    }

    /// Claims and runs one job now; `None` when nothing is due. (Tests drive the queue with it.)
    pub async fn run_one(&self) -> anyhow::Result<Option<Ran>> {
        let lease = chrono::Duration::seconds(self.previews.settings.lease_secs as i64);
        let Some(claimed) = queue::claim(&self.db, &self.name, lease, chrono::Utc::now()).await?
        else {
            return Ok(None);
        };
        let outcome = self.run(&claimed).await;
        let state = queue::state_after(&claimed, &outcome);
        if let Outcome::Failed(reason) | Outcome::Retry(reason) = &outcome {
            tracing::info!(job = %claimed.id, kind = %claimed.kind, %reason, "job did not succeed");
        }
        queue::complete(&self.db, &claimed, outcome, chrono::Utc::now()).await?;
        Ok(Some(Ran {
            job: claimed.id,
            kind: claimed.kind,
            state: state.to_owned(),
        }))
    }

    async fn run(&self, claimed: &job::Model) -> Outcome {
        let settings = &self.previews.settings;
        let timeout = Duration::from_secs(match claimed.kind.as_str() {
            crate::previews::ocr::OCR => settings.ocr_timeout_secs,
            _ => settings.job_timeout_secs,
        });
        let work = async {
            match claimed.kind.as_str() {
                crate::previews::THUMBNAIL => self.previews.thumbnail_job(&self.db, claimed).await,
                crate::search::text::TEXT => {
                    crate::search::text::run(&self.previews, &self.db, claimed).await
                }
                crate::previews::ocr::OCR => self.previews.ocr_job(&self.db, claimed).await,
                other => Outcome::Failed(format!("no worker knows jobs of kind '{other}'")),
            }
        };
        match tokio::time::timeout(timeout, work).await {
            Ok(outcome) => outcome,
            Err(_) => Outcome::Failed(format!(
                "took longer than {} s and was stopped",
                timeout.as_secs()
            )),
        }
    }

    /// Runs jobs until the process ends: at once when this process queues one, otherwise
    /// every few seconds; a database error pauses the worker a little.
    pub async fn run_forever(self) {
        loop {
            super::yield_to_uploads().await;
            match self.run_one().await {
                Ok(Some(_)) => continue,
                Ok(None) => {
                    let _ = tokio::time::timeout(POLL, super::WAKE.notified()).await;
                }
                Err(e) => {
                    tracing::warn!(error = %e, worker = %self.name, "job queue unreachable");
                    tokio::time::sleep(POLL).await;
                }
            }
        }
    }
}

/// The pool's size: as configured, or one worker per CPU.
pub fn pool_size(configured: usize) -> usize {
    if configured > 0 {
        return configured;
    }
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// Starts `n` workers on this runtime.
pub fn spawn_pool(db: &DatabaseConnection, previews: &Arc<Previews>, n: usize) {
    for number in 0..n {
        let worker = Worker::new(db.clone(), previews.clone(), number);
        tokio::spawn(worker.run_forever());
    }
}

/// `gosync worker`: this machine's workers on the shared database and storage, until stopped.
pub async fn run_standalone(settings: crate::config::Settings) -> anyhow::Result<()> {
    let db = crate::db::connect(&settings).await?;
    let blobs = crate::storage::BlobStore::from_settings(
        &settings.storage,
        &settings.data_dir,
        Some(db.clone()),
    )?;
    let previews = Previews::new(&settings, blobs);
    let n = pool_size(settings.previews.workers);
    tracing::info!(workers = n, "GoSync worker is running preview jobs");
    spawn_pool(&db, &previews, n);
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("GoSync worker stopped");
    Ok(())
}
