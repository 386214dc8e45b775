//! Plain text, Markdown and code: the encoding is found (byte order mark, valid UTF-8,
//! UTF-16 told by its NUL bytes, else a guess by chardetng) and only as much of the file is
//! decoded as the limit needs.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use super::{limits::cut, Extracted, Refusal};

/// How much of the start of a file is looked at to tell text from binary and guess the
/// encoding.
const HEAD: usize = 64 * 1024;
/// Input decoded per step, so that no more than the limit needs is decoded.
const CHUNK: usize = 64 * 1024;

/// The text of a plain text file.
pub fn extract(data: &[u8], limit: usize) -> Result<Extracted, Refusal> {
    let (encoding, bom) = sniff(data)?;
    Ok(decode(&data[bom..], encoding, limit))
}

/// The file's encoding and the length of its byte order mark, or a refusal when the bytes
/// look binary.
fn sniff(data: &[u8]) -> Result<(&'static Encoding, usize), Refusal> {
    if let Some(found) = Encoding::for_bom(data) {
        return Ok(found);
    }
    let head = &data[..data.len().min(HEAD)];
    if let Some(utf16) = utf16_without_bom(head) {
        return Ok((utf16, 0));
    }
    if looks_binary(head) {
        return Err(Refusal("the file is not text".into()));
    }
    Ok((guess(head, head.len() == data.len()), 0))
}

/// The encoding of bytes without a byte order mark: UTF-8 when they are valid UTF-8 (a
/// character cut by the end of `head` is fine when `whole` is false), else chardetng's guess.
pub fn guess(head: &[u8], whole: bool) -> &'static Encoding {
    match std::str::from_utf8(head) {
        Ok(_) => return UTF_8,
        Err(e) if !whole && e.error_len().is_none() => return UTF_8,
        Err(_) => {}
    }
    // ISO-2022-JP is a risk only for pages that run scripts; this text is only indexed.
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Allow);
    detector.feed(head, whole);
    detector.guess(None, Utf8Detection::Deny)
}

/// UTF-16 without a byte order mark, told by the zero high bytes of Latin characters: in
/// text mostly made of them, every other byte is NUL and the bytes between are not.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let units = head.len() / 2;
    if units < 2 {
        return None;
    }
    let nuls = |skip: usize| {
        head.iter()
            .skip(skip)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nuls(0), nuls(1));
    let many = |n: usize| n * 10 >= units * 3;
    let few = |n: usize| n * 20 <= units;
    if many(odd) && few(even) {
        Some(UTF_16LE)
    } else if many(even) && few(odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Bytes that are not text in any encoding: NULs, or many control characters.
fn looks_binary(head: &[u8]) -> bool {
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    head.contains(&0) || controls * 10 > head.len()
}

/// At most `limit` bytes of text decoded from the start of `data`; decoding stops as soon
/// as the limit is passed.
pub fn decode(data: &[u8], encoding: &'static Encoding, limit: usize) -> Extracted {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::new();
    let mut rest = data;
    while !rest.is_empty() && out.len() <= limit {
        let chunk = &rest[..rest.len().min(CHUNK)];
        let last = chunk.len() == rest.len();
        // A 64 KiB chunk's worst case is about 192 KiB: no overflow is possible here.
        out.reserve(
            decoder
                .max_utf8_buffer_length(chunk.len())
                .unwrap_or(CHUNK * 3),
        );
        let (_, read, _) = decoder.decode_to_string(chunk, &mut out, last);
        rest = &rest[read..];
    }
    let truncated = out.len() > limit || !rest.is_empty();
    let kept = cut(&out, limit).len();
    out.truncate(kept);
    Extracted {
        text: out,
        truncated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &[u8]) -> String {
        extract(data, 1000).map(|e| e.text).unwrap_or_default()
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_recognised() {
        let le: Vec<u8> = "plain words"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "plain words"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(text(&le), "plain words");
        assert_eq!(text(&be), "plain words");
    }

    #[test]
    fn nul_bytes_and_control_characters_are_not_text() {
        assert_eq!(
            extract(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0", 100),
            Err(Refusal("the file is not text".into()))
        );
        assert!(extract(&[1, 2, 3, 4, 5, 6, 7, 8, b'a', b'b'], 100).is_err());
    }

    #[test]
    fn a_long_file_is_decoded_only_up_to_the_limit() {
        let data = "ü".repeat(1_000_000);
        let done = extract(data.as_bytes(), 5).expect("text");
        assert_eq!(done.text, "üü");
        assert!(done.truncated);
        let done = extract("ab".as_bytes(), 2).expect("text");
        assert!(!done.truncated);
    }

    #[test]
    fn an_empty_file_is_empty_text() {
        assert_eq!(
            extract(b"", 10),
            Ok(Extracted {
                text: String::new(),
                truncated: false
            })
        );
    }
}
