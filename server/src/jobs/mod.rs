//! Background work from a queue in the database ([`queue`]), done by [`worker::Worker`]s inside
//! `gosync serve` or in `gosync worker` processes on other machines.

pub mod failures;
pub mod queue;
pub mod worker;

use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        LazyLock,
    },
    time::{Duration, Instant},
};

use tokio::sync::Notify;

/// How long after the last small upload this process's workers wait before their next job.
const QUIET: Duration = Duration::from_millis(250);
/// The longest a worker waits so: under a steady stream of uploads, jobs still go on.
const MAX_DEFER: Duration = Duration::from_secs(5);
static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);
/// When a small file last arrived here (milliseconds since `EPOCH`, plus one; 0: never).
static LAST_UPLOAD: AtomicU64 = AtomicU64::new(0);

/// A small file arrived: the workers of this process leave the machine to the uploads for a
/// moment (thumbnails and text can come a little later; a person waits for the upload).
pub fn upload_arrived() {
    let now = EPOCH.elapsed().as_millis() as u64 + 1;
    LAST_UPLOAD.store(now, Ordering::Relaxed);
}

/// Waits while small files keep arriving, for at most [`MAX_DEFER`].
pub async fn yield_to_uploads() {
    let started = Instant::now();
    loop {
        let last = LAST_UPLOAD.load(Ordering::Relaxed);
        if last == 0 || started.elapsed() >= MAX_DEFER {
            return;
        }
        let since = EPOCH
            .elapsed()
            .saturating_sub(Duration::from_millis(last - 1));
        if since >= QUIET {
            return;
        }
        tokio::time::sleep(QUIET - since).await;
    }
}

/// Wakes an idle worker of this process when a job is queued here; workers elsewhere notice
/// new jobs by polling.
pub(crate) static WAKE: Notify = Notify::const_new();

/// Tells this process's workers that a job was queued (call after the commit).
pub fn wake() {
    WAKE.notify_one();
}
