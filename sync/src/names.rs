//! Names the client makes: conflict copies, and free names in its local trash.

use std::path::{Path, PathBuf};

/// `dir/name (conflict from HOST 2026-12-03 1412).ext` for the file (or folder) at `path`.
pub fn conflict_copy(path: &str, host: &str, at: chrono::DateTime<chrono::Local>) -> String {
    let (dir, name) = path.rsplit_once('/').map_or(("", path), |(d, n)| (d, n));
    let (stem, ext) = match name.rfind('.') {
        Some(dot) if dot > 0 => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    };
    let copy = format!(
        "{stem} (conflict from {host} {}){ext}",
        at.format("%Y-%m-%d %H%M")
    );
    match dir {
        "" => copy,
        dir => format!("{dir}/{copy}"),
    }
}

/// `path`, or `path (2)`, `path (3)`… whichever does not exist yet.
pub fn free_path(path: &Path) -> PathBuf {
    if !path.exists() {
        return path.to_owned();
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (2..)
        .map(|n| path.with_file_name(format!("{name} ({n})")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.to_owned())
}

/// This computer's name, for conflict copies.
pub fn host() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "this computer".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_conflict_copy_keeps_the_folder_and_the_extension() {
        let at = chrono::Local
            .with_ymd_and_hms(2026, 12, 3, 14, 12, 0)
            .unwrap();
        assert_eq!(
            conflict_copy("Docs/plan.v2.txt", "laptop", at),
            "Docs/plan.v2 (conflict from laptop 2026-12-03 1412).txt"
        );
        assert_eq!(
            conflict_copy("README", "pc", at),
            "README (conflict from pc 2026-12-03 1412)"
        );
        assert_eq!(
            conflict_copy(".bashrc", "pc", at),
            ".bashrc (conflict from pc 2026-12-03 1412)"
        );
    }
}
