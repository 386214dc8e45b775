//! What a pass does to bring the two sides in step: one action per path (renames carry
//! what is below them).

use uuid::Uuid;

use crate::wire::Node;

#[derive(Debug, Clone)]
pub enum Action {
    /// Moved on the server: move it here too (from where it is here; `base` is where both
    /// sides had it).
    RenameLocal {
        from: String,
        to: String,
        base: String,
    },
    /// Moved here: move it on the server too.
    RenameRemote {
        from: String,
        to: String,
        id: Uuid,
    },
    MkdirLocal {
        path: String,
        node: Node,
    },
    MkdirRemote {
        path: String,
    },
    Download {
        path: String,
        node: Node,
    },
    Upload {
        path: String,
    },
    /// Both changed differently: the local file becomes a conflict copy (uploaded), and the
    /// server's is downloaded under the name.
    Conflict {
        path: String,
        node: Node,
    },
    /// Already the same on both sides: recorded as the base.
    Link {
        path: String,
        node: Node,
    },
    DeleteLocal {
        path: String,
        folder: bool,
    },
    DeleteRemote {
        path: String,
        id: Uuid,
        folder: bool,
    },
    /// Gone from both sides.
    Forget {
        path: String,
    },
}

impl Action {
    pub fn path(&self) -> &str {
        match self {
            Self::RenameLocal { to, .. } | Self::RenameRemote { to, .. } => to,
            Self::MkdirLocal { path, .. }
            | Self::MkdirRemote { path }
            | Self::Download { path, .. }
            | Self::Upload { path }
            | Self::Conflict { path, .. }
            | Self::Link { path, .. }
            | Self::DeleteLocal { path, .. }
            | Self::DeleteRemote { path, .. }
            | Self::Forget { path } => path,
        }
    }
}
