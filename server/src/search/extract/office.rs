//! Word processor documents: DOCX (the main document, then its headers, footers, footnotes
//! and endnotes) and ODT (`content.xml`). Paragraphs and line breaks become new lines, tabs
//! stay tabs, table cells are separated by tabs and rows by new lines. Deleted tracked
//! changes, field codes, comments and duplicate fallback content are left out.

use quick_xml::events::Event;

use super::{
    limits::{Break, Text},
    package::{attribute, damaged, local, text, Package},
    rels, Extracted, Refusal,
};

/// The most spaces one ODF `text:s` element gives.
const MAX_SPACES: usize = 100;

/// The text of a DOCX document.
pub fn docx(data: &[u8], limit: usize) -> Result<Extracted, Refusal> {
    let mut package = Package::open(data)?;
    let links = rels::relationships(&mut package, "_rels/.rels", "")?;
    let main = rels::find(&links, "/officeDocument")
        .unwrap_or("word/document.xml")
        .to_string();
    let mut extra: Vec<String> = package
        .names()
        .filter(|name| is_word_extra(name))
        .map(String::from)
        .collect();
    extra.sort();
    let mut out = Text::new(limit);
    if !word_part(&mut package, &main, &mut out)? {
        return Err(damaged());
    }
    for name in extra {
        if out.is_full() {
            break;
        }
        out.separate(Break::Row);
        word_part(&mut package, &name, &mut out)?;
    }
    Ok(out.finish())
}

/// Whether a package entry is a header, footer, footnotes or endnotes part.
fn is_word_extra(name: &str) -> bool {
    let Some(stem) = name
        .strip_prefix("word/")
        .and_then(|n| n.strip_suffix(".xml"))
    else {
        return false;
    };
    let numbered = |prefix: &str| {
        stem.strip_prefix(prefix)
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
    };
    stem == "footnotes" || stem == "endnotes" || numbered("header") || numbered("footer")
}

/// Adds the text of one WordprocessingML part; `false` when the package has no such part.
fn word_part(package: &mut Package<'_>, name: &str, out: &mut Text) -> Result<bool, Refusal> {
    let Some(mut part) = package.part(name)? else {
        return Ok(false);
    };
    // How many `w:t` (text) and `w:r` (run) elements are open.
    let (mut in_text, mut in_run) = (0usize, 0usize);
    while !out.is_full() {
        let skip = match part.next()? {
            None => break,
            Some(Event::Start(e)) => match local(&e) {
                "t" => {
                    in_text += 1;
                    false
                }
                "r" => {
                    in_run += 1;
                    false
                }
                // Fallback repeats the choice before it; comments are not the document's text.
                "Fallback" | "delText" | "instrText" | "commentReference" => true,
                name => {
                    run_mark(name, in_run, out);
                    false
                }
            },
            Some(Event::Empty(e)) => {
                run_mark(local(&e), in_run, out);
                false
            }
            Some(Event::End(e)) => {
                match e.local_name().into_inner() {
                    "t" => in_text = in_text.saturating_sub(1),
                    "r" => in_run = in_run.saturating_sub(1),
                    "p" => out.separate(Break::Line),
                    "tc" => out.separate(Break::Cell),
                    "tr" => out.separate(Break::Row),
                    _ => {}
                }
                false
            }
            Some(event) => {
                if in_text > 0 {
                    if let Some(t) = text(&event) {
                        out.push(&t);
                    }
                }
                false
            }
        };
        if skip {
            part.skip()?;
        }
    }
    Ok(true)
}

/// A tab or break inside a run (tab stops in paragraph properties are not text).
fn run_mark(name: &str, in_run: usize, out: &mut Text) {
    if in_run == 0 {
        return;
    }
    match name {
        "tab" => out.push("\t"),
        "br" | "cr" => out.separate(Break::Line),
        _ => {}
    }
}

/// The text of an ODT document.
pub fn odt(data: &[u8], limit: usize) -> Result<Extracted, Refusal> {
    let mut package = Package::open(data)?;
    let Some(mut part) = package.part("content.xml")? else {
        return Err(damaged());
    };
    let mut out = Text::new(limit);
    let mut odf = OdfText::default();
    while !out.is_full() {
        let skip = match part.next()? {
            None => break,
            Some(event) => odf.take(&event, &mut out),
        };
        if skip {
            part.skip()?;
        }
    }
    Ok(out.finish())
}

/// The text of OpenDocument content (`text:p`, `text:h`, spans, spaces, tabs, tables), fed
/// event by event. Also used for the cells of ODS sheets.
#[derive(Default)]
pub struct OdfText {
    /// How many paragraphs and headings are open: only text inside them counts.
    in_para: usize,
}

impl OdfText {
    /// Adds what the event means to `out`; `true` when the element it starts is to be skipped.
    pub fn take(&mut self, event: &Event<'_>, out: &mut Text) -> bool {
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(event, Event::Empty(_));
                match local(e) {
                    "p" | "h" if empty => out.separate(Break::Line),
                    "p" | "h" => self.in_para += 1,
                    "s" if self.in_para > 0 => {
                        let count = attribute(e, "c").and_then(|c| c.trim().parse().ok());
                        out.push(&" ".repeat(count.unwrap_or(1usize).min(MAX_SPACES)));
                    }
                    "tab" if self.in_para > 0 => out.push("\t"),
                    "line-break" => out.separate(Break::Line),
                    // Deleted changes, comments and footnote numbers are not running text.
                    "tracked-changes" | "annotation" | "note-citation" => return !empty,
                    _ => {}
                }
            }
            Event::End(e) => match e.local_name().into_inner() {
                "p" | "h" => {
                    self.in_para = self.in_para.saturating_sub(1);
                    out.separate(Break::Line);
                }
                "table-cell" => out.separate(Break::Cell),
                "table-row" => out.separate(Break::Row),
                _ => {}
            },
            other => {
                if self.in_para > 0 {
                    if let Some(t) = text(other) {
                        out.push_collapsed(&t);
                    }
                }
            }
        }
        false
    }
}
