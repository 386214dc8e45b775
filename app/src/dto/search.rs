//! Search: what a person asks for and what they get back.

use serde::{Deserialize, Serialize};

use super::EntryDto;

/// The kinds of item the type filter offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileType {
    Folder,
    Document,
    Pdf,
    Image,
    Audio,
    Video,
    Archive,
    Code,
    Other,
}

impl FileType {
    /// Every kind, in the order the filter lists them.
    pub const ALL: [FileType; 9] = [
        FileType::Folder,
        FileType::Document,
        FileType::Pdf,
        FileType::Image,
        FileType::Audio,
        FileType::Video,
        FileType::Archive,
        FileType::Code,
        FileType::Other,
    ];

    /// The kind of an item from its type and name.
    pub fn of(is_folder: bool, mime: Option<&str>, name: &str) -> Self {
        if is_folder {
            return FileType::Folder;
        }
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let mime = mime.unwrap_or_default();
        match (mime, ext.as_str()) {
            ("application/pdf", _) | (_, "pdf") => FileType::Pdf,
            (m, _) if m.starts_with("image/") => FileType::Image,
            (m, _) if m.starts_with("audio/") => FileType::Audio,
            (m, _) if m.starts_with("video/") => FileType::Video,
            (_, "zip" | "tar" | "gz" | "tgz" | "bz2" | "xz" | "7z" | "rar" | "zst") => {
                FileType::Archive
            }
            (
                _,
                "doc" | "docx" | "odt" | "rtf" | "txt" | "md" | "markdown" | "xls" | "xlsx" | "ods"
                | "csv" | "tsv" | "ppt" | "pptx" | "odp" | "html" | "htm" | "epub",
            ) => FileType::Document,
            (_, e) if crate::drive::format::is_text_ext(e) => FileType::Code,
            (m, _) if m.starts_with("text/") => FileType::Document,
            _ => FileType::Other,
        }
    }

    /// Its name in URLs and the API (`kind=pdf`).
    pub fn as_str(self) -> &'static str {
        match self {
            FileType::Folder => "folder",
            FileType::Document => "document",
            FileType::Pdf => "pdf",
            FileType::Image => "image",
            FileType::Audio => "audio",
            FileType::Video => "video",
            FileType::Archive => "archive",
            FileType::Code => "code",
            FileType::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// For people, in the filter.
    pub fn label(self) -> &'static str {
        match self {
            FileType::Folder => "Folders",
            FileType::Document => "Documents",
            FileType::Pdf => "PDFs",
            FileType::Image => "Images",
            FileType::Audio => "Audio",
            FileType::Video => "Video",
            FileType::Archive => "Archives",
            FileType::Code => "Code",
            FileType::Other => "Other",
        }
    }
}

/// Whose items to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OwnerFilter {
    Me,
    Others,
}

/// A search: words (quotes for a phrase) and filters, all optional but not all empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    pub kind: Option<FileType>,
    pub mime: Option<String>,
    pub min_size: Option<u64>,
    pub max_size: Option<u64>,
    /// Unix seconds.
    pub modified_after: Option<i64>,
    pub modified_before: Option<i64>,
    pub owner: Option<OwnerFilter>,
    /// Only what others shared with me.
    #[serde(default)]
    pub shared: bool,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// A piece of a snippet: matched words are `hit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub entry: EntryDto,
    /// The folder it is in, as the searcher sees it (`My files / Projects`).
    pub path: String,
    /// The folder it is in (to open it there).
    pub parent_id: Option<uuid::Uuid>,
    /// The owner's name when it is someone else's.
    pub owner: Option<String>,
    /// Words around the match in its text; empty when only the name matched.
    pub snippet: Vec<SnippetPart>,
}

/// A page of results, best first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    /// Matches in all (an estimate when some turn out not to be visible).
    pub total: u64,
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_get_the_kind_the_type_filter_offers() {
        let kind = |mime: Option<&str>, name| FileType::of(false, mime, name);
        assert_eq!(FileType::of(true, None, "Photos"), FileType::Folder);
        assert_eq!(kind(Some("application/pdf"), "x"), FileType::Pdf);
        assert_eq!(kind(None, "Report.PDF"), FileType::Pdf);
        assert_eq!(kind(Some("image/jpeg"), "a.jpg"), FileType::Image);
        assert_eq!(kind(Some("audio/wav"), "a.wav"), FileType::Audio);
        assert_eq!(kind(None, "notes.docx"), FileType::Document);
        assert_eq!(kind(Some("text/plain"), "notes.txt"), FileType::Document);
        assert_eq!(kind(None, "main.rs"), FileType::Code);
        assert_eq!(kind(None, "backup.tar.gz"), FileType::Archive);
        assert_eq!(
            kind(Some("application/octet-stream"), "blob.bin"),
            FileType::Other
        );
        for k in FileType::ALL {
            assert_eq!(FileType::parse(k.as_str()), Some(k));
        }
    }
}
