//! Where a file's thumbnail stands, for listings and for serving it.

use std::collections::HashMap;

use app::dto::Thumb;
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

use super::{queue_thumbnail, Kind, Made, THUMBNAIL, VISIBLE};
use crate::{
    entities::{job, node},
    jobs::queue,
};

/// The part of the SHA-256 that versions a thumbnail's URL (a new version, a new URL).
pub fn version_tag(sha256: &str) -> String {
    sha256.chars().take(16).collect()
}

/// The thumbnail state of each file among `nodes` that can have one. Files from before
/// previews existed get their job queued now (these are on someone's screen: ahead of others).
pub async fn thumbs(
    db: &impl ConnectionTrait,
    nodes: &[node::Model],
) -> Result<HashMap<Uuid, Thumb>, DbErr> {
    let previewable: Vec<(&node::Model, &String, Kind)> = nodes
        .iter()
        .filter_map(|n| {
            let kind = Kind::of(n.mime.as_deref(), &n.name)?;
            Some((n, n.sha256.as_ref()?, kind))
        })
        .collect();
    let shas: Vec<String> = previewable.iter().map(|(_, s, _)| (*s).clone()).collect();
    let jobs: HashMap<String, job::Model> = queue::find(db, THUMBNAIL, shas)
        .await?
        .into_iter()
        .map(|j| (j.subject.clone(), j))
        .collect();
    // What someone looks at is made first.
    let waiting: Vec<String> = jobs
        .values()
        .filter(|j| j.state == queue::QUEUED && j.priority < VISIBLE)
        .map(|j| j.subject.clone())
        .collect();
    queue::prioritize(db, THUMBNAIL, waiting, VISIBLE).await?;
    let mut out = HashMap::new();
    let mut queued = false;
    for (node, sha256, kind) in previewable {
        let thumb = match jobs.get(sha256) {
            Some(job) => thumb_of(job),
            None => {
                queued |= queue_thumbnail(db, sha256, kind, &node.name, VISIBLE).await?;
                Thumb::Pending
            }
        };
        out.insert(node.id, thumb);
    }
    if queued {
        crate::jobs::wake();
    }
    Ok(out)
}

/// The thumbnail state of each file among `nodes` as it stands, writing nothing (search
/// results: many are glanced at, few opened).
pub async fn known(
    db: &impl ConnectionTrait,
    nodes: &[node::Model],
) -> Result<HashMap<Uuid, Thumb>, DbErr> {
    let shas: Vec<String> = nodes
        .iter()
        .filter(|n| Kind::of(n.mime.as_deref(), &n.name).is_some())
        .filter_map(|n| n.sha256.clone())
        .collect();
    let jobs: HashMap<String, job::Model> = queue::find(db, THUMBNAIL, shas)
        .await?
        .into_iter()
        .map(|j| (j.subject.clone(), j))
        .collect();
    Ok(nodes
        .iter()
        .filter_map(|n| Some((n.id, thumb_of(jobs.get(n.sha256.as_ref()?)?))))
        .collect())
}

/// A thumbnail job's state as the UI shows it.
pub fn thumb_of(job: &job::Model) -> Thumb {
    match job.state.as_str() {
        queue::QUEUED | queue::RUNNING => Thumb::Pending,
        queue::DONE => match made(job) {
            Some(made) => Thumb::Ready {
                tag: version_tag(&job.subject),
                pages: made.pages,
                duration: made.duration.map(|d| d.round() as u32),
            },
            None => Thumb::None,
        },
        _ => Thumb::None,
    }
}

/// What a done job made.
pub fn made(job: &job::Model) -> Option<Made> {
    if job.state != queue::DONE {
        return None;
    }
    serde_json::from_str(job.result.as_deref()?).ok()
}

/// Puts each file's thumbnail state into its entry.
pub fn apply(entries: &mut [app::dto::EntryDto], thumbs: &HashMap<Uuid, Thumb>) {
    for entry in entries {
        if let Some(thumb) = thumbs.get(&entry.id) {
            entry.thumb = thumb.clone();
        }
    }
}
