//! Spreadsheets: XLSX and ODS, read with quick-xml rather than calamine, which builds each
//! sheet as a grid in memory (sized by what the file claims) and cannot stop once enough
//! text is collected. Every sheet gives its name, then its rows: cells separated by tabs,
//! rows by new lines, numbers as written. Empty cells give nothing, however often repeated.

use quick_xml::events::Event;

use super::{
    limits::{Break, Text},
    office::OdfText,
    package::{attribute, damaged, local, text, Package, Part},
    rels, Extracted, Refusal,
};

/// The most bytes of shared strings kept from one workbook.
const MAX_STRINGS_BYTES: usize = 32 * 1024 * 1024;
/// The most shared strings kept from one workbook.
const MAX_STRINGS: usize = 2_000_000;
/// The most bytes of one cell's value kept (Excel's own limit is 32,767 characters).
const MAX_VALUE: usize = 128 * 1024;
/// A non-empty ODS cell repeated across columns is written at most this many times.
const MAX_REPEAT: usize = 16;

/// The text of an XLSX workbook.
pub fn xlsx(data: &[u8], limit: usize) -> Result<Extracted, Refusal> {
    let mut package = Package::open(data)?;
    let links = rels::relationships(&mut package, "xl/_rels/workbook.xml.rels", "xl/")?;
    let sheets = workbook_sheets(&mut package)?;
    let strings = match rels::find(&links, "/sharedStrings") {
        Some(path) => shared_strings(&mut package, path)?,
        None => shared_strings(&mut package, "xl/sharedStrings.xml")?,
    };
    let mut out = Text::new(limit);
    for (i, (name, id)) in sheets.iter().enumerate() {
        if out.is_full() {
            break;
        }
        out.separate(Break::Row);
        out.push(name);
        out.separate(Break::Row);
        let path = match links.iter().find(|r| &r.id == id) {
            Some(link) => link.path.clone(),
            None => format!("xl/worksheets/sheet{}.xml", i + 1),
        };
        if let Some(mut part) = package.part(&path)? {
            worksheet(&mut part, &strings, &mut out)?;
        }
    }
    Ok(out.finish())
}

/// The workbook's sheets in order: their names and relationship ids.
fn workbook_sheets(package: &mut Package<'_>) -> Result<Vec<(String, String)>, Refusal> {
    let Some(mut part) = package.part("xl/workbook.xml")? else {
        return Err(damaged());
    };
    let mut sheets = Vec::new();
    while let Some(event) = part.next()? {
        if let Event::Start(e) | Event::Empty(e) = &event {
            if local(e) == "sheet" && sheets.len() < super::limits::MAX_PARTS {
                let name = attribute(e, "name").unwrap_or_default();
                sheets.push((name, attribute(e, "id").unwrap_or_default()));
            }
        }
    }
    Ok(sheets)
}

/// The workbook's shared string table, kept as one string and where each entry ends.
#[derive(Default)]
struct Strings {
    text: String,
    ends: Vec<usize>,
}

impl Strings {
    /// The shared string with this index, if it was kept.
    fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index {
            0 => 0,
            i => self.ends[i - 1],
        };
        self.text.get(start..end)
    }
}

/// Reads the shared strings (none when the part is missing); past the limits the rest is
/// left out, and cells that use them are empty.
fn shared_strings(package: &mut Package<'_>, path: &str) -> Result<Strings, Refusal> {
    let mut strings = Strings::default();
    let Some(mut part) = package.part(path)? else {
        return Ok(strings);
    };
    let mut in_text = false;
    while strings.ends.len() < MAX_STRINGS {
        let skip = match part.next()? {
            None => break,
            Some(Event::Start(e)) => match local(&e) {
                "t" => {
                    in_text = true;
                    false
                }
                // Phonetic guides repeat the text in another script.
                "rPh" => true,
                _ => false,
            },
            Some(Event::Empty(e)) if local(&e) == "si" => {
                strings.ends.push(strings.text.len());
                false
            }
            Some(Event::End(e)) => {
                match e.local_name().into_inner() {
                    "t" => in_text = false,
                    "si" => strings.ends.push(strings.text.len()),
                    _ => {}
                }
                false
            }
            Some(event) => {
                if let Some(t) = text(&event).filter(|_| in_text) {
                    if strings.text.len() + t.len() > MAX_STRINGS_BYTES {
                        break;
                    }
                    strings.text.push_str(&t);
                }
                false
            }
        };
        if skip {
            part.skip()?;
        }
    }
    Ok(strings)
}

/// What an XLSX cell's value is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Shared,
    Bool,
    Inline,
    Other,
}

/// Adds the text of one worksheet.
fn worksheet(part: &mut Part<'_, '_>, strings: &Strings, out: &mut Text) -> Result<(), Refusal> {
    let mut kind = Kind::Other;
    let (mut in_value, mut in_inline) = (false, false);
    let mut value = String::new();
    while !out.is_full() {
        let skip = match part.next()? {
            None => break,
            Some(Event::Start(e)) => match local(&e) {
                "c" => {
                    kind = match attribute(&e, "t").as_deref() {
                        Some("s") => Kind::Shared,
                        Some("b") => Kind::Bool,
                        Some("inlineStr") => Kind::Inline,
                        _ => Kind::Other,
                    };
                    value.clear();
                    out.separate(Break::Cell);
                    false
                }
                "v" => {
                    in_value = true;
                    false
                }
                "is" => {
                    in_inline = true;
                    false
                }
                // Formulas are not what the cell shows; phonetic guides repeat its text.
                "f" | "rPh" => true,
                _ => false,
            },
            Some(Event::End(e)) => {
                match e.local_name().into_inner() {
                    "v" => in_value = false,
                    "is" => in_inline = false,
                    "c" => out.push(match kind {
                        Kind::Shared => value
                            .trim()
                            .parse()
                            .ok()
                            .and_then(|i| strings.get(i))
                            .unwrap_or_default(),
                        Kind::Bool if value.trim() == "1" => "TRUE",
                        Kind::Bool => "FALSE",
                        Kind::Inline | Kind::Other => &value,
                    }),
                    "row" => out.separate(Break::Row),
                    _ => {}
                }
                false
            }
            Some(event) => {
                if let Some(t) = text(&event) {
                    if in_value && value.len() + t.len() <= MAX_VALUE {
                        value.push_str(&t);
                    } else if in_inline && kind == Kind::Inline {
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
    Ok(())
}

/// The text of an ODS spreadsheet.
pub fn ods(data: &[u8], limit: usize) -> Result<Extracted, Refusal> {
    let mut package = Package::open(data)?;
    let Some(mut part) = package.part("content.xml")? else {
        return Err(damaged());
    };
    let mut out = Text::new(limit);
    let mut odf = OdfText::default();
    // A repeated cell's text is collected here first, then written as often as it repeats.
    let mut repeated: Option<(Text, usize)> = None;
    while !out.is_full() {
        let skip = match part.next()? {
            None => break,
            Some(event) => match &event {
                Event::Start(e) if local(e) == "table" => {
                    out.separate(Break::Row);
                    out.push(&attribute(e, "name").unwrap_or_default());
                    out.separate(Break::Row);
                    false
                }
                Event::Start(e) if local(e).ends_with("table-cell") => {
                    out.separate(Break::Cell);
                    let times = attribute(e, "number-columns-repeated")
                        .and_then(|n| n.trim().parse::<usize>().ok())
                        .unwrap_or(1);
                    if times > 1 {
                        repeated = Some((Text::new(limit), times.min(MAX_REPEAT)));
                    }
                    false
                }
                Event::End(e) if e.local_name().into_inner().ends_with("table-cell") => {
                    if let Some((cell, times)) = repeated.take() {
                        let cell = cell.finish().text;
                        for _ in 0..times {
                            out.separate(Break::Cell);
                            out.push(&cell);
                        }
                    }
                    out.separate(Break::Cell);
                    false
                }
                event => match repeated.as_mut() {
                    Some((cell, _)) => odf.take(event, cell),
                    None => odf.take(event, &mut out),
                },
            },
        };
        if skip {
            part.skip()?;
        }
    }
    Ok(out.finish())
}
