//! Watching: a pass whenever something changes on the server (the change feed's long poll
//! answers) or here (the operating system tells, through `notify`), until stopped.

use std::time::Duration;

use notify::{RecursiveMode, Watcher};
use tokio::sync::mpsc;

use crate::{api::Api, local::STATE_DIR, run_once, Options};

/// Changes here are taken together once they have been quiet this long.
const SETTLE: Duration = Duration::from_millis(300);
/// How long one long poll of the change feed waits.
const POLL_SECS: u64 = 25;

pub async fn watch(options: &Options) -> anyhow::Result<()> {
    let api = Api::new(&options.server, &options.token)?;
    let (tx, mut here) = mpsc::unbounded_channel::<()>();
    let own = options.local_dir.join(STATE_DIR);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // The client's own bookkeeping is not a change to sync.
        if let Ok(event) = event {
            let reading = matches!(event.kind, notify::EventKind::Access(_));
            if !reading && event.paths.iter().any(|p| !p.starts_with(&own)) {
                let _ = tx.send(());
            }
        }
    })?;
    watcher.watch(&options.local_dir, RecursiveMode::Recursive)?;
    loop {
        let cursor = api.latest_cursor().await;
        if let Err(e) = run_once(options).await {
            eprintln!("sync: {e:#}; trying again shortly");
            tokio::time::sleep(Duration::from_secs(5)).await;
            continue;
        }
        // Whatever changed here meanwhile (this pass's own writes among it) is looked at by
        // another pass: one that finds nothing to do costs a scan, a missed save costs more.
        let mut changed_here = false;
        while here.try_recv().is_ok() {
            changed_here = true;
        }
        if changed_here {
            continue;
        }
        let Ok(mut cursor) = cursor else { continue };
        loop {
            tokio::select! {
                answer = api.changes(&cursor, POLL_SECS) => match answer {
                    Ok(changes) if changes.changes.is_empty() => cursor = changes.next_cursor,
                    Ok(_) => break,
                    Err(e) if e.status() == Some(410) => break,
                    Err(_) => {
                        tokio::time::sleep(Duration::from_secs(2)).await;
                    }
                },
                Some(()) = here.recv() => {
                    // Let a burst of writes (a save, a copy of many files) finish first.
                    while let Ok(Some(())) = tokio::time::timeout(SETTLE, here.recv()).await {}
                    break;
                }
            }
        }
    }
}
