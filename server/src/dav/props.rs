//! Properties as WebDAV shows them: the live ones GoSync computes (size, type, ETag, dates,
//! locks, quota, a stable file id, the checksum) and the dead ones clients stored.

use chrono::Utc;
use uuid::Uuid;

use super::xml::{empty_prop, prop_tags, text, DAV};
use crate::entities::{dav_lock, dav_prop, node};

pub const OC: &str = "http://owncloud.org/ns";
pub const MS: &str = "urn:schemas-microsoft-com:";

/// What a PROPFIND asks for.
#[derive(Debug, Clone)]
pub enum Want {
    All,
    Names,
    Some(Vec<(String, String)>),
}

/// The live properties `allprop` lists (quota and the ownCloud ones only when asked).
const ALL: [&str; 9] = [
    "creationdate",
    "displayname",
    "getcontentlength",
    "getcontenttype",
    "getetag",
    "getlastmodified",
    "resourcetype",
    "supportedlock",
    "lockdiscovery",
];

/// One resource to describe.
pub struct Resource<'a> {
    pub href: &'a str,
    /// None for `/dav-shared/` itself.
    pub node: Option<&'a node::Model>,
    pub name: &'a str,
    pub locks: Vec<&'a dav_lock::Model>,
    pub props: Vec<&'a dav_prop::Model>,
}

/// The person's usage and what is left (None: no quota).
pub type Quota = Option<(i64, Option<i64>)>;

/// Where each lock's root is, by the locked item's id.
pub type Roots<'a> = &'a dyn Fn(Uuid) -> Option<String>;

pub fn etag(node: &node::Model) -> String {
    match &node.sha256 {
        Some(sha) if !node.is_folder() => format!("\"{sha}\""),
        _ => format!(
            "\"d{}-{}\"",
            node.id.simple(),
            node.modified_at.timestamp_micros()
        ),
    }
}

fn is_collection(res: &Resource) -> bool {
    res.node.is_none_or(node::Model::is_folder)
}

const SUPPORTED_LOCKS: &str = "<D:lockentry><D:lockscope><D:exclusive/></D:lockscope>\
    <D:locktype><D:write/></D:locktype></D:lockentry><D:lockentry><D:lockscope><D:shared/>\
    </D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>";

/// Writes live property `ns:name` (element and value) when the resource has it, straight
/// into `out` (a listing writes ten thousand of these).
fn live(
    out: &mut String,
    res: &Resource,
    ns: &str,
    name: &str,
    quota: Quota,
    roots: Roots,
) -> bool {
    use std::fmt::Write;
    let node = res.node;
    let file = node.filter(|n| !n.is_folder());
    if ns == OC {
        let value = match name {
            "fileid" | "id" => node.map(|n| n.id.to_string()),
            "checksums" => file
                .and_then(|n| n.sha256.as_ref())
                .map(|sha| format!("<X:checksum>SHA256:{sha}</X:checksum>")),
            "size" => node.map(|n| n.size.to_string()),
            _ => None,
        };
        return value.map(|v| push(out, ns, name, &v)).is_some();
    }
    if ns != DAV {
        return false;
    }
    let _ = match name {
        "resourcetype" if is_collection(res) => {
            out.push_str("<D:resourcetype><D:collection/></D:resourcetype>");
            Ok(())
        }
        "resourcetype" => {
            out.push_str("<D:resourcetype/>");
            Ok(())
        }
        "displayname" => write!(out, "<D:displayname>{}</D:displayname>", escape(res.name)),
        "creationdate" => match node {
            Some(n) => {
                use chrono::{Datelike, Timelike};
                let t = n.created_at;
                write!(
                    out,
                    "<D:creationdate>{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z</D:creationdate>",
                    t.year(),
                    t.month(),
                    t.day(),
                    t.hour(),
                    t.minute(),
                    t.second()
                )
            }
            None => return false,
        },
        "getlastmodified" => {
            let at: std::time::SystemTime = node.map_or_else(Utc::now, |n| n.modified_at).into();
            write!(
                out,
                "<D:getlastmodified>{}</D:getlastmodified>",
                httpdate::HttpDate::from(at)
            )
        }
        "getetag" => match node {
            Some(n) => {
                out.push_str("<D:getetag>");
                match &n.sha256 {
                    Some(sha) if !n.is_folder() => {
                        out.push('"');
                        out.push_str(sha);
                        out.push('"');
                    }
                    _ => out.push_str(&etag(n)),
                }
                out.push_str("</D:getetag>");
                Ok(())
            }
            None => return false,
        },
        "getcontentlength" => match file {
            Some(n) => write!(out, "<D:getcontentlength>{}</D:getcontentlength>", n.size),
            None => return false,
        },
        "getcontenttype" => match file {
            Some(n) => write!(
                out,
                "<D:getcontenttype>{}</D:getcontenttype>",
                escape(n.mime.as_deref().unwrap_or("application/octet-stream"))
            ),
            None => return false,
        },
        "supportedlock" => write!(out, "<D:supportedlock>{SUPPORTED_LOCKS}</D:supportedlock>"),
        "lockdiscovery" if res.locks.is_empty() => {
            out.push_str("<D:lockdiscovery/>");
            Ok(())
        }
        "lockdiscovery" => {
            out.push_str("<D:lockdiscovery>");
            for lock in &res.locks {
                out.push_str(&active_lock(lock, roots));
            }
            out.push_str("</D:lockdiscovery>");
            Ok(())
        }
        "quota-used-bytes" => match quota {
            Some((used, _)) => write!(out, "<D:quota-used-bytes>{used}</D:quota-used-bytes>"),
            None => return false,
        },
        "quota-available-bytes" => match quota.and_then(|(_, left)| left) {
            Some(left) => write!(
                out,
                "<D:quota-available-bytes>{}</D:quota-available-bytes>",
                left.max(0)
            ),
            None => return false,
        },
        _ => return false,
    };
    true
}

fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// A lock as `lockdiscovery` shows it.
pub fn active_lock(lock: &dav_lock::Model, roots: Roots) -> String {
    let scope = if lock.shared { "shared" } else { "exclusive" };
    let depth = if lock.deep { "infinity" } else { "0" };
    let left = (lock.timeout_at - Utc::now()).num_seconds().max(0);
    let owner = lock
        .owner_xml
        .as_deref()
        .map(|o| format!("<D:owner>{o}</D:owner>"))
        .unwrap_or_default();
    let root = roots(lock.node_id)
        .map(|href| format!("<D:lockroot><D:href>{}</D:href></D:lockroot>", text(&href)))
        .unwrap_or_default();
    format!(
        "<D:activelock><D:locktype><D:write/></D:locktype><D:lockscope><D:{scope}/></D:lockscope>\
         <D:depth>{depth}</D:depth>{owner}<D:timeout>Second-{left}</D:timeout>\
         <D:locktoken><D:href>{}</D:href></D:locktoken>{root}</D:activelock>",
        text(&lock.token)
    )
}

/// Writes the `<D:response>` for one resource.
pub fn response(out: &mut String, res: &Resource, want: &Want, quota: Quota, roots: Roots) {
    let mut missing = String::new();
    out.push_str("<D:response><D:href>");
    out.push_str(&escape(res.href));
    out.push_str("</D:href><D:propstat><D:prop>");
    let mut found = 0;
    match want {
        Want::Names => {
            let mut scratch = String::new();
            for name in ALL {
                if live(&mut scratch, res, DAV, name, None, roots) {
                    out.push_str(&empty_prop(DAV, name));
                    found += 1;
                }
            }
            for p in &res.props {
                out.push_str(&empty_prop(&p.namespace, &p.name));
                found += 1;
            }
        }
        Want::All => {
            for name in ALL {
                found += usize::from(live(out, res, DAV, name, quota, roots));
            }
            for p in &res.props {
                push(out, &p.namespace, &p.name, &p.value);
                found += 1;
            }
        }
        Want::Some(list) => {
            for (ns, name) in list {
                if live(out, res, ns, name, quota, roots) {
                    found += 1;
                } else if let Some(p) = res
                    .props
                    .iter()
                    .find(|p| &p.namespace == ns && &p.name == name)
                {
                    push(out, ns, name, &p.value);
                    found += 1;
                } else {
                    missing.push_str(&empty_prop(ns, name));
                }
            }
        }
    }
    out.push_str("</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>");
    if found == 0 && !missing.is_empty() {
        // Nothing found: drop the empty 200 propstat.
        let at = out.rfind("<D:propstat>").unwrap_or(out.len());
        out.truncate(at);
    }
    if !missing.is_empty() {
        out.push_str(&propstat(&missing, "404 Not Found"));
    }
    out.push_str("</D:response>");
}

fn push(out: &mut String, ns: &str, name: &str, value: &str) {
    if value.is_empty() {
        out.push_str(&empty_prop(ns, name));
        return;
    }
    let (open, close) = prop_tags(ns, name);
    out.push_str(&open);
    out.push_str(value);
    out.push_str(&close);
}

pub fn propstat(props: &str, status: &str) -> String {
    format!(
        "<D:propstat><D:prop>{props}</D:prop><D:status>HTTP/1.1 {status}</D:status></D:propstat>"
    )
}

pub const MULTISTATUS_OPEN: &str =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:multistatus xmlns:D=\"DAV:\">";
pub const MULTISTATUS_CLOSE: &str = "</D:multistatus>\n";

/// Whether a PROPFIND asks for the quota (which costs a query).
pub fn wants_quota(want: &Want) -> bool {
    matches!(want, Want::Some(list) if list.iter().any(|(ns, n)| ns == DAV && n.starts_with("quota-")))
}

/// Whether `ns:name` is a property GoSync computes (it cannot be set or removed).
pub fn is_live(ns: &str, name: &str) -> bool {
    (ns == DAV
        && (ALL.contains(&name) || name == "quota-used-bytes" || name == "quota-available-bytes"))
        || (ns == OC && matches!(name, "fileid" | "id" | "checksums" | "size"))
}
