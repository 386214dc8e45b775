//! The local folder as it is now: every file and folder not ignored, with size, modification
//! time and inode (cheap), and the content hash only where those differ from the base (a file
//! is read only when it may have changed). A file that changes while it is read is read again,
//! never taken torn.

use std::{
    collections::BTreeMap,
    io::Read,
    os::unix::fs::MetadataExt,
    path::{Path, PathBuf},
};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use sha2::{Digest, Sha256};

use crate::state::Base;

/// Where the client keeps its state and what it took away (never synced).
pub const STATE_DIR: &str = ".gosync";
pub const TRASH_DIR: &str = ".gosync-trash";

/// Ignored unless `.gosyncignore` says otherwise: what operating systems and editors leave.
const DEFAULT_IGNORES: &[&str] = &[
    ".DS_Store",
    "Thumbs.db",
    "desktop.ini",
    "~$*",
    "*.swp",
    "*.swx",
    ".*.swp",
    "*~",
    ".#*",
    "#*#",
    ".~lock.*#",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    pub folder: bool,
    pub size: i64,
    pub mtime_ns: i64,
    pub inode: u64,
    /// SHA-256 (hex) of a file's content, once read.
    pub hash: Option<String>,
}

impl Local {
    /// Whether it is as the base recorded it (by its metadata: unchanged files are not read).
    pub fn matches(&self, base: &Base) -> bool {
        self.folder == base.folder
            && (self.folder
                || (self.size == base.size
                    && self.mtime_ns == base.mtime_ns
                    && self.inode == base.inode))
    }
}

pub struct Tree {
    root: PathBuf,
    ignore: Gitignore,
}

impl Tree {
    pub fn new(root: &Path) -> anyhow::Result<Self> {
        let mut builder = GitignoreBuilder::new(root);
        for pattern in DEFAULT_IGNORES {
            builder.add_line(None, pattern)?;
        }
        let own = root.join(".gosyncignore");
        if own.exists() {
            if let Some(e) = builder.add(&own) {
                anyhow::bail!("{}: {e}", own.display());
            }
        }
        Ok(Self {
            root: root.to_owned(),
            ignore: builder.build()?,
        })
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn ignored(&self, relative: &str, folder: bool) -> bool {
        relative == STATE_DIR
            || relative == TRASH_DIR
            || relative == ".gosyncignore"
            || self
                .ignore
                .matched_path_or_any_parents(relative, folder)
                .is_ignore()
    }

    /// Every file and folder below the root that is not ignored, by relative path ('/').
    pub fn scan(&self) -> anyhow::Result<BTreeMap<String, Local>> {
        let mut found = BTreeMap::new();
        let mut pending = vec![String::new()];
        while let Some(dir) = pending.pop() {
            let entries = match std::fs::read_dir(self.root.join(&dir)) {
                Ok(entries) => entries,
                // Gone meanwhile: what was in it is simply not here.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e.into()),
            };
            for entry in entries {
                let entry = entry?;
                let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                    continue; // not UTF-8: no name the server could keep
                };
                let relative = if dir.is_empty() {
                    name
                } else {
                    format!("{dir}/{name}")
                };
                let meta = match std::fs::symlink_metadata(entry.path()) {
                    Ok(meta) => meta,
                    Err(_) => continue,
                };
                let folder = meta.is_dir();
                if !(folder || meta.is_file()) || self.ignored(&relative, folder) {
                    continue; // links, devices, sockets; and what is ignored
                }
                found.insert(relative.clone(), describe(&meta, folder));
                if folder {
                    pending.push(relative);
                }
            }
        }
        Ok(found)
    }

    /// Reads the file at `relative` and returns it with its hash, as it is now; `None` if it
    /// is gone or keeps changing while read (the next pass tries again).
    pub fn hashed(&self, relative: &str) -> Option<Local> {
        let path = self.root.join(relative);
        for _ in 0..3 {
            let before = std::fs::metadata(&path).ok()?;
            let hash = hash_file(&path).ok()?;
            let after = std::fs::metadata(&path).ok()?;
            let (a, b) = (describe(&before, false), describe(&after, false));
            if a == b {
                return Some(Local {
                    hash: Some(hash),
                    ..b
                });
            }
        }
        None
    }

    /// A small file's bytes and description, read whole; `None` if it is not a small file,
    /// `Some(None)` if it is gone or keeps changing while read.
    pub fn small(&self, relative: &str) -> Option<Option<(Local, Vec<u8>)>> {
        let path = self.root.join(relative);
        let before = std::fs::metadata(&path).ok()?;
        if before.len() as i64 > SMALL {
            return None;
        }
        for _ in 0..3 {
            let before = describe(&std::fs::metadata(&path).ok()?, false);
            let Ok(bytes) = std::fs::read(&path) else {
                return Some(None);
            };
            let Ok(after) = std::fs::metadata(&path) else {
                return Some(None);
            };
            let after = describe(&after, false);
            if before == after && bytes.len() as i64 == after.size {
                let hash = format!("{:x}", Sha256::digest(&bytes));
                let local = Local {
                    hash: Some(hash),
                    ..after
                };
                return Some(Some((local, bytes)));
            }
        }
        Some(None)
    }
}

/// Files up to this size are read whole and sent in one request.
pub const SMALL: i64 = 1 << 20;

/// A file or folder as its metadata describes it (no hash yet).
pub fn describe(meta: &std::fs::Metadata, folder: bool) -> Local {
    Local {
        folder,
        size: if folder { 0 } else { meta.len() as i64 },
        mtime_ns: meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
        inode: meta.ino(),
        hash: None,
    }
}

pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hash = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok(format!("{:x}", hash.finalize()));
        }
        hash.update(&buffer[..n]);
    }
}
