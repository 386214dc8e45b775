//! Background work from a queue in the database ([`queue`]), done by [`worker::Worker`]s inside
//! `gosync serve` or in `gosync worker` processes on other machines.

pub mod failures;
pub mod queue;
pub mod worker;

use tokio::sync::Notify;

/// Wakes an idle worker of this process when a job is queued here; workers elsewhere notice
/// new jobs by polling.
pub(crate) static WAKE: Notify = Notify::const_new();

/// Tells this process's workers that a job was queued (call after the commit).
pub fn wake() {
    WAKE.notify_one();
}
