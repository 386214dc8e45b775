//! "One way in": the adapters (REST routes, tus, WebDAV, the link pages, the UI's server-function
//! services) hold no database handle and look nothing up themselves, so everything they do
//! goes through the service layer, which asks the policy. The compiler already refuses a
//! handler that reaches for `state.db` (there is none); this test keeps the adapters from
//! growing a handle or a lookup of their own again.

use std::path::{Path, PathBuf};

/// What an adapter must not contain: a database handle, a query, or a lookup that skips the
/// service layer.
const FORBIDDEN: [&str; 8] = [
    "DatabaseConnection",
    "ConnectionTrait",
    "EntityTrait",
    "Entity::find",
    "files::access",
    "state.db",
    "BlobStore",
    "users::by_id",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn adapters_act_only_through_the_service_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut adapters = Vec::new();
    rust_files(&src.join("routes"), &mut adapters);
    rust_files(&src.join("dav"), &mut adapters);
    for file in [
        "drive.rs",
        "account_settings.rs",
        "pages.rs",
        "state.rs",
        "sharing/service.rs",
        "sharing/link_pages.rs",
    ] {
        adapters.push(src.join(file));
    }
    assert!(adapters.len() > 20, "the routes were not found");
    let mut found = Vec::new();
    for path in &adapters {
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for word in FORBIDDEN {
                if code.contains(word) {
                    found.push(format!("{}:{}: {word}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "adapters must act through crate::service, not on their own:\n{}",
        found.join("\n")
    );
}
