//! The archive format, read back by an independent reader (the `zip` crate).

use super::*;
use std::io::Read;

fn build(files: &[(&str, &[u8])], dirs: &[&str]) -> Vec<u8> {
    let at = DateTime::parse_from_rfc3339("2026-11-24T10:20:30Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    let mut entries: Vec<Entry> = dirs
        .iter()
        .map(|d| Entry {
            path: (*d).to_owned(),
            size: 0,
            dir: true,
            modified: at,
        })
        .collect();
    entries.extend(files.iter().map(|(path, bytes)| Entry {
        path: (*path).to_owned(),
        size: bytes.len() as u64,
        dir: false,
        modified: at,
    }));
    let mut archive = Archive::new(entries);
    let mut out = Vec::new();
    for i in 0..archive.entries().len() {
        out.extend(archive.local_header(i));
        if i >= dirs.len() {
            let bytes = files[i - dirs.len()].1;
            out.extend_from_slice(bytes);
            out.extend(archive.descriptor(i, crc32fast::hash(bytes)));
        }
    }
    out.extend(archive.central_directory());
    assert_eq!(out.len() as u64, archive.byte_len(), "announced length");
    out
}

#[test]
fn an_archive_reads_back_with_names_contents_and_times() {
    let files: &[(&str, &[u8])] = &[
        ("Photos/a.txt", b"hello"),
        ("Photos/Ünïcødé 日本.md", b"# title\n"),
        ("Photos/empty", b""),
    ];
    let bytes = build(files, &["Photos", "Photos/sub"]);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(zip.len(), 5);
    assert!(zip.by_name("Photos/sub/").unwrap().is_dir());
    for (name, content) in files {
        let mut file = zip.by_name(name).unwrap();
        let mut read = Vec::new();
        file.read_to_end(&mut read).unwrap();
        assert_eq!(read, *content, "{name}");
        let modified = file.last_modified().unwrap();
        assert_eq!(
            (modified.year(), modified.month(), modified.day()),
            (2026, 11, 24)
        );
        assert_eq!((modified.hour(), modified.minute()), (10, 20));
    }
}

#[test]
fn many_entries_get_zip64_end_records() {
    let names: Vec<String> = (0..70_000).map(|i| format!("f/{i}")).collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let bytes = build(&files, &[]);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(zip.len(), 70_000);
    let mut last = String::new();
    zip.by_name("f/69999")
        .unwrap()
        .read_to_string(&mut last)
        .unwrap();
    assert_eq!(last, "x");
}

#[test]
fn dos_times_clamp_to_what_the_format_can_say() {
    let old = DateTime::parse_from_rfc3339("1970-01-01T00:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    assert_eq!(dos_time(old), (0, (1 << 5) | 1));
}
