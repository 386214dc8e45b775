//! Reading a search from URL parameters (`GET /api/v1/search?…` and the search page), with a
//! clear message for each mistake.

use app::{
    dto::{FileType, OwnerFilter, SearchQuery},
    AppError,
};

/// The longest query read.
const MAX_QUERY_CHARS: usize = 500;
pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

/// A URL query string (`q=annual+report&kind=pdf`), percent and `+` decoded, then read.
pub fn parse_query(raw: &str) -> Result<SearchQuery, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw)
        .map_err(|_| AppError::validation("q", "The search parameters could not be read."))?;
    parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

pub fn parse<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<SearchQuery, AppError> {
    let mut q = SearchQuery::default();
    for (key, value) in pairs {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match key {
            "q" => q.q = value.to_owned(),
            "kind" => {
                q.kind = Some(FileType::parse(value).ok_or_else(|| {
                    let kinds: Vec<&str> = FileType::ALL.iter().map(|k| k.as_str()).collect();
                    AppError::validation(
                        "kind",
                        format!("kind must be one of: {}.", kinds.join(", ")),
                    )
                })?)
            }
            "mime" => q.mime = Some(mime(value)?),
            "min_size" => q.min_size = Some(size("min_size", value)?),
            "max_size" => q.max_size = Some(size("max_size", value)?),
            "modified_after" => q.modified_after = Some(time("modified_after", value, false)?),
            "modified_before" => q.modified_before = Some(time("modified_before", value, true)?),
            "owner" => {
                q.owner = Some(match value {
                    "me" => OwnerFilter::Me,
                    "others" => OwnerFilter::Others,
                    _ => return Err(AppError::validation("owner", "owner must be me or others.")),
                })
            }
            "shared" => {
                q.shared = match value {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => {
                        return Err(AppError::validation(
                            "shared",
                            "shared must be true or false.",
                        ))
                    }
                }
            }
            "limit" => {
                let limit: u32 = value.parse().map_err(|_| {
                    AppError::validation(
                        "limit",
                        format!("limit must be a number from 1 to {MAX_LIMIT}."),
                    )
                })?;
                if !(1..=MAX_LIMIT).contains(&limit) {
                    return Err(AppError::validation(
                        "limit",
                        format!("limit must be a number from 1 to {MAX_LIMIT}."),
                    ));
                }
                q.limit = Some(limit);
            }
            "cursor" => q.cursor = Some(value.to_owned()),
            _ => {}
        }
    }
    check(&q)?;
    Ok(q)
}

/// The rules a whole query follows (also for one built by the UI).
pub fn check(q: &SearchQuery) -> Result<(), AppError> {
    if q.q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::validation(
            "q",
            format!("Search for at most {MAX_QUERY_CHARS} characters."),
        ));
    }
    let filtered = q.kind.is_some()
        || q.mime.is_some()
        || q.min_size.is_some()
        || q.max_size.is_some()
        || q.modified_after.is_some()
        || q.modified_before.is_some()
        || q.owner.is_some()
        || q.shared;
    if q.q.trim().is_empty() && !filtered {
        return Err(AppError::validation("q", "Type something to search for."));
    }
    if let (Some(min), Some(max)) = (q.min_size, q.max_size) {
        if min > max {
            return Err(AppError::validation(
                "min_size",
                "min_size is larger than max_size.",
            ));
        }
    }
    if let (Some(after), Some(before)) = (q.modified_after, q.modified_before) {
        if after > before {
            return Err(AppError::validation(
                "modified_after",
                "modified_after is later than modified_before.",
            ));
        }
    }
    if let Some(m) = &q.mime {
        mime(m)?;
    }
    Ok(())
}

/// The result offset a cursor stands for.
pub fn offset(cursor: Option<&str>) -> Result<usize, AppError> {
    match cursor {
        None => Ok(0),
        Some(c) => c
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= 10_000)
            .ok_or_else(|| {
                AppError::validation("cursor", "The cursor is not one this server gave.")
            }),
    }
}

fn mime(value: &str) -> Result<String, AppError> {
    let value = value.to_ascii_lowercase();
    let ok = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
    };
    match value.split_once('/') {
        Some((family, rest)) if ok(family) && (rest == "*" || ok(rest)) => Ok(value),
        _ => Err(AppError::validation(
            "mime",
            "mime must look like application/pdf or image/*.",
        )),
    }
}

fn size(field: &str, value: &str) -> Result<u64, AppError> {
    app::drive::format::parse_size(value).map_err(|_| {
        AppError::validation(
            field,
            format!("{field} must be a size such as 1048576 or 10MB."),
        )
    })
}

/// Unix seconds of an RFC 3339 time or a date (`until` a date means its end).
fn time(field: &str, value: &str, until: bool) -> Result<i64, AppError> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(value) {
        return Ok(t.timestamp());
    }
    if let Ok(day) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        let start = day.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
        if let Some(start) = start {
            return Ok(if until { start + 86_399 } else { start });
        }
    }
    Err(AppError::validation(
        field,
        format!("{field} must be a date (2026-12-01) or a time (2026-12-01T09:30:00Z)."),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_read_and_mistakes_named() {
        let q = parse([
            ("q", "report"),
            ("kind", "pdf"),
            ("min_size", "1KB"),
            ("owner", "me"),
        ])
        .expect("valid");
        assert_eq!(q.kind, Some(FileType::Pdf));
        assert_eq!(q.min_size, Some(1000));
        let field = |pairs: &[(&str, &str)]| match parse(pairs.iter().copied()) {
            Err(AppError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        };
        assert_eq!(field(&[("q", "")]).as_deref(), Some("q"));
        assert_eq!(
            field(&[("q", "a"), ("kind", "movie")]).as_deref(),
            Some("kind")
        );
        assert_eq!(
            field(&[("q", "a"), ("mime", "image/<x>")]).as_deref(),
            Some("mime")
        );
        assert_eq!(
            field(&[("q", "a"), ("limit", "0")]).as_deref(),
            Some("limit")
        );
        assert_eq!(
            field(&[
                ("q", "a"),
                ("modified_after", "2026-12-02"),
                ("modified_before", "2026-12-01")
            ])
            .as_deref(),
            Some("modified_after")
        );
        let day = parse([("modified_before", "2026-12-01")]).expect("a date");
        assert_eq!(day.modified_before, Some(1_796_169_599));
    }
}
