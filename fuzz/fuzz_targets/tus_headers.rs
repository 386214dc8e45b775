//! tus request headers from strangers: Upload-Metadata, Upload-Checksum, the numbers. Parsing
//! never panics; metadata that parses holds only what was base64 of UTF-8.
#![no_main]
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::fuzz_target;
use server::routes::tus::protocol;

fuzz_target!(|input: (&[u8], &[u8], &[u8])| {
    let (metadata, checksum, number) = input;
    let mut headers = HeaderMap::new();
    for (name, value) in [
        ("upload-metadata", metadata),
        ("upload-checksum", checksum),
        ("upload-offset", number),
        ("tus-resumable", number),
    ] {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    let _ = protocol::require_tus(&headers);
    let _ = protocol::checksum(&headers);
    if let Some(n) = protocol::header_i64(&headers, "upload-offset") {
        let text = std::str::from_utf8(number).unwrap_or_default();
        assert_eq!(text.trim().parse::<i64>().ok(), Some(n));
    }
    if let Ok(pairs) = protocol::parse_metadata(&headers) {
        for key in pairs.keys() {
            assert!(!key.contains(',') && !key.contains(' '), "{key:?}");
        }
    }
});
