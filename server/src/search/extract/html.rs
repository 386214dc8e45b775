//! HTML: the words a reader sees. Tags, comments, scripts, styles and the head (except its
//! title) are dropped, character references are decoded, and block elements (paragraphs,
//! list items, table cells…) keep their words apart. The scanner is forgiving, as browsers
//! are: broken markup still gives its text.

use encoding_rs::Encoding;

use super::{
    entities,
    limits::{Break, Text, MAX_MARKUP},
    plain, Extracted, Refusal,
};

/// Where a `<meta charset>` is looked for.
const META_HEAD: usize = 4096;
/// Elements whose content is not text for people: skipped up to their end tag.
const HIDDEN: &[&str] = &[
    "script", "style", "template", "noscript", "iframe", "object",
];
/// Elements that may stand in the head; any other start tag means the body has begun.
const HEAD_ONLY: &[&str] = &[
    "base", "link", "meta", "title", "script", "style", "noscript",
];
/// Elements that start on a new line.
#[rustfmt::skip]
const BLOCKS: &[&str] = &[
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hr", "legend", "li", "main", "nav", "ol",
    "option", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "ul",
];

/// The text of an HTML page.
pub fn extract(data: &[u8], limit: usize) -> Result<Extracted, Refusal> {
    let markup = &data[..data.len().min(MAX_MARKUP)];
    let (encoding, bom) = match Encoding::for_bom(markup) {
        Some(found) => found,
        None if markup[..markup.len().min(META_HEAD)].contains(&0) => {
            return Err(Refusal("the file is not text".into()));
        }
        None => (charset(markup), 0),
    };
    let (html, _) = encoding.decode_without_bom_handling(&markup[bom..]);
    let mut text = Text::new(limit);
    scan(&html, &mut text);
    let mut done = text.finish();
    done.truncated |= markup.len() < data.len();
    Ok(done)
}

/// The page's encoding: the one its `<meta charset>` names, else valid UTF-8, else a guess.
fn charset(markup: &[u8]) -> &'static Encoding {
    let head = &markup[..markup.len().min(META_HEAD)];
    let lower = head.to_ascii_lowercase();
    let declared = lower
        .windows(8)
        .position(|w| w == b"charset=")
        .and_then(|at| {
            let rest = &head[at + 8..];
            let rest = &rest[rest
                .iter()
                .position(|b| !matches!(b, b'"' | b'\'' | b' '))
                .unwrap_or(rest.len())..];
            let end = rest
                .iter()
                .position(|b| {
                    !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                })
                .unwrap_or(rest.len());
            Encoding::for_label(&rest[..end])
        });
    match declared {
        // A page that says UTF-16 but was read as ASCII bytes is UTF-8, as browsers take it.
        Some(encoding) => encoding.output_encoding(),
        None => plain::guess(head, head.len() == markup.len()),
    }
}

/// What the scanner is inside of.
#[derive(Default)]
struct Place {
    head: bool,
    title: bool,
}

impl Place {
    /// Whether text here is shown to people.
    fn shows(&self) -> bool {
        !self.head || self.title
    }
}

/// Walks the markup, writing the shown text into `text`.
fn scan(html: &str, text: &mut Text) {
    let bytes = html.as_bytes();
    let mut place = Place::default();
    let mut at = 0;
    while at < bytes.len() && !text.is_full() {
        at = match bytes[at] {
            b'<' => markup(html, at, &mut place, text),
            b'&' => reference(html, at, &place, text),
            _ => {
                let end = bytes[at..]
                    .iter()
                    .position(|&b| b == b'<' || b == b'&')
                    .map_or(bytes.len(), |p| at + p);
                if place.shows() {
                    text.push_collapsed(&html[at..end]);
                }
                end
            }
        };
    }
}

/// Handles the markup starting at `at` (a `<`); returns where the text goes on.
fn markup(html: &str, at: usize, place: &mut Place, text: &mut Text) -> usize {
    let bytes = html.as_bytes();
    let rest = &html[at..];
    if let Some(comment) = rest.strip_prefix("<!--") {
        return comment.find("-->").map_or(bytes.len(), |p| at + 4 + p + 3);
    }
    let closing = rest.starts_with("</");
    let name_start = at + if closing { 2 } else { 1 };
    let name_len = bytes[name_start..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b':')))
        .unwrap_or(bytes.len() - name_start);
    if matches!(bytes.get(at + 1), Some(b'!' | b'?')) || (closing && name_len == 0) {
        return bytes[at..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(bytes.len(), |p| at + p + 1);
    }
    if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
        if place.shows() {
            text.push("<");
        }
        return at + 1;
    }
    // Names that long are no element this cares about.
    let name = match name_len {
        0..=16 => html[name_start..name_start + name_len].to_ascii_lowercase(),
        _ => String::new(),
    };
    let end = tag_end(bytes, name_start + name_len);
    let name = name.as_str();
    if !closing && HIDDEN.contains(&name) {
        return hidden_end(html, end, name);
    }
    match (closing, name) {
        (false, "head") => place.head = true,
        (true, "head") => place.head = false,
        (_, "title") => {
            place.title = !closing;
            text.separate(Break::Row);
        }
        (_, "td" | "th") => text.separate(Break::Cell),
        (_, "tr") => text.separate(Break::Row),
        (_, n) if BLOCKS.contains(&n) => text.separate(Break::Line),
        _ => {}
    }
    if !closing && !HEAD_ONLY.contains(&name) && name != "head" {
        place.head = false;
    }
    end
}

/// Where a tag whose name ends at `from` ends: after its `>`, skipping quoted attribute values.
fn tag_end(bytes: &[u8], mut from: usize) -> usize {
    while from < bytes.len() {
        match bytes[from] {
            b'>' => return from + 1,
            b'=' => {
                from += 1;
                while bytes.get(from).is_some_and(u8::is_ascii_whitespace) {
                    from += 1;
                }
                if let Some(&quote @ (b'"' | b'\'')) = bytes.get(from) {
                    from = bytes[from + 1..]
                        .iter()
                        .position(|&b| b == quote)
                        .map_or(bytes.len(), |p| from + 1 + p + 1);
                }
            }
            _ => from += 1,
        }
    }
    bytes.len()
}

/// Where the content of a hidden element (a script, a style) that starts at `from` ends:
/// after its end tag, or at the end of the page.
fn hidden_end(html: &str, mut from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    while let Some(p) = html[from..].find("</") {
        let name_at = from + p + 2;
        let candidate = &bytes[name_at..bytes.len().min(name_at + name.len())];
        if candidate.eq_ignore_ascii_case(name.as_bytes()) {
            return tag_end(bytes, name_at + name.len());
        }
        from = name_at;
    }
    bytes.len()
}

/// Handles the character reference starting at `at` (a `&`); returns where the text goes on.
fn reference(html: &str, at: usize, place: &Place, text: &mut Text) -> usize {
    let rest = &html.as_bytes()[at + 1..];
    let decoded = rest
        .iter()
        .take(32)
        .position(|&b| b == b';')
        .and_then(|len| {
            let name = &html[at + 1..at + 1 + len];
            let value = match name.strip_prefix('#') {
                Some(digits) if is_number(digits) => entities::numeric(digits).map(String::from),
                Some(_) => None,
                None => entities::named(name).map(String::from),
            };
            value.map(|v| (v, at + 1 + len + 1))
        });
    match decoded {
        Some((value, next)) => {
            if place.shows() {
                text.push_collapsed(&value);
            }
            next
        }
        None => {
            if place.shows() {
                text.push("&");
            }
            at + 1
        }
    }
}

/// Whether a numeric reference's digits are decimal, or hex after an `x`.
fn is_number(digits: &str) -> bool {
    match digits.strip_prefix(['x', 'X']) {
        Some(hex) => !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()),
        None => !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        extract(html.as_bytes(), 10_000)
            .map(|e| e.text)
            .unwrap_or_default()
    }

    #[test]
    fn tags_go_and_blocks_keep_words_apart() {
        assert_eq!(
            text("<p>one</p><p>two</p><ul><li>three<li>four</ul>x<b>y</b>z"),
            "one\ntwo\nthree\nfour\nxyz"
        );
        assert_eq!(text("<table><tr><td>a<td>b<tr><td>c</table>"), "a\tb\nc");
    }

    #[test]
    fn scripts_styles_comments_and_the_head_are_dropped() {
        let page = "<html><head><meta charset=utf-8><title>T &amp; C</title>\
            <style>p{}</style><script>if (a</b) x()</script></head>\
            <body><!-- hidden -->shown<SCRIPT type='a>b'>nope</Script > too</body></html>";
        assert_eq!(text(page), "T & C\nshown too");
    }

    #[test]
    fn references_and_stray_ampersands() {
        assert_eq!(
            text("caf&eacute; &#233;&#xE9; a&nbsp;b &unknown; R&D 1 < 2"),
            "café éé a b &unknown; R&D 1 < 2"
        );
    }

    #[test]
    fn the_declared_charset_is_used() {
        let mut page = b"<meta charset=\"windows-1252\"><p>caf".to_vec();
        page.push(0xE9);
        assert_eq!(extract(&page, 100).map(|e| e.text), Ok("café".into()));
    }

    #[test]
    fn broken_markup_still_gives_its_text() {
        assert_eq!(text("<p class=\"a>b\">in</p><div"), "in");
        assert_eq!(text("<script>never closed"), "");
        assert_eq!(text("<!-- never closed"), "");
    }
}
