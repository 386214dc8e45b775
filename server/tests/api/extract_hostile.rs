//! Hostile and broken files: refused or cut short quickly, with bounded memory, never a panic.

// A test that cannot set itself up should stop there.

use std::{
    io::{Cursor, Write},
    time::{Duration, Instant},
};

use server::search::extract::{extract, Extracted, Format, Refusal};
use zip::{write::SimpleFileOptions, CompressionMethod, ZipWriter};

const GIB: usize = 1 << 30;
const MIB: usize = 1 << 20;
/// The text limit of the bombs that have text: the index takes this much from each file.
const LIMIT: usize = 256 * 1024;
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/search");

/// One zip entry: `head`, then `unit` repeated up to `size` bytes, then `tail`.
struct Entry<'a> {
    name: &'a str,
    head: &'a str,
    unit: &'a str,
    size: usize,
    tail: &'a str,
}

/// A zip of these entries, written through the zip writer in 1 MiB chunks, never whole in
/// memory.
fn zip_of(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(1));
    for entry in entries {
        zip.start_file(entry.name, options).expect("entry");
        zip.write_all(entry.head.as_bytes()).expect("head");
        if entry.size > 0 {
            let chunk = entry.unit.repeat((MIB / entry.unit.len()).max(1));
            let mut written = 0;
            while written + chunk.len() <= entry.size {
                zip.write_all(chunk.as_bytes()).expect("chunk");
                written += chunk.len();
            }
            let rest = entry.unit.repeat((entry.size - written) / entry.unit.len());
            zip.write_all(rest.as_bytes()).expect("rest");
        }
        zip.write_all(entry.tail.as_bytes()).expect("tail");
    }
    zip.finish().expect("zip").into_inner()
}

/// A DOCX whose only part is a `word/document.xml` made as [`Entry`] says.
fn docx_bomb(head: &str, unit: &str, tail: &str, size: usize) -> Vec<u8> {
    zip_of(&[Entry {
        name: "word/document.xml",
        head,
        unit,
        size,
        tail,
    }])
}

/// A small XML part.
fn small<'a>(name: &'a str, xml: &'a str) -> Entry<'a> {
    Entry {
        name,
        head: xml,
        unit: "",
        size: 0,
        tail: "",
    }
}

/// The zip with every entry's uncompressed size declared as 1,000 bytes.
fn lie_about_sizes(mut zip: Vec<u8>) -> Vec<u8> {
    for at in 0..zip.len().saturating_sub(30) {
        let size_at = match &zip[at..at + 4] {
            b"PK\x03\x04" => at + 22,
            b"PK\x01\x02" => at + 24,
            _ => continue,
        };
        zip[size_at..size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
    }
    zip
}

/// Runs an extraction and checks that it took at most `secs` seconds.
fn within(secs: u64, format: Format, data: &[u8], limit: usize) -> Result<Extracted, Refusal> {
    let started = Instant::now();
    let result = extract(format, data, limit);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(secs), "took {took:?}");
    result
}

/// Bytes that look random (xorshift), the same on every run.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect()
}

#[test]
fn a_gigabyte_of_zeros_is_refused_even_when_the_zip_lies_about_its_size() {
    let bomb = docx_bomb("", "\0", "", GIB);
    assert!(
        bomb.len() < 8 * MIB,
        "the bomb itself is small: {}",
        bomb.len()
    );
    for bomb in [lie_about_sizes(bomb.clone()), bomb] {
        let refusal = within(2, Format::Docx, &bomb, MIB).expect_err("refused");
        assert!(refusal.0.contains("larger than 4 MB"), "{refusal:?}");
    }
}

#[test]
fn a_gigabyte_of_text_runs_is_cut_at_the_limit() {
    let bomb = docx_bomb(
        "<w:document><w:body><w:p>",
        "<w:r><w:t>ab</w:t></w:r>",
        "</w:p></w:body></w:document>",
        GIB,
    );
    let done = within(2, Format::Docx, &bomb, LIMIT).expect("text");
    assert!(done.truncated);
    assert_eq!(done.text.len(), LIMIT);
    assert!(done.text.bytes().all(|b| b == b'a' || b == b'b'));
}

#[test]
fn a_gigabyte_of_markup_without_text_is_refused_at_the_part_limit() {
    let bomb = docx_bomb(
        "<w:document><w:body>",
        "<w:p/>",
        "</w:body></w:document>",
        GIB,
    );
    // 100 MB of XML is parsed before the limit is reached: 0.6 s in release; the parser's
    // generic code is not optimised in debug builds.
    let secs = if cfg!(debug_assertions) { 30 } else { 2 };
    let refusal = within(secs, Format::Docx, &bomb, MIB).expect_err("refused");
    assert_eq!(
        refusal.0,
        "a part of the document expands to more than 100 MB"
    );
}

#[test]
fn a_gigabyte_of_spreadsheet_cells_is_cut_at_the_limit() {
    let bomb = zip_of(&[
        small(
            "xl/workbook.xml",
            r#"<workbook><sheets><sheet name="Big" r:id="rId1"/></sheets></workbook>"#,
        ),
        small(
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships><Relationship Id="rId1" Type="x/worksheet" Target="worksheets/big.xml"/></Relationships>"#,
        ),
        small("xl/sharedStrings.xml", "<sst><si><t>word</t></si></sst>"),
        Entry {
            name: "xl/worksheets/big.xml",
            head: "<worksheet><sheetData><row>",
            unit: r#"<c t="s"><v>0</v></c>"#,
            size: GIB,
            tail: "</row></sheetData></worksheet>",
        },
    ]);
    let done = within(2, Format::Xlsx, &bomb, LIMIT).expect("text");
    assert!(done.truncated);
    assert!(
        done.text.starts_with("Big\nword\tword\t"),
        "{:?}",
        &done.text[..20]
    );
}

#[test]
fn deep_nesting_is_refused_and_ordinary_nesting_is_read() {
    let deep = docx_bomb("<w:document>", "<w:p>", "", 100_000);
    let refusal = within(2, Format::Docx, &deep, MIB).expect_err("refused");
    assert_eq!(
        refusal.0,
        "the document is nested more than 1000 levels deep"
    );

    let nested = format!(
        "<w:document>{}<w:r><w:t>inside</w:t></w:r>{}</w:document>",
        "<w:sdt>".repeat(500),
        "</w:sdt>".repeat(500)
    );
    let fine = docx_bomb(&nested, "", "", 0);
    assert_eq!(
        extract(Format::Docx, &fine, MIB).map(|e| e.text),
        Ok("inside".into())
    );
}

#[test]
fn what_is_not_a_document_is_refused() {
    let damaged = Err(Refusal("the document is damaged".into()));
    for format in [Format::Docx, Format::Odt, Format::Xlsx, Format::Ods] {
        assert_eq!(
            extract(format, &noise(50_000, 7), MIB),
            damaged,
            "{format:?}"
        );
        assert_eq!(
            extract(format, b"just some text", MIB),
            damaged,
            "{format:?}"
        );
        // A zip without the part that holds the text.
        let other = zip_of(&[small("readme.txt", "hello")]);
        assert_eq!(extract(format, &other, MIB), damaged, "{format:?}");
    }
    let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    assert!(extract(Format::Docx, &ole, MIB)
        .expect_err("refused")
        .0
        .contains("encrypted"));
    let mut many = ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..10_001 {
        many.start_file(format!("f{i}"), SimpleFileOptions::default())
            .expect("entry");
    }
    let many = many.finish().expect("zip").into_inner();
    assert_eq!(
        extract(Format::Docx, &many, MIB),
        Err(Refusal("the document has more than 10000 parts".into()))
    );
}

#[test]
fn binary_files_are_not_text() {
    let not_text = Err(Refusal("the file is not text".into()));
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(noise(4096, 3));
    assert_eq!(extract(Format::Plain, &png, MIB), not_text);
    assert_eq!(extract(Format::Plain, &noise(4096, 11), MIB), not_text);
    assert_eq!(extract(Format::Html, &png, MIB), not_text);
}

#[test]
fn empty_files_are_empty_text() {
    let empty = Ok(Extracted {
        text: String::new(),
        truncated: false,
    });
    for format in [
        Format::Plain,
        Format::Html,
        Format::Docx,
        Format::Odt,
        Format::Xlsx,
        Format::Ods,
    ] {
        assert_eq!(extract(format, b"", MIB), empty, "{format:?}");
    }
}

/// The same zip with every entry stored uncompressed.
fn restored(zip: &[u8]) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(Cursor::new(zip)).expect("zip");
    let mut target = ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for i in 0..source.len() {
        let mut entry = source.by_index(i).expect("entry");
        target
            .start_file(entry.name().to_string(), stored)
            .expect("entry");
        std::io::copy(&mut entry, &mut target).expect("copy");
    }
    target.finish().expect("zip").into_inner()
}

#[test]
fn damaged_copies_of_real_documents_never_panic() {
    for name in [
        "report.docx",
        "notes.odt",
        "budget.xlsx",
        "plan.ods",
        "page.html",
        "sjis.txt",
    ] {
        let data = std::fs::read(format!("{FIXTURES}/{name}")).expect("fixture");
        let format = Format::of(None, name).expect("format");
        for cut in (0..data.len()).step_by(97) {
            let _ = extract(format, &data[..cut], 1000);
        }
        // Uncompressed, a changed byte breaks the XML itself rather than the deflate stream.
        let stored = match format {
            Format::Docx | Format::Odt | Format::Xlsx | Format::Ods => restored(&data),
            Format::Plain | Format::Html => data,
        };
        for seed in 1..300u64 {
            let mut broken = stored.clone();
            for (i, byte) in noise(4, seed).into_iter().enumerate() {
                let at = (seed as usize * 7919 + i * 104_729) % broken.len();
                broken[at] = byte;
            }
            let _ = extract(format, &broken, 1000);
        }
    }
}
