//! Rules for what people type when they make an account.

use app::AppError;

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Long enough for any passphrase, short enough that hashing stays cheap.
pub const MAX_PASSWORD_CHARS: usize = 1024;
pub const MAX_NAME_CHARS: usize = 100;

/// Trims and lower-cases an email and checks its shape (one @, a dotted domain, sane lengths).
pub fn normalize_email(raw: &str) -> Result<String, AppError> {
    let email = raw.trim().to_lowercase();
    let invalid = || {
        AppError::validation(
            "email",
            "Enter a valid email address, like name@example.com.",
        )
    };
    if email.is_empty() {
        return Err(AppError::validation("email", "Enter your email address."));
    }
    if email.len() > 254 {
        return Err(AppError::validation(
            "email",
            "That email address is too long.",
        ));
    }
    let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok {
        Ok(email)
    } else {
        Err(invalid())
    }
}

/// Trims a display name; no control characters.
pub fn validate_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(AppError::validation("name", "Enter your name."));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::validation(
            "name",
            format!("Use at most {MAX_NAME_CHARS} characters."),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::validation(
            "name",
            "The name contains characters that are not allowed.",
        ));
    }
    Ok(name.to_owned())
}

/// At least ten characters, at most 1024, and not the email address itself.
pub fn validate_password(password: &str, email: &str) -> Result<(), AppError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AppError::validation(
            "password",
            format!("Use at least {MIN_PASSWORD_CHARS} characters."),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AppError::validation(
            "password",
            format!("Use at most {MAX_PASSWORD_CHARS} characters."),
        ));
    }
    let lowered = password.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if lowered == email || (!local.is_empty() && lowered == local) {
        return Err(AppError::validation(
            "password",
            "Don't use your email address as your password.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            normalize_email("  Ann.Lee@Example.COM ").as_deref(),
            Ok("ann.lee@example.com")
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "ann@@example.com",
            "a..b@example.com",
            "ann@-x.com",
            "ann lee@example.com",
            "<script>@x.com",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad} should be refused");
        }
        assert!(normalize_email(&format!("{}@example.com", "a".repeat(65))).is_err());
    }

    #[test]
    fn passwords_need_length_and_must_not_be_the_email() {
        assert!(validate_password("short", "a@b.co").is_err());
        assert!(validate_password("ann@example.com", "ann@example.com").is_err());
        assert!(validate_password("ANN@EXAMPLE.COM", "ann@example.com").is_err());
        assert!(validate_password("correct horse", "ann@example.com").is_ok());
        assert!(validate_password(&"x".repeat(2000), "ann@example.com").is_err());
        // Ten characters, counted as characters and not bytes.
        assert!(validate_password("ééééééééé", "a@b.co").is_err());
        assert!(validate_password("éééééééééé", "a@b.co").is_ok());
    }

    #[test]
    fn names_are_trimmed_and_limited() {
        assert_eq!(validate_name("  Ann Lee ").as_deref(), Ok("Ann Lee"));
        assert!(validate_name("   ").is_err());
        assert!(validate_name("Ann\u{0007}").is_err());
        assert!(validate_name(&"n".repeat(101)).is_err());
    }
}
