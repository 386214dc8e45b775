//! Office Open XML relationships (`_rels/*.rels`): how a DOCX or XLSX package says where
//! its parts are (the main document, the sheets, the shared strings).

use quick_xml::events::Event;

use super::{
    limits::MAX_ENTRIES,
    package::{attribute, local, Package},
    Refusal,
};

/// A link from one part of a package to another (`_rels/*.rels`).
pub struct Relationship {
    /// The name the linking part knows it by (`rId1`).
    pub id: String,
    /// What the target is, as a URI (`…/officeDocument`, `…/worksheet`).
    pub kind: String,
    /// The target's path in the package, resolved against the linking part's folder.
    pub path: String,
}

/// The relationships in the `.rels` part at `rels` (none when it is missing) of the parts in
/// the folder `base` (`word/`, `xl/`, or `` for the package itself).
pub fn relationships(
    package: &mut Package<'_>,
    rels: &str,
    base: &str,
) -> Result<Vec<Relationship>, Refusal> {
    let mut found = Vec::new();
    let Some(mut part) = package.part(rels)? else {
        return Ok(found);
    };
    while let Some(event) = part.next()? {
        if let Event::Start(e) | Event::Empty(e) = &event {
            if local(e) == "Relationship" && found.len() < MAX_ENTRIES {
                found.push(Relationship {
                    id: attribute(e, "Id").unwrap_or_default(),
                    kind: attribute(e, "Type").unwrap_or_default(),
                    path: resolve(base, &attribute(e, "Target").unwrap_or_default()),
                });
            }
        }
    }
    Ok(found)
}

/// A relationship target as a path in the package: absolute (`/xl/sheet.xml`) or relative
/// to `base`, with `.` and `..` steps applied.
fn resolve(base: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{base}{target}"),
    };
    let mut steps: Vec<&str> = Vec::new();
    for step in joined.split('/') {
        match step {
            "" | "." => {}
            ".." => {
                steps.pop();
            }
            s => steps.push(s),
        }
    }
    steps.join("/")
}

/// The path of the first relationship whose kind ends with `kind` (`/officeDocument`).
pub fn find<'r>(rels: &'r [Relationship], kind: &str) -> Option<&'r str> {
    rels.iter()
        .find(|r| r.kind.ends_with(kind))
        .map(|r| r.path.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_resolve_to_package_paths() {
        assert_eq!(
            resolve("xl/", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/", "/xl/worksheets/a.xml"),
            "xl/worksheets/a.xml"
        );
        assert_eq!(resolve("xl/", "../docProps/x.xml"), "docProps/x.xml");
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
    }
}
