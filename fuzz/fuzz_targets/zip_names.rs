//! Zip archives of any names and sizes: the bytes written add up to the length announced in
//! advance (Content-Length), and every entry name is stored whole.
#![no_main]
use libfuzzer_sys::fuzz_target;
use server::files::zip::{Archive, Entry};

fuzz_target!(|input: Vec<(String, u32, bool)>| {
    let at = chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default();
    let entries: Vec<Entry> = input
        .into_iter()
        .take(64)
        .map(|(path, size, dir)| Entry {
            path,
            size: if dir { 0 } else { u64::from(size) },
            dir,
            modified: at,
        })
        .collect();
    let names: Vec<String> = entries.iter().map(|e| e.path.clone()).collect();
    let mut archive = Archive::new(entries);
    let mut written = 0u64;
    for i in 0..archive.entries().len() {
        let header = archive.local_header(i);
        let name = archive.entries()[i].path.clone();
        assert!(
            header
                .windows(name.len().max(1))
                .any(|w| w == name.as_bytes())
                || name.is_empty()
        );
        written += header.len() as u64 + archive.entries()[i].size;
        if !archive.entries()[i].dir {
            written += archive.descriptor(i, 0).len() as u64;
        }
    }
    written += archive.central_directory().len() as u64;
    assert_eq!(written, archive.byte_len(), "{names:?}");
});
