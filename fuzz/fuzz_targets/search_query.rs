//! Any query string a stranger sends to /api/v1/search is read or refused, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let _ = server::search::params::parse_query(raw);
});
