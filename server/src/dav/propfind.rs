//! PROPFIND, Depth 0 or 1 (infinity is refused, RFC 4918's `propfind-finite-depth`). A
//! folder's listing comes from a few queries (children, their locks, their dead properties)
//! and is streamed as it is written.

use std::collections::HashMap;

use axum::{
    body::Body,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use futures::{stream, StreamExt};
use uuid::Uuid;

use super::{
    path::DavPath,
    props::{self, Quota, Resource, Want, MULTISTATUS_CLOSE, MULTISTATUS_OPEN},
    reply::Reply,
    resolve::Found,
    xml::{self, DAV},
    Dav,
};
use crate::entities::{dav_lock, dav_prop, node};

/// Entries written per chunk of a streamed listing.
const CHUNK: usize = 256;

pub async fn propfind(
    dav: &Dav,
    path: DavPath,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, Reply> {
    let depth = match headers.get("depth").and_then(|v| v.to_str().ok()) {
        Some("0") => 0,
        Some("1") => 1,
        _ => {
            return Err(Reply::condition(
                StatusCode::FORBIDDEN,
                "propfind-finite-depth",
            ))
        }
    };
    let body = super::write::small_body(body).await?;
    let want = want(&body)?;
    let place = dav.resolve(&path).await?;
    let quota = if props::wants_quota(&want) {
        dav.quota().await?
    } else {
        None
    };
    let hrefs = place.hrefs();
    let roots = move |id: Uuid| hrefs.get(&id).cloned();
    let mut head = String::from(MULTISTATUS_OPEN);
    let entries: Vec<Entry> = match &place.found {
        Found::Missing(_) => return Err(Reply::not_found()),
        Found::SharedRoot => {
            let href = path.href(true);
            let root = Resource {
                href: &href,
                node: None,
                name: "Shared with me",
                locks: Vec::new(),
                props: Vec::new(),
            };
            props::response(&mut head, &root, &want, quota, &roots);
            if depth == 1 {
                let mut entries = Vec::new();
                for (name, item) in dav.shared().await? {
                    let extra = dav.service.dav_item(&dav.actor, item.id).await?;
                    entries.push(Entry {
                        href: path.child(&name).href(item.is_folder()),
                        name,
                        node: item,
                        locks: extra.locks,
                        props: extra.props,
                    });
                }
                entries
            } else {
                Vec::new()
            }
        }
        Found::Node(node) => {
            let item = dav.service.dav_item(&dav.actor, node.id).await?;
            let name = path.name().unwrap_or("");
            let href = path.href(node.is_folder());
            let res = Resource {
                href: &href,
                node: Some(node),
                name,
                locks: item.locks.iter().collect(),
                props: item.props.iter().collect(),
            };
            props::response(&mut head, &res, &want, quota, &roots);
            if depth == 1 && node.is_folder() {
                children(dav, &path, node.id).await?
            } else {
                Vec::new()
            }
        }
    };
    let chunks: Vec<Vec<Entry>> = chunked(entries);
    let tail = stream::iter(chunks).map(move |chunk| {
        let mut out = String::with_capacity(chunk.len() * 700);
        for entry in &chunk {
            let res = Resource {
                href: &entry.href,
                node: Some(&entry.node),
                name: &entry.name,
                locks: entry.locks.iter().collect(),
                props: entry.props.iter().collect(),
            };
            let own = |id: Uuid| {
                if id == entry.node.id {
                    Some(entry.href.clone())
                } else {
                    roots(id)
                }
            };
            props::response(&mut out, &res, &want, quota, &own);
        }
        Ok::<Bytes, std::io::Error>(Bytes::from(out))
    });
    let body = stream::once(async move { Ok(Bytes::from(head)) })
        .chain(tail)
        .chain(stream::once(async {
            Ok(Bytes::from_static(MULTISTATUS_CLOSE.as_bytes()))
        }));
    Ok((
        StatusCode::MULTI_STATUS,
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        Body::from_stream(body),
    )
        .into_response())
}

/// A child in a listing, with what the listing found about it.
struct Entry {
    href: String,
    name: String,
    node: node::Model,
    locks: Vec<dav_lock::Model>,
    props: Vec<dav_prop::Model>,
}

async fn children(dav: &Dav, path: &DavPath, folder: Uuid) -> Result<Vec<Entry>, Reply> {
    let listing = dav.service.dav_folder(&dav.actor, folder).await?;
    let mut locks: HashMap<Uuid, Vec<dav_lock::Model>> = HashMap::new();
    for lock in listing.locks {
        locks.entry(lock.node_id).or_default().push(lock);
    }
    let mut props: HashMap<Uuid, Vec<dav_prop::Model>> = HashMap::new();
    for prop in listing.props {
        props.entry(prop.node_id).or_default().push(prop);
    }
    // The folder's href once; each child's is it and the child's encoded name.
    let base = path.href(true);
    Ok(listing
        .rows
        .into_iter()
        .map(|node| {
            let mut own = locks.remove(&node.id).unwrap_or_default();
            own.extend(listing.inherited.iter().cloned());
            Entry {
                href: child_href(&base, &node),
                name: node.name.clone(),
                props: props.remove(&node.id).unwrap_or_default(),
                locks: own,
                node,
            }
        })
        .collect())
}

fn child_href(base: &str, node: &node::Model) -> String {
    let mut href = String::with_capacity(base.len() + node.name.len() + 8);
    href.push_str(base);
    if !href.ends_with('/') {
        href.push('/');
    }
    super::path::push_segment(&mut href, &node.name);
    if node.is_folder() {
        href.push('/');
    }
    href
}

fn chunked(entries: Vec<Entry>) -> Vec<Vec<Entry>> {
    let mut out = Vec::with_capacity(entries.len() / CHUNK + 1);
    let mut current = Vec::with_capacity(CHUNK);
    for entry in entries {
        current.push(entry);
        if current.len() == CHUNK {
            out.push(std::mem::replace(&mut current, Vec::with_capacity(CHUNK)));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// What the body asks for (an empty body is `allprop`).
fn want(body: &[u8]) -> Result<Want, Reply> {
    let Some(root) = xml::parse(body)
        .map_err(|_| Reply::bad_request("The PROPFIND body is not well-formed XML."))?
    else {
        return Ok(Want::All);
    };
    if !root.is(DAV, "propfind") {
        return Err(Reply::bad_request(
            "A PROPFIND body is a DAV:propfind element.",
        ));
    }
    if root.child(DAV, "propname").is_some() {
        return Ok(Want::Names);
    }
    if let Some(prop) = root.child(DAV, "prop") {
        return Ok(Want::Some(
            prop.elems()
                .map(|e| (e.ns.clone(), e.name.clone()))
                .collect(),
        ));
    }
    if root.child(DAV, "allprop").is_some() {
        return Ok(Want::All);
    }
    Err(Reply::bad_request(
        "A PROPFIND asks for allprop, propname or prop.",
    ))
}

impl Dav {
    /// The person's usage and what their quota leaves.
    pub async fn quota(&self) -> Result<Quota, Reply> {
        let (_, used) = self.service.account_usage(&self.actor).await?;
        Ok(Some((used, self.user.quota_bytes.map(|q| q - used))))
    }
}
