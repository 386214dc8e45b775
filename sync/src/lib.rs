//! `gosync sync`: keeps a folder on this computer in step with a folder of your drive.
//! Each pass looks at both sides and at what the last pass agreed on (the state, in
//! `.gosync/`), plans what to carry which way (`plan`), and carries it out (`apply`).

mod action;
pub mod api;
mod apply;
pub mod credentials;
mod local;
mod names;
mod plan;
mod progress;
mod remote;
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

pub use action::Action;
pub use local::{STATE_DIR, TRASH_DIR};
pub use watch::watch;

use crate::{api::Api, local::Tree, plan::Sides, progress::Progress, remote::Remote, state::State};

/// Transfers in flight at once (most are small files: one request each, which the server
/// makes durable in group commits, so more at once go faster).
const PARALLEL: usize = 16;
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
    // The server's side as of the last run that ended in step, if there was one.
    let mut known = match state.cursor(root).await? {
        Some(cursor) => Some(Remote::from_base(root, &state.base().await?, cursor)),
        None => None,
    };
    for _ in 0..4 {
        let updated = match known.take() {
            Some(remote) => remote.updated(&api, &tree).await?,
            None => None,
        };
        let remote = match updated {
            Some(remote) => remote,
            None => Remote::list(&api, &tree, root).await?,
        };
        let context = Pass {
            api: &api,
            tree: &tree,
            state: &state,
            root,
            options,
            progress: &progress,
        };
        let done = pass(&context, remote.items()).await?;
        if done.is_empty() {
            state.set_cursor(root, Some(&remote.cursor)).await?;
            break;
        }
        known = Some(remote);
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

/// What every pass works with.
struct Pass<'a> {
    api: &'a Api,
    tree: &'a Tree,
    state: &'a State,
    root: Uuid,
    options: &'a Options,
    progress: &'a Progress,
}

/// One look at both sides, and what it takes to bring them in step.
async fn pass(
    context: &Pass<'_>,
    remote: &BTreeMap<String, wire::Node>,
) -> anyhow::Result<Vec<Action>> {
    let Pass {
        api,
        tree,
        state,
        root,
        options,
        progress,
    } = *context;
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
    let mut folders: HashMap<String, Uuid> = remote
        .iter()
        .filter(|(_, n)| n.is_folder())
        .map(|(p, n)| (p.clone(), n.id))
        .collect();
    folders.insert(String::new(), root);
    let actions = Sides {
        base: base.clone(),
        local: local.clone(),
        remote: remote.clone(),
    }
    .plan();
    let (deleted, synced) = plan::deletions(&actions, &base);
    if deleted > MASS_DELETE && deleted * 2 > synced && !options.allow_mass_delete {
        bail!(
            "this would delete {deleted} of {synced} synced files; nothing was changed. \
             If that is what you want, run again with --allow-mass-delete"
        );
    }
    if actions.is_empty() {
        return Ok(actions);
    }
    // Until this run ends in step, the base is not the server's side.
    state.set_cursor(root, None).await?;
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
    // Small files go up many to a request.
    let (small, alone): (Vec<&Action>, Vec<&Action>) = rest.into_iter().partition(|a| {
        matches!(a, Action::Upload { path }
            if local.get(path).is_some_and(|l| l.size <= apply::BATCHED))
    });
    let batches = small
        .chunks(apply::BATCH_FILES)
        .map(|uploads| Work::Batch(uploads.to_vec()));
    let work = alone.into_iter().map(Work::One).chain(batches);
    let results: Vec<anyhow::Result<()>> = futures::stream::iter(work)
        .map(|work| async {
            match work {
                Work::One(action) => run
                    .apply(action)
                    .await
                    .with_context(|| action.path().to_owned()),
                Work::Batch(uploads) => run.upload_batch(&uploads).await,
            }
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

/// A transfer of the run: one action, or small uploads sent together.
enum Work<'a> {
    One(&'a Action),
    Batch(Vec<&'a Action>),
}
