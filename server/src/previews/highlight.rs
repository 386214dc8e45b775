//! Text and code for the viewer: the file's first 512 KB, highlighted by syntect as HTML with
//! classes (the file's text is escaped; the page's stylesheet colours the classes).

use std::sync::OnceLock;

use app::dto::TextPreview;
use syntect::{
    html::{ClassStyle, ClassedHTMLGenerator},
    parsing::SyntaxSet,
    util::LinesWithEndings,
};

use super::text::{decode, escape};
use crate::{entities::node, error::ServiceError, files::versions, storage::BlobStore};

/// The most of a file the viewer shows.
const MAX_BYTES: u64 = 512 * 1024;
/// Longer files are shown plain: highlighting them would take too long.
const MAX_HIGHLIGHTED_LINES: usize = 5_000;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The viewer's text of `file`.
pub async fn preview(
    db: &sea_orm::DatabaseConnection,
    blobs: &BlobStore,
    file: &node::Model,
) -> Result<TextPreview, ServiceError> {
    let (_, blob) = versions::version_blob(db, file, None).await?;
    let end = (blob.size as u64).min(MAX_BYTES);
    let bytes = if end == 0 {
        Vec::new()
    } else {
        blobs.get_range(&blob.storage_key, 0..end).await?.to_vec()
    };
    let truncated = (blob.size as u64) > end;
    let name = file.name.clone();
    let html = tokio::task::spawn_blocking(move || highlight(&name, &decode(&bytes))).await?;
    Ok(TextPreview { html, truncated })
}

/// `text` as HTML: highlighted by the syntax its name suggests, else escaped plain text.
pub fn highlight(name: &str, text: &str) -> String {
    let set = syntaxes();
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let syntax = set
        .find_syntax_by_extension(ext)
        .filter(|_| text.lines().count() <= MAX_HIGHLIGHTED_LINES);
    let Some(syntax) = syntax else {
        return escape(text);
    };
    let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
    let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, set, style);
    for line in LinesWithEndings::from(text) {
        if html
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return escape(text);
        }
    }
    html.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_highlighted_and_markup_escaped() {
        let html = highlight("main.rs", "fn main() { let s = \"<b>\"; }\n");
        assert!(
            html.contains("hl-keyword") || html.contains("hl-storage"),
            "{html}"
        );
        assert!(html.contains("&lt;b&gt;"));
        assert!(!html.contains("<b>"));
        let plain = highlight("notes.unknownext", "<script>x</script>");
        assert_eq!(plain, "&lt;script&gt;x&lt;/script&gt;");
    }
}
