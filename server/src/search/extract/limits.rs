//! The bounds every extractor keeps to, and [`Text`]: the size-limited text being collected,
//! which puts a single separator between words from different paragraphs, cells or rows so
//! that they never run together.

use super::Extracted;

/// At most this many bytes are decompressed from one document, all parts together.
pub const MAX_EXPANDED: u64 = 200 * 1024 * 1024;
/// At most this many bytes are decompressed from one part (one XML file in the zip).
pub const MAX_PART: u64 = 100 * 1024 * 1024;
/// A document whose zip has more entries than this is not opened.
pub const MAX_ENTRIES: usize = 10_000;
/// At most this many parts of one document are read (sheets, headers, footers…).
pub const MAX_PARTS: usize = 1_000;
/// One XML event (a tag with its attributes, or a run of text) may be at most this long.
pub const MAX_EVENT: u64 = 4 * 1024 * 1024;
/// XML may nest at most this deep.
pub const MAX_DEPTH: usize = 1_000;
/// An element name longer than this is not a real document's.
pub const MAX_NAME: usize = 1_024;
/// At most this many bytes of an HTML file are looked at (decoded, up to three times that).
pub const MAX_MARKUP: usize = 16 * 1024 * 1024;

/// What separates two pieces of text, weakest first: when several come between two words,
/// the strongest is written (a row end beats the cell end before it, which beats the
/// paragraph end inside that cell).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Break {
    /// Nothing: the next text follows directly.
    None,
    /// A space between words.
    Space,
    /// A line break: a paragraph or line ends.
    Line,
    /// A tab: a table cell ends.
    Cell,
    /// A line break: a table row, sheet or section ends.
    Row,
}

/// Text being collected, never longer than its limit.
#[derive(Debug)]
pub struct Text {
    out: String,
    limit: usize,
    truncated: bool,
    pending: Break,
}

impl Text {
    /// Empty text that will hold at most `limit` bytes.
    pub fn new(limit: usize) -> Self {
        Self {
            out: String::new(),
            limit,
            truncated: false,
            pending: Break::None,
        }
    }

    /// Whether text has already been left out: the extractor can stop reading.
    pub fn is_full(&self) -> bool {
        self.truncated
    }

    /// Asks for a separator before the next piece of text (none at the very start).
    pub fn separate(&mut self, brk: Break) {
        self.pending = self.pending.max(brk);
    }

    /// Adds text as it is, after any pending separator; what does not fit is left out.
    pub fn push(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.truncated {
            return;
        }
        let sep = match self.pending {
            _ if self.out.is_empty() => "",
            Break::None => "",
            Break::Space => " ",
            Break::Line | Break::Row => "\n",
            Break::Cell => "\t",
        };
        self.pending = Break::None;
        let room = self.limit - self.out.len();
        if sep.len() + text.len() <= room {
            self.out.push_str(sep);
            self.out.push_str(text);
            return;
        }
        self.truncated = true;
        if sep.len() < room {
            self.out.push_str(sep);
            self.out.push_str(cut(text, room - sep.len()));
        }
    }

    /// Adds text whose runs of whitespace count as one space (HTML, ODF).
    pub fn push_collapsed(&mut self, text: &str) {
        let mut rest = text;
        while !rest.is_empty() {
            let word_end = rest.find(is_space).unwrap_or(rest.len());
            self.push(&rest[..word_end]);
            rest = &rest[word_end..];
            let space_end = rest.find(|c| !is_space(c)).unwrap_or(rest.len());
            if space_end > 0 {
                self.separate(Break::Space);
            }
            rest = &rest[space_end..];
        }
    }

    /// The text collected, and whether some was left out.
    pub fn finish(self) -> Extracted {
        Extracted {
            text: self.out,
            truncated: self.truncated,
        }
    }
}

/// Whitespace that separates words (non-breaking spaces too, as people read them).
fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// The longest start of `text` of at most `max` bytes that ends on a character boundary.
pub fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strongest_separator_between_two_words_is_written_once() {
        let mut text = Text::new(100);
        text.separate(Break::Row);
        text.push("a");
        text.separate(Break::Line);
        text.separate(Break::Cell);
        text.push("b");
        text.separate(Break::Cell);
        text.separate(Break::Row);
        text.push("c");
        text.push_collapsed("  d \n e");
        assert_eq!(text.finish().text, "a\tb\nc d e");
    }

    #[test]
    fn text_is_cut_at_the_limit_on_a_character_boundary() {
        let mut text = Text::new(5);
        text.push("ab");
        text.push("ééé");
        assert!(text.is_full());
        let done = text.finish();
        assert_eq!(done.text, "abé");
        assert!(done.truncated);
    }

    #[test]
    fn text_that_fits_exactly_is_not_truncated() {
        let mut text = Text::new(3);
        text.push("abc");
        text.separate(Break::Row);
        assert_eq!(
            text.finish(),
            Extracted {
                text: "abc".into(),
                truncated: false
            }
        );
    }
}
