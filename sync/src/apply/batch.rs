//! Small files sent many to a request: each is read whole and hashed here (the bytes sent are
//! the bytes hashed), and recorded in the state as soon as its outcome is known.

use anyhow::Context;

use super::{split, Run};
use crate::{action::Action, api::SmallFile, state::Base};

/// Files up to this size go in batches.
pub const BATCHED: i64 = 256 << 10;
/// Files in one batch.
pub const BATCH_FILES: usize = 32;

impl Run<'_> {
    /// Uploads the files of `uploads` (all `Action::Upload`) in one request; a file grown
    /// past [`BATCHED`] since the scan goes alone. The first file the server refused is the
    /// error; the others are recorded.
    pub async fn upload_batch(&self, uploads: &[&Action]) -> anyhow::Result<()> {
        let mut read = Vec::with_capacity(uploads.len());
        for action in uploads {
            let path = action.path();
            match self.tree.small(path) {
                Some(Some((local, bytes))) if local.size <= BATCHED => {
                    read.push((*action, local, bytes));
                }
                Some(None) => self.progress.note("changing, next pass", path),
                _ => self.apply(action).await.with_context(|| path.to_owned())?,
            }
        }
        if read.is_empty() {
            return Ok(());
        }
        let mut files = Vec::with_capacity(read.len());
        for (action, local, bytes) in &read {
            let (dir, name) = split(action.path());
            files.push(SmallFile {
                parent: self.folder_id(dir)?,
                name,
                bytes,
                hash: local.hash.as_deref().unwrap_or_default(),
            });
        }
        let outcomes = match self.api.upload_batch(&files).await {
            Ok(outcomes) => outcomes,
            // A server that does not take batches: one request per file, as before.
            Err(e) if matches!(e.status(), Some(404 | 405 | 415)) => {
                for (action, ..) in &read {
                    self.apply(action)
                        .await
                        .with_context(|| action.path().to_owned())?;
                }
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        let mut refused = None;
        for ((action, local, _), outcome) in read.iter().zip(outcomes) {
            match outcome {
                Ok(id) => {
                    let base = Base {
                        node_id: id,
                        folder: false,
                        hash: local.hash.clone().unwrap_or_default(),
                        size: local.size,
                        mtime_ns: local.mtime_ns,
                        inode: local.inode,
                    };
                    self.state.set(action.path(), Some(&base)).await?;
                    self.progress.done(action);
                }
                Err(message) => {
                    refused.get_or_insert_with(|| anyhow::anyhow!("{}: {message}", action.path()));
                }
            }
        }
        refused.map_or(Ok(()), Err)
    }
}
