//! What a file or folder may be called: NFC-normalised, 1 to 255 bytes, no `/`, `\`, NUL or
//! control characters, not `.` or `..`, no leading or trailing spaces.

use app::AppError;
use unicode_normalization::UnicodeNormalization;

pub const MAX_NAME_BYTES: usize = 255;

pub fn validate_name(raw: &str) -> Result<String, AppError> {
    let name: String = raw.nfc().collect();
    let refuse = |message: &str| Err(AppError::validation("name", message));
    if name.is_empty() {
        return refuse("Enter a name.");
    }
    if name.len() > MAX_NAME_BYTES {
        return refuse("That name is too long (at most 255 bytes).");
    }
    if name == "." || name == ".." {
        return refuse("“.” and “..” can't be used as names.");
    }
    if name.contains('/') || name.contains('\\') {
        return refuse("Names can't contain / or \\.");
    }
    if name.chars().any(char::is_control) {
        return refuse("Names can't contain control characters.");
    }
    if name.trim() != name {
        return refuse("Names can't start or end with a space.");
    }
    Ok(name)
}

/// `name` itself for 0, else "stem (n).ext" ("notes (1).txt", "Photos (2)"): a name beside
/// one that is taken.
/// A long name gives up the end of its stem (never the number, and never all of the stem)
/// to stay within [`MAX_NAME_BYTES`]; an extension too long for that goes with the stem.
pub fn numbered(name: &str, n: u32) -> String {
    if n == 0 {
        return name.to_owned();
    }
    let number = format!(" ({n})");
    let fit = |stem: &str, ext: &str| -> Option<String> {
        let room = MAX_NAME_BYTES.checked_sub(number.len() + ext.len())?;
        let mut cut = stem.len().min(room);
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        (cut > 0).then(|| format!("{}{number}{ext}", &stem[..cut]))
    };
    let with_ext = match name.rfind('.') {
        Some(dot) if dot > 0 => fit(&name[..dot], &name[dot..]),
        _ => None,
    };
    with_ext
        .or_else(|| fit(name, ""))
        .unwrap_or_else(|| number.trim_start().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing (fuzz/artifacts/names): a name near the limit, numbered, was too
    /// long to be a name.
    #[test]
    fn a_long_name_numbered_is_still_a_name() {
        let long = format!("{}{}", "W".repeat(88), "\u{748}".repeat(83));
        let long = validate_name(&long).unwrap();
        for n in [2, 10, 1000, u32::MAX] {
            let numbered = numbered(&long, n);
            assert_eq!(validate_name(&numbered).as_deref(), Ok(numbered.as_str()));
            assert!(numbered.ends_with(&format!(" ({n})")), "{numbered}");
        }
        let with_ext = format!("{}.pdf", "é".repeat(125));
        assert!(numbered(&with_ext, 2).ends_with(" (2).pdf"));
        assert!(validate_name(&numbered(&with_ext, 2)).is_ok());
        let long_ext = format!("a.{}", "x".repeat(253));
        assert!(validate_name(&numbered(&long_ext, 7)).is_ok());
        // Found next: an extension that leaves no room for the stem's first character (two
        // bytes) made " (2).ext", a name that starts with a space.
        let no_room = format!("\u{3b0}.x{}", "\u{4f2}".repeat(124));
        let no_room = validate_name(&no_room).unwrap();
        let numbered_no_room = numbered(&no_room, 2);
        assert!(
            validate_name(&numbered_no_room).is_ok(),
            "{numbered_no_room:?}"
        );
        assert!(numbered_no_room.starts_with('\u{3b0}'));
        assert_eq!(numbered("notes.txt", 2), "notes (2).txt");
    }

    #[test]
    fn good_names_pass_and_are_nfc() {
        assert_eq!(
            validate_name("Report 2026.pdf").as_deref(),
            Ok("Report 2026.pdf")
        );
        // "é" as e + combining accent becomes the single code point.
        assert_eq!(validate_name("Cafe\u{301}").as_deref(), Ok("Caf\u{e9}"));
        assert!(validate_name("日本語のファイル.txt").is_ok());
        assert!(validate_name(".hidden").is_ok());
        assert!(validate_name(&"a".repeat(255)).is_ok());
    }

    #[test]
    fn each_rule_refuses_with_a_message() {
        for bad in [
            "",
            ".",
            "..",
            "a/b",
            "a\\b",
            "a\0b",
            "tab\there",
            "new\nline",
            " lead",
            "trail ",
            &"a".repeat(256),
        ] {
            let error = validate_name(bad).expect_err(bad);
            assert_eq!(error.field(), Some("name"), "{bad:?}");
        }
        // 128 two-byte characters are 256 bytes.
        assert!(validate_name(&"é".repeat(128)).is_err());
    }
}
