//! WebDAV paths: `/dav/…` is the person's own drive, `/dav-shared/…` what others share with
//! them. A path is decoded into names, which the service then validates like any other name.

use app::AppError;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use unicode_normalization::UnicodeNormalization;

/// Where a path points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Space {
    Own,
    Shared,
}

impl Space {
    pub fn prefix(self) -> &'static str {
        match self {
            Space::Own => "/dav/",
            Space::Shared => "/dav-shared/",
        }
    }
}

/// A decoded WebDAV path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DavPath {
    pub space: Space,
    pub names: Vec<String>,
}

/// What a path segment may not hold unencoded in an href.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'/')
    .add(b'&')
    .add(b'\'');

fn bad_path(message: &str) -> AppError {
    AppError::validation("path", message.to_owned())
}

impl DavPath {
    /// The path of a request URI's path (still percent-encoded).
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let (space, rest) = if let Some(rest) = strip(raw, "/dav-shared") {
            (Space::Shared, rest)
        } else if let Some(rest) = strip(raw, "/dav") {
            (Space::Own, rest)
        } else {
            return Err(AppError::NotFound);
        };
        let mut names = Vec::new();
        for segment in rest.split('/').filter(|s| !s.is_empty()) {
            let name = percent_decode_str(segment)
                .decode_utf8()
                .map_err(|_| bad_path("Names must be valid UTF-8."))?;
            if name == "." || name == ".." {
                return Err(bad_path("Paths cannot contain \".\" or \"..\"."));
            }
            // Names are kept in NFC (macOS sends NFD): the same name either way.
            names.push(name.nfc().collect());
        }
        Ok(Self { space, names })
    }

    /// The path of a Destination header (a full URL on this server, or a path).
    pub fn destination(value: &str, host: Option<&str>) -> Result<Self, AppError> {
        let path = match value.split_once("://") {
            Some((_, rest)) => {
                let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                if host.is_some_and(|h| !h.eq_ignore_ascii_case(authority)) {
                    return Err(AppError::not_allowed(
                        "The destination must be on this server.",
                    ));
                }
                path
            }
            None => value,
        };
        let path = path.split(['?', '#']).next().unwrap_or_default();
        Self::parse(path).map_err(|e| match e {
            AppError::NotFound => {
                AppError::not_allowed("The destination must be under /dav/ or /dav-shared/.")
            }
            other => other,
        })
    }

    /// The last name, if any.
    pub fn name(&self) -> Option<&str> {
        self.names.last().map(String::as_str)
    }

    /// The encoded href of this path (with a trailing slash for a collection).
    pub fn href(&self, collection: bool) -> String {
        let mut href = self.space.prefix().to_owned();
        for (i, name) in self.names.iter().enumerate() {
            if i > 0 {
                href.push('/');
            }
            href.extend(utf8_percent_encode(name, SEGMENT));
        }
        if collection && !self.names.is_empty() {
            href.push('/');
        }
        href
    }

    /// The path of child `name`.
    pub fn child(&self, name: &str) -> Self {
        let mut names = self.names.clone();
        names.push(name.to_owned());
        Self {
            space: self.space,
            names,
        }
    }

    /// Whether `self` is `other` or below it.
    pub fn within(&self, other: &DavPath) -> bool {
        self.space == other.space && self.names.starts_with(&other.names)
    }
}

/// Appends `name`, encoded as one path segment.
pub fn push_segment(href: &mut String, name: &str) {
    href.extend(utf8_percent_encode(name, SEGMENT));
}

/// `raw` without `prefix`, when the prefix is a whole first segment.
fn strip<'a>(raw: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = raw.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_decode_to_names_and_encode_back() {
        let p = DavPath::parse("/dav/a%20b/%C3%A9t%C3%A9/").unwrap();
        assert_eq!(p.space, Space::Own);
        assert_eq!(p.names, vec!["a b", "été"]);
        assert_eq!(p.href(true), "/dav/a%20b/%C3%A9t%C3%A9/");
        assert_eq!(DavPath::parse("/dav").unwrap().names, Vec::<String>::new());
        let nfd = DavPath::parse("/dav/e%CC%81t%C3%A9").unwrap();
        assert_eq!(nfd.names, vec!["été"], "NFD from macOS is NFC here");
        assert_eq!(
            DavPath::parse("/dav-shared/x").unwrap().space,
            Space::Shared
        );
        assert!(DavPath::parse("/davx/a").is_err());
        assert!(DavPath::parse("/dav/a/../b").is_err());
        assert!(DavPath::parse("/dav/%FF").is_err());
        let d = DavPath::destination("http://h:1/dav/x%23y", Some("h:1")).unwrap();
        assert_eq!(d.names, vec!["x#y"]);
        assert!(DavPath::destination("http://other/dav/x", Some("h:1")).is_err());
    }
}
