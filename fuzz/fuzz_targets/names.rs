//! A name that passes validation is usable as is: not empty, no separator or control
//! character, and validating it again gives it back unchanged.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(name) = server::files::name::validate_name(raw) {
        assert!(!name.is_empty());
        assert!(!name.contains('/') && !name.contains('\\'));
        assert!(!name.chars().any(char::is_control), "{name:?}");
        assert!(name != "." && name != "..");
        assert_eq!(
            server::files::name::validate_name(&name).ok(),
            Some(name.clone())
        );
        let numbered = server::files::name::numbered(&name, 2);
        assert!(
            server::files::name::validate_name(&numbered).is_ok(),
            "{numbered:?}"
        );
    }
});
