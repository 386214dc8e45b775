//! Reading content: a file's bytes (current or, with the history right, an older version), a
//! folder or a selection as a zip, and the text card of a text file. What is handed out is a
//! readable source bound to what the caller may read, never the storage itself.

use std::{collections::HashSet, ops::Range};

use app::{dto::TextPreview, AppError};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Service;
use crate::{
    error::ServiceError,
    files::{
        archive::{self, FolderArchive},
        name::numbered,
        versions,
    },
    policy::{Actor, Need},
    storage::{BlobStore, ByteStream, StorageError},
};

/// One stored object the caller may read (a version's blob, a rendering).
#[derive(Clone)]
pub struct BlobSource {
    blobs: BlobStore,
    key: String,
}

impl BlobSource {
    /// Bytes `range` of it (all when None), streamed.
    pub async fn read(&self, range: Option<Range<u64>>) -> Result<ByteStream, StorageError> {
        self.blobs.read(&self.key, range).await
    }
}

/// A file's content, ready to serve.
pub struct FileContent {
    /// The content hash, quoted: the ETag.
    pub etag: String,
    pub name: String,
    pub mime: String,
    pub modified: DateTime<Utc>,
    pub size: u64,
    pub source: BlobSource,
}

/// A zip of a folder or of a selection, ready to stream.
pub struct ZipDownload {
    pub name: String,
    pub length: u64,
    archive: FolderArchive,
    blobs: BlobStore,
}

impl ZipDownload {
    pub fn stream(self) -> ByteStream {
        self.archive.stream(self.blobs)
    }
}

/// What downloading an item gives.
pub enum Download {
    File(FileContent),
    Zip(ZipDownload),
}

impl Download {
    /// The length of the whole content (the file's, or the zip's).
    pub fn whole_length(&self) -> u64 {
        match self {
            Download::File(f) => f.size,
            Download::Zip(z) => z.length,
        }
    }
}

impl Service {
    /// The content of `id`: the file's current bytes, version `version` of them (that needs
    /// the history right, which no link has), or a folder's zip.
    pub async fn download(
        &self,
        actor: &Actor,
        id: Uuid,
        version: Option<i32>,
    ) -> Result<Download, ServiceError> {
        let need = if version.is_some() {
            Need::History
        } else {
            Need::Read
        };
        let node = self.node(actor, id, need).await?;
        if node.is_folder() {
            if version.is_some() {
                return Err(AppError::validation("version", "Folders have no versions.").into());
            }
            let name = format!("{}.zip", archive::archive_name(&node));
            let archive = FolderArchive::of(self.db(), &node).await?;
            return Ok(Download::Zip(self.zip(name, archive)));
        }
        if version.is_none() {
            self.note_open(actor, &node).await;
        }
        let (version, blob) = versions::version_blob(self.db(), &node, version).await?;
        Ok(Download::File(FileContent {
            etag: format!("\"{}\"", blob.sha256),
            name: node.name,
            mime: node
                .mime
                .unwrap_or_else(|| "application/octet-stream".to_owned()),
            modified: version.created_at,
            size: blob.size as u64,
            source: self.source(blob.storage_key),
        }))
    }

    /// A zip of the items `ids` (files, or folders with everything in them), each at the
    /// top; items from different folders that share a name get "name (1)".
    pub async fn selection_zip(
        &self,
        actor: &Actor,
        ids: &[Uuid],
    ) -> Result<ZipDownload, ServiceError> {
        let mut seen = HashSet::new();
        let mut names = HashSet::new();
        let mut items = Vec::with_capacity(ids.len());
        for id in ids {
            let node = self.node(actor, *id, Need::Read).await?;
            if !seen.insert(node.id) {
                continue;
            }
            let name = unique(&node.name, &mut names);
            items.push((node, name));
        }
        let count = items.len();
        let archive = FolderArchive::of_items(self.db(), &items).await?;
        let name = format!(
            "GoSync download ({count} item{}).zip",
            if count == 1 { "" } else { "s" }
        );
        Ok(self.zip(name, archive))
    }

    /// The text card of a text file (highlighted, cut short when long).
    pub async fn text_preview(&self, actor: &Actor, id: Uuid) -> Result<TextPreview, ServiceError> {
        let file = self.file(actor, id, Need::Read).await?;
        self.note_open(actor, &file).await;
        crate::previews::highlight::preview(self.db(), self.blobs(), &file).await
    }

    fn zip(&self, name: String, archive: FolderArchive) -> ZipDownload {
        ZipDownload {
            name,
            length: archive.byte_len(),
            archive,
            blobs: self.blobs().clone(),
        }
    }

    pub(super) fn source(&self, key: String) -> BlobSource {
        BlobSource {
            blobs: self.blobs().clone(),
            key,
        }
    }
}

/// `name`, or "stem (n).ext" when an earlier item took it.
fn unique(name: &str, taken: &mut HashSet<String>) -> String {
    let mut n = 0;
    loop {
        let candidate = numbered(name, n);
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::unique;

    #[test]
    fn names_that_clash_get_a_number() {
        let mut taken = Default::default();
        assert_eq!(unique("a.txt", &mut taken), "a.txt");
        assert_eq!(unique("a.txt", &mut taken), "a (1).txt");
        assert_eq!(unique("a.txt", &mut taken), "a (2).txt");
        assert_eq!(unique("Photos", &mut taken), "Photos");
        assert_eq!(unique("Photos", &mut taken), "Photos (1)");
    }
}
