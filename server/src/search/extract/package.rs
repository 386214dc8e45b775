//! Zip packages (DOCX, XLSX, ODT, ODS) and the XML parts inside them, read within bounds:
//! a limited number of entries and parts, decompressed bytes counted as they are read (the
//! sizes a zip declares can lie), XML events of limited size and nesting depth.

use std::{
    borrow::Cow,
    io::{self, BufReader, Cursor, Read},
};

use quick_xml::{
    events::{BytesStart, Event},
    Reader, XmlVersion,
};
use zip::{read::ZipFile, result::ZipError, ZipArchive};

use super::{
    limits::{MAX_DEPTH, MAX_ENTRIES, MAX_EVENT, MAX_EXPANDED, MAX_NAME, MAX_PART, MAX_PARTS},
    Refusal,
};

/// What a document in memory is read from.
type Source<'d> = Cursor<&'d [u8]>;

/// The refusal for a document that cannot be read as what it claims to be.
pub fn damaged() -> Refusal {
    Refusal("the document is damaged".into())
}

/// An opened zip package.
pub struct Package<'d> {
    archive: ZipArchive<Source<'d>>,
    /// Decompressed bytes that may still be read, all parts together.
    left: u64,
    /// Parts opened so far.
    opened: usize,
}

impl<'d> Package<'d> {
    /// Opens the package, refusing what is not a zip or has too many entries.
    pub fn open(data: &'d [u8]) -> Result<Self, Refusal> {
        // Encrypted Office documents and the old binary formats are OLE files, not zips.
        if data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Err(Refusal(
                "the document is encrypted or in an old format that is not supported".into(),
            ));
        }
        let archive = ZipArchive::new(Cursor::new(data)).map_err(refusal)?;
        if archive.len() > MAX_ENTRIES {
            return Err(Refusal(format!(
                "the document has more than {MAX_ENTRIES} parts"
            )));
        }
        Ok(Self {
            archive,
            left: MAX_EXPANDED,
            opened: 0,
        })
    }

    /// The names of the entries in the package.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.archive.file_names()
    }

    /// The XML part with this name, or `None` when the package has no such entry.
    pub fn part(&mut self, name: &str) -> Result<Option<Part<'_, 'd>>, Refusal> {
        if self.opened >= MAX_PARTS {
            return Err(Refusal("the document has too many parts to read".into()));
        }
        let file = match self.archive.by_name(name) {
            Ok(file) => file,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(refusal(e)),
        };
        self.opened += 1;
        // The size the zip declares is not trusted, nor used to refuse early: a large part
        // whose first megabytes hold enough text is fine. The guard counts what comes out.
        let guard = Guard {
            file,
            left: &mut self.left,
            part_left: MAX_PART,
            event: 0,
            tripped: None,
        };
        let mut reader = Reader::from_reader(BufReader::with_capacity(64 * 1024, guard));
        let config = reader.config_mut();
        // Be as forgiving as a word processor: text matters here, not validity.
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.allow_dangling_amp = true;
        Ok(Some(Part {
            reader,
            buf: Vec::new(),
            depth: 0,
        }))
    }
}

/// A zip error as a refusal people understand.
fn refusal(e: ZipError) -> Refusal {
    match e {
        ZipError::UnsupportedArchive(ZipError::PASSWORD_REQUIRED) | ZipError::InvalidPassword => {
            Refusal("the document is encrypted".into())
        }
        ZipError::UnsupportedArchive(_) => {
            Refusal("the document is compressed in a way that is not supported".into())
        }
        _ => damaged(),
    }
}

/// The refusal for a document whose parts together expand past the limit.
fn too_big() -> Refusal {
    Refusal(format!(
        "the document expands to more than {} MB",
        MAX_EXPANDED / 1024 / 1024
    ))
}

/// The refusal for a document with one part that expands past the limit.
fn too_big_part() -> Refusal {
    Refusal(format!(
        "a part of the document expands to more than {} MB",
        MAX_PART / 1024 / 1024
    ))
}

/// Counts the bytes coming out of a zip entry and stops them at the limits.
struct Guard<'a, 'd> {
    file: ZipFile<'a, Source<'d>>,
    left: &'a mut u64,
    part_left: u64,
    /// Bytes read since the last XML event.
    event: u64,
    /// Why reading stopped, when a limit did it.
    tripped: Option<Refusal>,
}

impl Read for Guard<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        let got = n as u64;
        let over = if got > self.part_left {
            Some(too_big_part())
        } else if got > *self.left {
            Some(too_big())
        } else if self.event + got > MAX_EVENT {
            Some(Refusal(format!(
                "the document has a single piece of text or markup larger than {} MB",
                MAX_EVENT / 1024 / 1024
            )))
        } else {
            None
        };
        if let Some(reason) = over {
            self.tripped = Some(reason);
            return Err(io::Error::other("a limit was reached"));
        }
        self.part_left -= got;
        *self.left -= got;
        self.event += got;
        Ok(n)
    }
}

/// An XML part being read, event by event.
pub struct Part<'a, 'd> {
    reader: Reader<BufReader<Guard<'a, 'd>>>,
    buf: Vec<u8>,
    depth: usize,
}

impl Part<'_, '_> {
    /// The next event, or `None` at the end of the part.
    pub fn next(&mut self) -> Result<Option<Event<'_>>, Refusal> {
        self.reader.get_mut().get_mut().event = 0;
        self.buf.clear();
        let event = match self.reader.read_event_into(&mut self.buf) {
            Ok(event) => event,
            Err(_) => {
                let tripped = self.reader.get_mut().get_mut().tripped.take();
                return Err(tripped.unwrap_or_else(damaged));
            }
        };
        match &event {
            Event::Start(start) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(Refusal(format!(
                        "the document is nested more than {MAX_DEPTH} levels deep"
                    )));
                }
                // Open element names are kept by the parser: long ones would add up.
                if start.name().as_ref().len() > MAX_NAME {
                    return Err(damaged());
                }
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Eof => return Ok(None),
            _ => {}
        }
        Ok(Some(event))
    }

    /// Skips the rest of the element whose start was the last event.
    pub fn skip(&mut self) -> Result<(), Refusal> {
        let depth = self.depth;
        loop {
            let ended = match self.next()? {
                None => return Ok(()),
                Some(event) => matches!(event, Event::End(_)),
            };
            if ended && self.depth < depth {
                return Ok(());
            }
        }
    }
}

/// The local name of an element (`t` for `w:t`).
pub fn local<'e>(start: &'e BytesStart<'_>) -> &'e str {
    start.local_name().into_inner()
}

/// The value of the attribute with this local name (`name` for `table:name`).
pub fn attribute(start: &BytesStart<'_>, name: &str) -> Option<String> {
    start
        .attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(Cow::into_owned)
}

/// The characters of a text event, a CDATA section or a character or entity reference.
pub fn text<'e>(event: &'e Event<'_>) -> Option<Cow<'e, str>> {
    match event {
        Event::Text(text) => Some(text.xml10_content()),
        Event::CData(data) => Some(data.xml10_content()),
        Event::GeneralRef(reference) => Some(match reference.resolve_char_ref() {
            Ok(Some(c)) => Cow::Owned(c.to_string()),
            Err(_) => Cow::Borrowed("\u{FFFD}"),
            Ok(None) => Cow::Borrowed(match reference.as_ref() {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                "apos" => "'",
                _ => return None,
            }),
        }),
        _ => None,
    }
}
