//! `gosync sync`: keeps a folder on this computer in step with a folder of your drive.
//! Each pass looks at both sides and at what the last pass agreed on (the state, in
//! `.gosync/`), plans what to carry which way (`plan`), and carries it out (`apply`).

pub mod api;
mod apply;
pub mod credentials;
mod local;
mod names;
mod plan;
mod progress;
mod state;
mod watch;
mod wire;

use std::{
    collections::{BTreeMap, HashMap},
    path::PathBuf,
    sync::Mutex,
};

use anyhow::{bail, Context};
use futures::StreamExt;
use uuid::Uuid;

pub use local::{STATE_DIR, TRASH_DIR};
pub use plan::Action;
pub use watch::watch;

use crate::{api::Api, local::Tree, plan::Sides, progress::Progress, state::State, wire::Node};

/// Transfers in flight at once.
const PARALLEL: usize = 8;
/// Deletions refused without `allow_mass_delete`: more than this many files, and more than
/// half of those synced.
const MASS_DELETE: usize = 20;

#[derive(Debug, Clone)]
pub struct Options {
    pub local_dir: PathBuf,
    pub server: String,
    pub token: String,
    /// The folder of the drive to keep in step ("" or "/" for all of it).
    pub folder: String,
    pub json: bool,
    pub allow_mass_delete: bool,
}

/// What one run did.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub actions: Vec<Action>,
}

/// Syncs until both sides agree (a few passes at most) and returns what was done.
pub async fn run_once(options: &Options) -> anyhow::Result<Report> {
    let api = Api::new(&options.server, &options.token)?;
    let tree = Tree::new(&options.local_dir)?;
    let state = State::open(&options.local_dir.join(STATE_DIR)).await?;
    let progress = Progress::new(options.json);
    tidy(&tree)?;
    let root = remote_folder(&api, &options.folder).await?;
    let mut report = Report::default();
    for _ in 0..4 {
        let done = pass(&api, &tree, &state, root, options, &progress).await?;
        if done.is_empty() {
            break;
        }
        report.actions.extend(done);
    }
    progress.finished(&format!(
        "in step ({} changes carried)",
        report.actions.len()
    ));
    Ok(report)
}

/// The folder at `path` below the drive's root, made if missing.
async fn remote_folder(api: &Api, path: &str) -> anyhow::Result<Uuid> {
    let mut id = api.me().await.context("signing in")?.root_id;
    for name in path.split('/').filter(|n| !n.is_empty()) {
        let found = api.children(id).await?.into_iter().find(|n| n.name == name);
        id = match found {
            Some(node) if node.is_folder() => node.id,
            Some(_) => bail!("{path}: {name} is a file, not a folder"),
            None => match api.create_folder(id, name).await {
                Ok(made) => made.id,
                // Made a moment ago by another client.
                Err(e) if e.status() == Some(409) => {
                    api.children(id)
                        .await?
                        .into_iter()
                        .find(|n| n.name == name && n.is_folder())
                        .with_context(|| format!("{path}: {e}"))?
                        .id
                }
                Err(e) => return Err(e.into()),
            },
        };
    }
    Ok(id)
}

/// Every item below folder `root`, by path relative to it.
async fn remote_tree(api: &Api, root: Uuid) -> anyhow::Result<BTreeMap<String, Node>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![(String::new(), root)];
    while let Some((dir, id)) = pending.pop() {
        for node in api.children(id).await? {
            let path = if dir.is_empty() {
                node.name.clone()
            } else {
                format!("{dir}/{}", node.name)
            };
            if node.is_folder() {
                pending.push((path.clone(), node.id));
            }
            found.insert(path, node);
        }
    }
    Ok(found)
}

/// Clears what a run cut short left (partial downloads) and what the local trash kept long
/// enough (30 days).
fn tidy(tree: &Tree) -> anyhow::Result<()> {
    let _ = std::fs::remove_dir_all(tree.root().join(STATE_DIR).join("tmp"));
    let Ok(days) = std::fs::read_dir(tree.root().join(TRASH_DIR)) else {
        return Ok(());
    };
    let cutoff = chrono::Local::now().date_naive() - chrono::Duration::days(30);
    for day in days.flatten() {
        let name = day.file_name().to_string_lossy().into_owned();
        if chrono::NaiveDate::parse_from_str(&name, "%Y-%m-%d").is_ok_and(|d| d < cutoff) {
            std::fs::remove_dir_all(day.path())?;
        }
    }
    Ok(())
}

async fn pass(
    api: &Api,
    tree: &Tree,
    state: &State,
    root: Uuid,
    options: &Options,
    progress: &Progress,
) -> anyhow::Result<Vec<Action>> {
    let base = state.base().await?;
    let mut local = tree.scan()?;
    // Read only what may have changed; a file that keeps changing waits for the next pass.
    let mut unsteady = Vec::new();
    for (path, entry) in local.iter_mut().filter(|(_, e)| !e.folder) {
        match base.get(path) {
            Some(b) if entry.matches(b) => entry.hash = Some(b.hash.clone()),
            _ => match tree.hashed(path) {
                Some(read) => *entry = read,
                None => unsteady.push(path.clone()),
            },
        }
    }
    for path in unsteady {
        local.remove(&path);
        progress.note("changing while read, next pass", &path);
    }
    let remote = remote_tree(api, root).await?;
    let mut folders: HashMap<String, Uuid> = remote
        .iter()
        .filter(|(_, n)| n.is_folder())
        .map(|(p, n)| (p.clone(), n.id))
        .collect();
    folders.insert(String::new(), root);
    let actions = Sides {
        base: base.clone(),
        local: local.clone(),
        remote,
    }
    .plan();
    let (deleted, synced) = plan::deletions(&actions, &base);
    if deleted > MASS_DELETE && deleted * 2 > synced && !options.allow_mass_delete {
        bail!(
            "this would delete {deleted} of {synced} synced files; nothing was changed. \
             If that is what you want, run again with --allow-mass-delete"
        );
    }
    progress.planned(actions.len());
    let run = apply::Run {
        api,
        tree,
        state,
        local: &local,
        folders: Mutex::new(folders),
        host: names::host(),
        progress,
    };
    // Renames, then folders, one by one; transfers side by side; deletions last.
    let (first, rest): (Vec<&Action>, Vec<&Action>) = actions.iter().partition(|a| {
        !matches!(
            a,
            Action::Download { .. } | Action::Upload { .. } | Action::Conflict { .. }
        )
    });
    let (ordered, deletions): (Vec<&Action>, Vec<&Action>) = first.into_iter().partition(|a| {
        !matches!(
            a,
            Action::DeleteLocal { .. } | Action::DeleteRemote { .. } | Action::Forget { .. }
        )
    });
    for action in ordered {
        run.apply(action)
            .await
            .with_context(|| action.path().to_owned())?;
    }
    let results: Vec<anyhow::Result<()>> = futures::stream::iter(rest)
        .map(|action| async {
            run.apply(action)
                .await
                .with_context(|| action.path().to_owned())
        })
        .buffer_unordered(PARALLEL)
        .collect()
        .await;
    for result in results {
        result?;
    }
    for action in deletions {
        run.apply(action)
            .await
            .with_context(|| action.path().to_owned())?;
    }
    Ok(actions)
}
