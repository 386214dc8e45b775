//! Text extraction for the search index: the plain text of a file's bytes (text and code,
//! HTML, DOCX, ODT, XLSX, ODS), at most a given number of bytes of it. Files are untrusted:
//! zip bombs, huge or deeply nested XML and damaged files are refused or cut short within
//! bounded memory and time (the bounds are in `limits`); nothing here panics on bad input.

mod entities;
mod html;
mod limits;
mod office;
mod package;
mod plain;
mod rels;
mod sheets;

/// What the text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text, Markdown and source code.
    Plain,
    /// An HTML page.
    Html,
    /// A Word document.
    Docx,
    /// An OpenDocument text.
    Odt,
    /// An Excel workbook.
    Xlsx,
    /// An OpenDocument spreadsheet.
    Ods,
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const ODT: &str = "application/vnd.oasis.opendocument.text";
const ODS: &str = "application/vnd.oasis.opendocument.spreadsheet";

/// Extensions of text files and source code (Markdown included).
#[rustfmt::skip]
const PLAIN: &[&str] = &[
    "txt", "text", "md", "markdown", "csv", "tsv", "log", "json", "jsonl", "yaml", "yml",
    "toml", "xml", "ini", "cfg", "conf", "env", "properties", "rs", "py", "js", "mjs", "cjs",
    "ts", "jsx", "tsx", "go", "java", "c", "h", "cpp", "hpp", "cc", "hh", "cxx", "cs", "rb",
    "php", "sh", "bash", "zsh", "fish", "ps1", "bat", "sql", "css", "scss", "sass", "less",
    "kt", "kts", "swift", "lua", "pl", "pm", "r", "tex", "bib", "rst", "adoc", "asciidoc",
    "org", "vue", "svelte", "dart", "scala", "clj", "ex", "exs", "erl", "hs", "ml", "fs", "nim",
    "zig", "jl", "m", "mm", "gradle", "cmake", "mk", "dockerfile", "graphql", "proto", "srt",
    "vtt", "diff", "patch",
];

/// Types of text that are not under `text/`.
const PLAIN_TYPES: &[&str] = &[
    "application/json",
    "application/ld+json",
    "application/xml",
    "application/javascript",
    "application/x-javascript",
    "application/x-sh",
    "application/x-yaml",
    "application/yaml",
    "application/toml",
    "application/sql",
];

impl Format {
    /// From the MIME type and the file name's extension; `None` when the file has no text to
    /// extract (images, PDFs, video, archives…). The content itself is checked by [`extract`].
    pub fn of(mime: Option<&str>, name: &str) -> Option<Format> {
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let mime = mime
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match (mime.as_str(), ext.as_str()) {
            (DOCX, _) | (_, "docx") => Some(Format::Docx),
            (ODT, _) | (_, "odt") => Some(Format::Odt),
            (XLSX, _) | (_, "xlsx") => Some(Format::Xlsx),
            (ODS, _) | (_, "ods") => Some(Format::Ods),
            (m, _) if is_binary_type(m) => None,
            ("text/html" | "application/xhtml+xml", _) | (_, "html" | "htm" | "xhtml") => {
                Some(Format::Html)
            }
            (m, _) if m.starts_with("text/") || PLAIN_TYPES.contains(&m) => Some(Format::Plain),
            (_, e) if PLAIN.contains(&e) => Some(Format::Plain),
            _ => None,
        }
    }
}

/// Whether a MIME type is of a kind that never holds text to extract.
fn is_binary_type(mime: &str) -> bool {
    ["image/", "audio/", "video/", "font/"]
        .iter()
        .any(|t| mime.starts_with(t))
        || mime == "application/pdf"
}

/// Extracted text: at most `limit` bytes of UTF-8 (cut at a character boundary), and
/// whether it was cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The text, words of different paragraphs, cells and rows separated by whitespace.
    pub text: String,
    /// Whether the file has more text than was returned.
    pub truncated: bool,
}

/// Why a file has no text, for people (e.g. "the file is not text", "the document is
/// damaged", "the document expands to more than 200 MB").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

/// The text of `data` in this format, at most `limit` bytes.
pub fn extract(format: Format, data: &[u8], limit: usize) -> Result<Extracted, Refusal> {
    if data.is_empty() {
        return Ok(Extracted {
            text: String::new(),
            truncated: false,
        });
    }
    match format {
        Format::Plain => plain::extract(data, limit),
        Format::Html => html::extract(data, limit),
        Format::Docx => office::docx(data, limit),
        Format::Odt => office::odt(data, limit),
        Format::Xlsx => sheets::xlsx(data, limit),
        Format::Ods => sheets::ods(data, limit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_type_or_the_extension() {
        assert_eq!(Format::of(Some("text/plain"), "notes"), Some(Format::Plain));
        assert_eq!(Format::of(None, "README.MD"), Some(Format::Plain));
        assert_eq!(Format::of(None, "main.rs"), Some(Format::Plain));
        assert_eq!(
            Format::of(Some("text/html; charset=utf-8"), "x"),
            Some(Format::Html)
        );
        assert_eq!(Format::of(None, "index.htm"), Some(Format::Html));
        assert_eq!(Format::of(Some(DOCX), "x"), Some(Format::Docx));
        assert_eq!(
            Format::of(Some("application/zip"), "Report.DOCX"),
            Some(Format::Docx)
        );
        assert_eq!(Format::of(None, "a.odt"), Some(Format::Odt));
        assert_eq!(Format::of(Some(XLSX), "a"), Some(Format::Xlsx));
        assert_eq!(Format::of(None, "a.ods"), Some(Format::Ods));
        assert_eq!(Format::of(Some("image/png"), "photo.png"), None);
        assert_eq!(Format::of(Some("application/pdf"), "a.pdf"), None);
        assert_eq!(Format::of(None, "archive.zip"), None);
        assert_eq!(Format::of(None, "Makefile"), None);
        assert_eq!(Format::of(Some("image/svg+xml"), "logo.xml"), None);
    }

    #[test]
    fn empty_files_have_empty_text() {
        for format in [Format::Plain, Format::Html, Format::Docx, Format::Xlsx] {
            assert_eq!(extract(format, b"", 10).map(|e| e.text), Ok(String::new()));
        }
    }
}
