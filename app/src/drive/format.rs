//! How sizes and times read in the drive: "4.2 MB", "3 minutes ago", "Mar 5, 2024".

/// Bytes in decimal units, as people read them in file managers.
pub fn human_size(bytes: i64) -> String {
    const UNITS: [&str; 5] = ["KB", "MB", "GB", "TB", "PB"];
    if bytes < 1000 {
        return if bytes == 1 {
            "1 byte".into()
        } else {
            format!("{bytes} bytes")
        };
    }
    let mut value = bytes as f64;
    let mut unit = 0;
    value /= 1000.0;
    while value >= 999.95 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// Parses a byte size with an optional unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), as
/// quotas are typed: `10GiB`, `500 MB`, `1024`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a size like 10GiB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        "kib" | "k" => 1 << 10,
        "mib" | "m" => 1 << 20,
        "gib" | "g" => 1 << 30,
        "tib" | "t" => 1 << 40,
        other => {
            return Err(format!(
                "unknown size unit '{other}' (use B, MB, GB, MiB, GiB…)"
            ))
        }
    };
    let bytes = number * factor as f64;
    if !bytes.is_finite() || bytes < 0.0 || bytes > i64::MAX as f64 {
        return Err(format!("'{text}' is out of range"));
    }
    Ok(bytes as u64)
}

/// Extensions of plain text and source code (shown as text, with highlighting).
pub fn is_text_ext(ext: &str) -> bool {
    matches!(
        ext,
        "txt"
            | "md"
            | "markdown"
            | "log"
            | "csv"
            | "tsv"
            | "json"
            | "yaml"
            | "yml"
            | "toml"
            | "ini"
            | "conf"
            | "xml"
            | "rs"
            | "py"
            | "js"
            | "mjs"
            | "ts"
            | "tsx"
            | "jsx"
            | "go"
            | "c"
            | "h"
            | "cpp"
            | "hpp"
            | "cc"
            | "java"
            | "kt"
            | "rb"
            | "php"
            | "sh"
            | "bash"
            | "sql"
            | "css"
            | "scss"
            | "swift"
            | "cs"
            | "lua"
            | "pl"
            | "r"
            | "scala"
            | "hs"
            | "ex"
            | "exs"
            | "erl"
            | "dart"
            | "vue"
            | "svelte"
    )
}

/// "1 upload", "3 uploads": a count with its unit, plural when it is not one.
pub fn count_of(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// A time relative to `now` (both Unix seconds): recent ones in words, older ones as a date.
pub fn relative_time(then: i64, now: i64) -> String {
    let ago = now - then;
    let plural = |n: i64, unit: &str| format!("{} ago", count_of(n, unit));
    match ago {
        i64::MIN..=44 => "just now".into(),
        45..=3_599 => plural((ago + 30) / 60, "minute"),
        3_600..=86_399 => plural(ago / 3_600, "hour"),
        86_400..=604_799 => plural(ago / 86_400, "day"),
        _ => date(then, now),
    }
}

/// "Mar 5" this year, "Mar 5, 2024" before (UTC).
fn date(then: i64, now: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (year, month, day) = civil(then.div_euclid(86_400));
    let (this_year, _, _) = civil(now.div_euclid(86_400));
    let month = MONTHS[(month - 1) as usize];
    if year == this_year {
        format!("{month} {day}")
    } else {
        format!("{month} {day}, {year}")
    }
}

/// Unix seconds now, on the server and in the browser.
pub fn now_secs() -> i64 {
    #[cfg(feature = "hydrate")]
    return (js_sys::Date::now() / 1000.0) as i64;
    #[cfg(not(feature = "hydrate"))]
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A moment as the same text on the server and in the browser: `2026-12-02 14:05 UTC`.
pub fn utc_time(secs: i64) -> String {
    let (year, month, day) = civil(secs.div_euclid(86_400));
    let minutes = secs.rem_euclid(86_400) / 60;
    format!(
        "{year}-{month:02}-{day:02} {:02}:{:02} UTC",
        minutes / 60,
        minutes % 60
    )
}

/// The civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(1), "1 byte");
        assert_eq!(human_size(999), "999 bytes");
        assert_eq!(human_size(1_000), "1.0 KB");
        assert_eq!(human_size(4_200_000), "4.2 MB");
        assert_eq!(human_size(999_999), "1.0 MB");
        assert_eq!(human_size(15_000_000_000), "15 GB");
    }

    #[test]
    fn moments_read_the_same_everywhere() {
        assert_eq!(utc_time(1_709_600_000), "2024-03-05 00:53 UTC");
    }

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("10GiB"), Ok(10 * (1 << 30)));
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("1024"), Ok(1024));
        assert_eq!(parse_size("1.5 KiB"), Ok(1536));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }

    #[test]
    fn times_read_relative_then_as_dates() {
        let now = 1_764_000_000; // 2025-11-24
        assert_eq!(relative_time(now - 5, now), "just now");
        assert_eq!(relative_time(now - 60, now), "1 minute ago");
        assert_eq!(relative_time(now - 7_200, now), "2 hours ago");
        assert_eq!(relative_time(now - 3 * 86_400, now), "3 days ago");
        assert_eq!(relative_time(now - 30 * 86_400, now), "Oct 25");
        assert_eq!(relative_time(1_709_600_000, now), "Mar 5, 2024");
    }
}
