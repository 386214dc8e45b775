//! The text extractors (DOCX, ODT, XLSX, ODS, HTML, plain) on any bytes: text or a refusal,
//! never a panic, and never more text than asked for.
#![no_main]
use libfuzzer_sys::fuzz_target;
use server::search::extract::{extract, Format};

const FORMATS: [Format; 6] = [
    Format::Plain,
    Format::Html,
    Format::Docx,
    Format::Odt,
    Format::Xlsx,
    Format::Ods,
];

fuzz_target!(|input: (u8, &[u8])| {
    let (which, data) = input;
    let format = FORMATS[usize::from(which) % FORMATS.len()];
    if let Ok(found) = extract(format, data, 4096) {
        assert!(found.text.len() <= 4096);
    }
});
