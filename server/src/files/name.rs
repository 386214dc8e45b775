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
pub fn numbered(name: &str, n: u32) -> String {
    if n == 0 {
        return name.to_owned();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name, ""),
    };
    format!("{stem} ({n}){ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

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
