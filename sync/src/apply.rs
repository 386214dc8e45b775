//! Carrying out the plan, safely: downloads go to a temporary file, are checked against the
//! content hash, and replace the target only if it did not change meanwhile; uploads resume;
//! deletions go to the server's trash or, here, to `.gosync-trash`; each step is recorded in
//! the state as soon as it is done, so a run cut short loses nothing and repeats little.

use std::{
    collections::{BTreeMap, HashMap},
    path::PathBuf,
    sync::Mutex,
};

use anyhow::Context;
use uuid::Uuid;

mod batch;

pub use batch::{BATCHED, BATCH_FILES};

use crate::{
    action::Action,
    api::{Api, Started},
    local::{Local, Tree, STATE_DIR, TRASH_DIR},
    progress::Progress,
    state::{Base, State},
    wire::Node,
};

pub struct Run<'a> {
    pub api: &'a Api,
    pub tree: &'a Tree,
    pub state: &'a State,
    /// What the scan saw here (a download replaces only what is still as it was).
    pub local: &'a BTreeMap<String, Local>,
    /// Folder ids on the server by path ("" is the synced folder).
    pub folders: Mutex<HashMap<String, Uuid>>,
    pub host: String,
    pub progress: &'a Progress,
}

fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

impl Run<'_> {
    fn folder_id(&self, path: &str) -> anyhow::Result<Uuid> {
        let folders = self.folders.lock().unwrap_or_else(|p| p.into_inner());
        folders
            .get(path)
            .copied()
            .with_context(|| format!("the folder {path:?} is not on the server yet"))
    }

    fn note_folder(&self, path: &str, id: Uuid) {
        let mut folders = self.folders.lock().unwrap_or_else(|p| p.into_inner());
        folders.insert(path.to_owned(), id);
    }

    /// The base for `path` as it is here now, with the server's item.
    fn base_of(&self, path: &str, node: &Node) -> anyhow::Result<Base> {
        let here = self.tree.path(path);
        let meta = std::fs::symlink_metadata(&here)?;
        let now = crate::local::describe(&meta, meta.is_dir());
        Ok(Base {
            node_id: node.id,
            folder: node.is_folder(),
            hash: node.hash().unwrap_or_default(),
            size: now.size,
            mtime_ns: now.mtime_ns,
            inode: now.inode,
        })
    }

    pub async fn apply(&self, action: &Action) -> anyhow::Result<()> {
        match action {
            Action::RenameLocal { from, to, base } => {
                let target = self.tree.path(to);
                if let Some(dir) = target.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::rename(self.tree.path(from), &target)?;
                self.state.rename(base, to).await?;
            }
            Action::RenameRemote { from, to, id } => {
                let (dir, name) = split(to);
                let parent = match self.folder_id(dir) {
                    Ok(id) => id,
                    // Moved into a folder made here: made there first.
                    Err(_) => self.mkdir_remote_chain(dir).await?,
                };
                let node = self.api.relocate(*id, parent, name).await?;
                self.state.rename(from, to).await?;
                if node.is_folder() {
                    self.note_folder(to, node.id);
                }
            }
            Action::MkdirLocal { path, node } => {
                std::fs::create_dir_all(self.tree.path(path))?;
                self.note_folder(path, node.id);
                self.state
                    .set(path, Some(&self.base_of(path, node)?))
                    .await?;
            }
            Action::MkdirRemote { path } => {
                let node = self.mkdir_remote(path).await?;
                self.state
                    .set(path, Some(&self.base_of(path, &node)?))
                    .await?;
            }
            Action::Link { path, node } => {
                if node.is_folder() {
                    self.note_folder(path, node.id);
                }
                self.state
                    .set(path, Some(&self.base_of(path, node)?))
                    .await?;
            }
            Action::Download { path, node } => self.download(path, node).await?,
            Action::Upload { path } => self.upload(path).await?,
            Action::Conflict { path, node } => {
                let copy = crate::names::conflict_copy(path, &self.host, chrono::Local::now());
                std::fs::rename(self.tree.path(path), self.tree.path(&copy))?;
                self.progress.note("conflict", path);
                if !std::fs::symlink_metadata(self.tree.path(&copy))?.is_dir() {
                    self.upload(&copy).await?;
                }
                match node.is_folder() {
                    true => {
                        std::fs::create_dir_all(self.tree.path(path))?;
                        self.note_folder(path, node.id);
                        self.state
                            .set(path, Some(&self.base_of(path, node)?))
                            .await?;
                    }
                    false => self.download(path, node).await?,
                }
            }
            Action::DeleteLocal { path, folder } => {
                self.to_local_trash(path, *folder)?;
                self.state.set(path, None).await?;
            }
            Action::DeleteRemote { path, id, .. } => {
                self.api.trash(*id).await?;
                self.state.set(path, None).await?;
            }
            Action::Forget { path } => self.state.set(path, None).await?,
        }
        self.progress.done(action);
        Ok(())
    }

    /// Makes folder `path` on the server, and the folders above it that are missing.
    async fn mkdir_remote_chain(&self, path: &str) -> anyhow::Result<Uuid> {
        let mut at = String::new();
        let mut id = self.folder_id("")?;
        for name in path.split('/') {
            at = if at.is_empty() {
                name.to_owned()
            } else {
                format!("{at}/{name}")
            };
            id = match self.folder_id(&at) {
                Ok(id) => id,
                Err(_) => self.mkdir_remote(&at).await?.id,
            };
        }
        Ok(id)
    }

    async fn mkdir_remote(&self, path: &str) -> anyhow::Result<Node> {
        let (dir, name) = split(path);
        let parent = self.folder_id(dir)?;
        let node = match self.api.create_folder(parent, name).await {
            Ok(node) => node,
            // Made meanwhile (by another client): that one is the folder.
            Err(e) if e.status() == Some(409) => self
                .api
                .children(parent)
                .await?
                .into_iter()
                .find(|n| n.name == name && n.is_folder())
                .with_context(|| format!("{path}: {e}"))?,
            Err(e) => return Err(e.into()),
        };
        self.note_folder(path, node.id);
        Ok(node)
    }

    async fn download(&self, path: &str, node: &Node) -> anyhow::Result<()> {
        let tmp_dir = self.tree.root().join(STATE_DIR).join("tmp");
        std::fs::create_dir_all(&tmp_dir)?;
        let tmp = tmp_dir.join(Uuid::new_v4().to_string());
        let got = self.api.download(node.id, &tmp).await;
        let outcome = self.place(path, node, &tmp, got).await;
        let _ = std::fs::remove_file(&tmp);
        outcome
    }

    /// Puts a downloaded file in place, if its content is what the server said and the
    /// target is still as the scan saw it.
    async fn place(
        &self,
        path: &str,
        node: &Node,
        tmp: &std::path::Path,
        got: Result<String, crate::api::ApiError>,
    ) -> anyhow::Result<()> {
        let hash = got?;
        anyhow::ensure!(
            Some(&hash) == node.hash().as_ref(),
            "{path}: the download does not match its content hash; it will be fetched again"
        );
        let file = std::fs::File::options().write(true).open(tmp)?;
        file.set_modified(node.modified_at.into())?;
        drop(file);
        let target = self.tree.path(path);
        let now = std::fs::symlink_metadata(&target).ok();
        let expected = self.local.get(path);
        let unchanged = match (&now, expected) {
            (None, None) => true,
            (Some(meta), Some(seen)) => {
                let now = crate::local::describe(meta, meta.is_dir());
                (now.folder, now.size, now.inode, now.mtime_ns)
                    == (seen.folder, seen.size, seen.inode, seen.mtime_ns)
            }
            _ => false,
        };
        if !unchanged {
            self.progress.note("changed meanwhile, next pass", path);
            return Ok(());
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::rename(tmp, &target)?;
        self.state
            .set(path, Some(&self.base_of(path, node)?))
            .await?;
        Ok(())
    }

    async fn upload(&self, path: &str) -> anyhow::Result<()> {
        // A small file is read whole and sent with the upload's creation: the bytes sent are
        // the bytes hashed, in one request.
        let read = match self.tree.small(path) {
            Some(small) => small.map(|(local, bytes)| (local, Some(bytes))),
            None => self.tree.hashed(path).map(|local| (local, None)),
        };
        let Some((local, whole)) = read else {
            self.progress.note("changing, next pass", path);
            return Ok(());
        };
        let hash = local.hash.clone().unwrap_or_default();
        let (dir, name) = split(path);
        let parent = self.folder_id(dir)?;
        let resume = match whole {
            Some(_) => None,
            None => self.state.upload_begun(path, &hash).await?,
        };
        let size = (local.size, hash.as_str());
        let started = self
            .api
            .start_upload(parent, name, size, resume, whole)
            .await?;
        let id = match started {
            Started::Made(id) => id,
            Started::Open { location, offset } => {
                // Kept at once: a run cut short continues this upload next time.
                self.state.begin_upload(path, &hash, &location).await?;
                let from = self.tree.path(path);
                let sent = self
                    .api
                    .send_bytes(&from, &location, offset, local.size, &hash)
                    .await;
                match sent {
                    Ok(id) => {
                        self.state.end_upload(path).await?;
                        id
                    }
                    Err(crate::api::ApiError::Changed) => {
                        self.state.end_upload(path).await?;
                        self.progress.note("changed while sent, next pass", path);
                        return Ok(());
                    }
                    // Kept: the next run continues it.
                    Err(e) => return Err(e.into()),
                }
            }
        };
        // The base is what was sent: if the file changed since, the next pass sends it again.
        let base = Base {
            node_id: id,
            folder: false,
            hash,
            size: local.size,
            mtime_ns: local.mtime_ns,
            inode: local.inode,
        };
        self.state.set(path, Some(&base)).await
    }

    /// Moves what the server deleted into `.gosync-trash/<date>/`, kept there 30 days.
    fn to_local_trash(&self, path: &str, folder: bool) -> anyhow::Result<()> {
        let from = self.tree.path(path);
        if folder
            && std::fs::read_dir(&from)
                .map(|mut d| d.next().is_none())
                .unwrap_or(true)
        {
            let _ = std::fs::remove_dir(&from);
            return Ok(());
        }
        let day = chrono::Local::now().format("%Y-%m-%d").to_string();
        let to: PathBuf = self.tree.root().join(TRASH_DIR).join(day).join(path);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let to = crate::names::free_path(&to);
        match std::fs::rename(&from, &to) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            other => Ok(other?),
        }
    }
}
