//! Data that crosses the wire between the browser and the server functions.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

mod account;
mod admin;
mod search;
pub use account::*;
pub use admin::*;
pub use search::*;

/// The signed-in person, as the UI shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDto {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
}

/// What a new account is made of.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignUpInput {
    pub name: String,
    pub email: String,
    pub password: String,
}

/// A file or folder as the drive lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryDto {
    pub id: Uuid,
    pub name: String,
    pub is_folder: bool,
    pub size: i64,
    pub mime: Option<String>,
    /// Unix seconds.
    pub modified: i64,
    pub version: Option<i32>,
    /// When it went to the trash (Unix seconds), for items in the trash.
    pub trashed: Option<i64>,
    /// Shared with someone or by a link.
    #[serde(default)]
    pub shared: bool,
    #[serde(default)]
    pub thumb: Thumb,
    /// Starred by the person looking.
    #[serde(default)]
    pub starred: bool,
}

/// An entry shown away from its folder (Starred, Recent): with the folder it opens in, when
/// the person may open that folder, and the time the list is ordered by (Unix seconds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedEntry {
    pub entry: EntryDto,
    pub parent_id: Option<Uuid>,
    pub at: i64,
}

/// Whether a file has a thumbnail (and, for a PDF, how many pages the viewer can show).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Thumb {
    /// None can be made (not a previewable type, or the file could not be read).
    #[default]
    None,
    /// Being made: show a placeholder and ask again.
    Pending,
    /// Ready: `tag` versions its URL (`?v=`), so it may be cached for good.
    Ready {
        tag: String,
        /// A PDF's or an office document's page count (the viewer shows pages).
        pages: Option<u32>,
        /// A video's length in seconds.
        #[serde(default)]
        duration: Option<u32>,
    },
}

/// A text file's start as the viewer shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextPreview {
    /// Escaped text in `<span class="hl-…">` runs (never the file's own markup).
    pub html: String,
    /// Only the start of the file is here.
    pub truncated: bool,
}

/// One step of the path from the root to a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crumb {
    pub id: Uuid,
    pub name: String,
}

/// How a folder's entries are ordered (folders always first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SortKey {
    #[default]
    Name,
    Modified,
    Size,
}

impl SortKey {
    pub fn parse(raw: Option<&str>) -> Self {
        match raw {
            Some("modified") => Self::Modified,
            Some("size") => Self::Size,
            _ => Self::Name,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Modified => "modified",
            Self::Size => "size",
        }
    }
}

/// One page of a folder: where it is, and its entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderPage {
    /// From the root (first) to this folder (last); for a folder shared with the viewer, from
    /// the folder that was shared (nothing of the owner's above it).
    pub path: Vec<Crumb>,
    /// Whose folder it is, when it is not the viewer's own: the owner's name.
    pub shared_by: Option<String>,
    pub entries: Vec<EntryDto>,
    /// Where the next page starts, when there is one.
    pub next_cursor: Option<String>,
    /// The server's clock (Unix seconds), so that "2 minutes ago" reads the same on both sides.
    pub now: i64,
}

/// One page of the trash, most recently deleted first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrashPage {
    pub entries: Vec<EntryDto>,
    pub next_cursor: Option<String>,
    pub now: i64,
    /// Days an item stays in the trash before it is deleted for good.
    pub retention_days: u64,
}

/// One version of a file, newest first in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionDto {
    pub number: i32,
    pub size: i64,
    /// Unix seconds.
    pub created: i64,
    /// Who uploaded it, as a name to show.
    pub author: Option<String>,
    pub current: bool,
}

/// Something already in a folder that an upload would meet: a file of the same name (the
/// upload would become its new version) or a folder (the upload would go into it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClashDto {
    /// The name as the upload asked about it.
    pub asked: String,
    /// The name of what is there.
    pub name: String,
    pub is_folder: bool,
    /// A name nothing in the folder has ("name (1).ext"), for "keep both".
    pub free_name: String,
}

/// What a person may do with something shared with them (and everything below it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// List, preview, download.
    Viewer,
    /// A viewer who also uploads, renames, moves within the share, adds versions.
    Editor,
    /// An editor who also deletes and shares with others.
    Manager,
}

impl Role {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "viewer" => Some(Self::Viewer),
            "editor" => Some(Self::Editor),
            "manager" => Some(Self::Manager),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Editor => "editor",
            Self::Manager => "manager",
        }
    }
}

/// What a public link lets its recipient do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkRole {
    /// Preview and download.
    Viewer,
    /// Upload into the folder only: a drop box (nothing in it can be seen).
    Uploader,
    /// Preview, download and upload.
    Editor,
}

impl LinkRole {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "viewer" => Some(Self::Viewer),
            "uploader" => Some(Self::Uploader),
            "editor" => Some(Self::Editor),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Viewer => "viewer",
            Self::Uploader => "uploader",
            Self::Editor => "editor",
        }
    }
}

/// A public link's page: what it shows its recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkPage {
    pub token: String,
    pub role: LinkRole,
    /// A password is needed first: nothing else is filled in.
    pub locked: bool,
    /// The shared item (for a folder link: the folder shown, and the path from the shared one).
    pub item: Option<EntryDto>,
    pub path: Vec<Crumb>,
    /// A folder's entries (empty for an uploader link: a drop box shows nothing).
    pub entries: Vec<EntryDto>,
    pub owner_name: Option<String>,
    pub now: i64,
}

/// Someone an item is shared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantDto {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// A public link, as its maker sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkDto {
    pub id: Uuid,
    pub role: LinkRole,
    /// `/s/{token}`, to put after the server's address.
    pub path: String,
    pub has_password: bool,
    /// Unix seconds.
    pub expires: Option<i64>,
    pub max_downloads: Option<i64>,
    pub downloads: i64,
    /// The owner's words for it ("Link of <date>" by default).
    pub label: String,
}

/// A public link to make, as the Share dialog asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLinkDto {
    pub role: LinkRole,
    pub password: Option<String>,
    /// From now; 1 to 3650.
    pub expires_in_days: Option<i64>,
    pub max_downloads: Option<i64>,
    /// The owner's words for it; "Link of <date>" when none.
    pub label: Option<String>,
}

/// Who has an item, as the Share dialog shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharingDto {
    pub grants: Vec<GrantDto>,
    pub links: Vec<LinkDto>,
    /// Whether the viewer may change any of it (owners and managers).
    pub can_share: bool,
}

/// Something shared with the viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedEntryDto {
    pub entry: EntryDto,
    pub role: Role,
    pub owner: String,
}
