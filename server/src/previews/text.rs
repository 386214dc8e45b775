//! Text and code: the first lines drawn as a small SVG card (the browser sets the type, so no
//! font is needed here). Everything taken from the file is escaped; nothing in it can run.

use super::{Refusal, Rendered};

const LINES: usize = 15;
const COLUMNS: usize = 40;
/// Only the start of a file is looked at.
const HEAD: usize = 8 * 1024;

/// The card for a text file's first lines (the same card serves every size).
pub fn card(data: &[u8]) -> Result<Rendered, Refusal> {
    let text = decode_head(data)?;
    let mut svg = String::from(concat!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">"##,
        r##"<rect width="256" height="256" fill="#ffffff"/>"##,
        r##"<g font-family="ui-monospace,Menlo,Consolas,monospace" font-size="11" fill="#334155">"##,
    ));
    for (i, line) in text.lines().take(LINES).enumerate() {
        let line: String = line
            .replace('\t', "    ")
            .chars()
            .filter(|c| !c.is_control())
            .take(COLUMNS)
            .collect();
        if line.trim().is_empty() {
            continue;
        }
        svg.push_str(&format!(
            r#"<text x="10" y="{}" xml:space="preserve">{}</text>"#,
            20 + i * 15,
            escape(&line)
        ));
    }
    svg.push_str("</g></svg>");
    Ok(Rendered {
        size: 256,
        content_type: "image/svg+xml",
        bytes: svg.into_bytes(),
    })
}

/// The start of the file as text; a file with NUL bytes (and no UTF-16 mark) is not text.
fn decode_head(data: &[u8]) -> Result<String, Refusal> {
    let head = &data[..data.len().min(HEAD)];
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    if !utf16 && head.contains(&0) {
        return Err(Refusal("the file is not text".into()));
    }
    Ok(decode(head))
}

/// Text from bytes: UTF-16 with its byte order mark, else UTF-8 (invalid bytes shown as �).
pub fn decode(bytes: &[u8]) -> String {
    let utf16 = |rest: &[u8], from: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest.chunks_exact(2).map(|c| from([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// Text made safe inside HTML or SVG markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_the_file_is_escaped() {
        let card = card(b"<script>alert(1)</script>\nfn main() {}\n").expect("text");
        let svg = String::from_utf8(card.bytes).expect("utf8");
        assert!(!svg.contains("<script"));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("fn main() {}"));
    }

    #[test]
    fn binary_is_not_text_and_utf16_is() {
        assert!(card(b"\x7fELF\0\0\0").is_err());
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("héllo".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let svg = String::from_utf8(card(&utf16).expect("text").bytes).expect("utf8");
        assert!(svg.contains("héllo"));
    }
}
