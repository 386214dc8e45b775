//! Background work (thumbnails, text extraction, the search index) runs at a lower CPU
//! priority than requests: a folder asked for while a thousand thumbnails are being made is
//! answered first, and the thumbnails take the time that is left. Linux keeps a priority per
//! thread, and the threads and processes a thread starts inherit it.

use tokio::sync::oneshot;

/// The background's nice value (requests run at 0; 19 is the lowest priority).
pub const NICE: i32 = 10;

/// Lowers the calling thread's priority (and that of what it starts from now on) to
/// [`NICE`]. It cannot be raised again without privileges, so only threads and processes
/// that do background work and nothing else call this.
pub fn lower_this_thread() {
    // Best effort: where the system refuses, background work runs at the same priority.
    if let Err(e) = rustix::process::setpriority_process(None, NICE) {
        tracing::debug!(error = %e, "background work keeps the normal priority");
    }
}

/// The CPU-bound part of a background job, on a thread of its own at the background's
/// priority (the blocking pool's threads also serve requests, so they keep theirs). `Err`
/// when the work panicked.
pub async fn run<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Panicked> {
    let (done, outcome) = oneshot::channel();
    let runtime = tokio::runtime::Handle::current();
    let started = std::thread::Builder::new()
        .name("gosync-background".into())
        .spawn(move || {
            let _inside = runtime.enter();
            lower_this_thread();
            let _ = done.send(work());
        });
    if started.is_err() {
        return Err(Panicked);
    }
    // A panic drops the sender unsent.
    outcome.await.map_err(|_| Panicked)
}

/// Background work that panicked (a decoder's bug on a hostile file, say).
#[derive(Debug)]
pub struct Panicked;

impl std::fmt::Display for Panicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the background work stopped unexpectedly")
    }
}

impl std::error::Error for Panicked {}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn background_work_runs_behind_requests_and_leaves_them_their_priority() {
        let before = rustix::process::getpriority_process(None).expect("priority");
        let during = run(|| rustix::process::getpriority_process(None).expect("priority"))
            .await
            .expect("ran");
        assert_eq!(
            during,
            NICE.max(before),
            "the work ran at the background's priority"
        );
        let after = rustix::process::getpriority_process(None).expect("priority");
        assert_eq!(after, before, "the caller's thread keeps its own");
        let panicked = run(|| -> u8 { panic!("a decoder's bug") }).await;
        assert!(panicked.is_err(), "a panic is reported, not propagated");
    }
}
