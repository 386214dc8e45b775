//! Live updates: what changed, for the pages open in a browser. One feed per server reads the
//! database's change log (woken at once by changes made here, and every half second for
//! changes made on other nodes), looks the changed items up once, and fans them out; each
//! listener hears only of items it may see, or of items in folders it may see (so that a
//! folder's open page learns that something left it), and of its own trash.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
    time::Duration,
};

use futures::Stream;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::Serialize;
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

use super::Service;
use crate::{
    entities::node,
    policy::{Actor, Need},
    search::changes::{self, Progress},
};

/// How often the log is read when nothing here woke the feed (changes on other nodes).
const POLL: Duration = Duration::from_millis(500);

/// One changed item as the feed saw it.
#[derive(Debug, Clone)]
pub(super) struct Changed {
    id: Uuid,
    parent: Option<Uuid>,
    owner: Uuid,
    trashed: bool,
}

/// What a listener hears: the items that changed and the folders they are (or were) in;
/// `trash` when their own trash changed; `resync` when they missed some (reload all).
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct LiveEvent {
    pub nodes: Vec<Uuid>,
    pub folders: Vec<Uuid>,
    pub trash: bool,
    pub resync: bool,
}

/// The feed's channel (one per server).
pub(super) type Feed = broadcast::Sender<Arc<Vec<Changed>>>;

pub(super) fn feed() -> Feed {
    broadcast::channel(256).0
}

/// Reads the change log and fans out what changed, for as long as the server runs. The log
/// is followed even while nobody listens (one small query a tick), so that a listener who
/// just arrived hears of a change made the moment after.
/// `head` follows the log's number up to which every change is read (the change feed's long
/// polls wake on it).
pub(super) fn spawn_feed(db: DatabaseConnection, feed: Feed, head: watch::Sender<i64>) {
    tokio::spawn(async move {
        let mut progress: Option<Progress> = None;
        loop {
            let mut here = match progress.take() {
                Some(here) => here,
                None => match changes::latest(&db).await {
                    Ok(latest) => Progress::new(latest),
                    Err(e) => {
                        tracing::warn!(error = %e, "live updates: the change log is unreadable");
                        tokio::time::sleep(POLL).await;
                        continue;
                    }
                },
            };
            let listening = feed.receiver_count() > 0;
            match read(&db, &mut here, listening).await {
                Ok(batch) if !batch.is_empty() => {
                    let _ = feed.send(Arc::new(batch));
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "live updates: the change log is unreadable"),
            }
            head.send_if_modified(|at| std::mem::replace(at, here.cursor) != here.cursor);
            progress = Some(here);
            tokio::select! {
                () = changes::CHANGED.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    });
}

/// The changes after `progress`, their items looked up once (when someone listens).
async fn read(
    db: &DatabaseConnection,
    progress: &mut Progress,
    listening: bool,
) -> Result<Vec<Changed>, sea_orm::DbErr> {
    let rows = changes::after(db, progress.cursor, 2000).await?;
    let fresh: Vec<_> = rows.into_iter().filter(|c| !progress.done(c.id)).collect();
    if fresh.is_empty() {
        return Ok(Vec::new());
    }
    progress.applied(
        fresh.iter().map(|c| (c.id, c.created_at)),
        chrono::Utc::now(),
    );
    if !listening {
        return Ok(Vec::new());
    }
    let ids: HashSet<Uuid> = fresh.iter().map(|c| c.node_id).collect();
    let nodes = node::Entity::find()
        .filter(node::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(nodes
        .into_iter()
        .map(|n| Changed {
            id: n.id,
            parent: n.parent_id,
            owner: n.owner_id,
            trashed: n.trashed_at.is_some(),
        })
        .collect())
}

impl Service {
    /// What changed from now on that the actor may hear of, as it happens.
    pub fn live_events(&self, actor: Actor) -> impl Stream<Item = LiveEvent> + Send + 'static {
        let service = self.clone();
        let receiver = self.inner.live.subscribe();
        futures::stream::unfold(
            (service, actor, receiver),
            |(service, actor, mut receiver)| async move {
                loop {
                    let event = match receiver.recv().await {
                        Ok(batch) => service.heard(&actor, &batch).await,
                        Err(broadcast::error::RecvError::Lagged(_)) => LiveEvent {
                            resync: true,
                            ..Default::default()
                        },
                        Err(broadcast::error::RecvError::Closed) => return None,
                    };
                    if event != LiveEvent::default() {
                        return Some((event, (service, actor, receiver)));
                    }
                }
            },
        )
    }

    /// The part of `batch` the actor may hear of.
    async fn heard(&self, actor: &Actor, batch: &[Changed]) -> LiveEvent {
        let mut event = LiveEvent::default();
        // Each folder's right asked once per batch (a thousand uploads into one folder: once).
        let mut folders: HashMap<Uuid, bool> = HashMap::new();
        for changed in batch {
            if changed.trashed && changed.owner == actor.user_id && actor.link_scope().is_none() {
                event.trash = true;
            }
            let mut sees_folder = false;
            if let Some(parent) = changed.parent {
                sees_folder = match folders.get(&parent) {
                    Some(known) => *known,
                    None => {
                        let may = self.node(actor, parent, Need::Read).await.is_ok();
                        folders.insert(parent, may);
                        may
                    }
                };
            }
            let sees_item = sees_folder
                || (!changed.trashed && self.node(actor, changed.id, Need::Read).await.is_ok());
            if sees_item || (changed.trashed && event.trash) {
                event.nodes.push(changed.id);
                if let Some(parent) = changed.parent.filter(|_| sees_folder) {
                    if !event.folders.contains(&parent) {
                        event.folders.push(parent);
                    }
                }
            }
        }
        event
    }
}
