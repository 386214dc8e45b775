//! The `If` header (RFC 4918 §10.4): lists of lock tokens and entity tags, each list
//! optionally tagged with the resource it is about. The header holds when one list holds;
//! the tokens it names are those the client submits for the locks it holds.

/// One condition: a lock token or an entity tag, possibly negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub not: bool,
    pub kind: Cond,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cond {
    Token(String),
    Etag(String),
}

/// One list, about the request's resource or the tagged one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    pub tag: Option<String>,
    pub conditions: Vec<Condition>,
}

/// What a resource is now: its entity tag and the tokens of the locks on it.
#[derive(Debug, Clone, Default)]
pub struct State {
    pub etag: Option<String>,
    pub tokens: Vec<String>,
}

/// The header's lists; Err when it cannot be read.
pub fn parse(value: &str) -> Result<Vec<List>, ()> {
    let mut lists = Vec::new();
    let mut tag: Option<String> = None;
    let mut rest = value.trim_start();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let end = after.find('>').ok_or(())?;
            tag = Some(after[..end].to_owned());
            rest = after[end + 1..].trim_start();
            if !rest.starts_with('(') {
                return Err(());
            }
        } else if let Some(after) = rest.strip_prefix('(') {
            let end = after.find(')').ok_or(())?;
            let conditions = conditions(&after[..end])?;
            lists.push(List {
                tag: tag.clone(),
                conditions,
            });
            rest = after[end + 1..].trim_start();
        } else {
            return Err(());
        }
    }
    if lists.is_empty() {
        return Err(());
    }
    Ok(lists)
}

fn conditions(mut s: &str) -> Result<Vec<Condition>, ()> {
    let mut out = Vec::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            break;
        }
        let mut not = false;
        if s.len() >= 3 && s[..3].eq_ignore_ascii_case("not") {
            not = true;
            s = s[3..].trim_start();
        }
        let (kind, rest) = if let Some(after) = s.strip_prefix('<') {
            let end = after.find('>').ok_or(())?;
            (Cond::Token(after[..end].to_owned()), &after[end + 1..])
        } else if let Some(after) = s.strip_prefix('[') {
            let end = after.find(']').ok_or(())?;
            (Cond::Etag(after[..end].to_owned()), &after[end + 1..])
        } else {
            return Err(());
        };
        out.push(Condition { not, kind });
        s = rest;
    }
    if out.is_empty() {
        return Err(());
    }
    Ok(out)
}

/// The lock tokens the header submits (those not negated).
pub fn tokens(lists: &[List]) -> Vec<String> {
    lists
        .iter()
        .flat_map(|l| &l.conditions)
        .filter(|c| !c.not)
        .filter_map(|c| match &c.kind {
            Cond::Token(t) => Some(t.clone()),
            Cond::Etag(_) => None,
        })
        .collect()
}

/// The distinct resource tags the lists name.
pub fn tags(lists: &[List]) -> Vec<String> {
    let mut tags: Vec<String> = lists.iter().filter_map(|l| l.tag.clone()).collect();
    tags.dedup();
    tags
}

/// Whether the header holds, given each resource's state (`None`: the request's resource).
pub fn holds<'a>(lists: &[List], state_of: impl Fn(Option<&str>) -> &'a State) -> bool {
    lists.iter().any(|list| {
        let state = state_of(list.tag.as_deref());
        list.conditions.iter().all(|c| {
            let matched = match &c.kind {
                Cond::Token(t) => state.tokens.iter().any(|s| s == t),
                Cond::Etag(e) => state
                    .etag
                    .as_deref()
                    .is_some_and(|s| s.trim_start_matches("W/") == e.trim_start_matches("W/")),
            };
            matched != c.not
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_parse_and_hold_as_rfc_4918_says() {
        let lists = parse("(<opaquelocktoken:a> [\"e1\"]) (Not <DAV:no-lock>)").unwrap();
        assert_eq!(lists.len(), 2);
        assert_eq!(tokens(&lists), vec!["opaquelocktoken:a"]);
        let locked = State {
            etag: Some("\"e1\"".into()),
            tokens: vec!["opaquelocktoken:a".into()],
        };
        assert!(holds(&lists, |_| &locked));
        let other = State::default();
        // The second list (Not no-lock) always holds.
        assert!(holds(&lists, |_| &other));
        let strict = parse("(<opaquelocktoken:a>)").unwrap();
        assert!(!holds(&strict, |_| &other));
        let tagged = parse("<http://h/dav/x> (<opaquelocktoken:a>)").unwrap();
        assert_eq!(tags(&tagged), vec!["http://h/dav/x"]);
        assert!(parse("garbage").is_err());
        assert!(parse("()").is_err());
    }
}
