//! LOCK (a new exclusive or shared write lock, on an item or on a name not yet used, which
//! makes an empty file; or, with no body, a refresh) and UNLOCK.

use std::time::Duration;

use axum::{
    body::Body,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use uuid::Uuid;

use super::{
    path::DavPath,
    props::active_lock,
    reply::Reply,
    resolve::{Found, Place},
    xml::{self, DAV},
    Dav,
};
use crate::{
    entities::dav_lock,
    service::{LockRequest, Touches, Uploader, Wanted, MAX_LOCK_TIMEOUT},
};

/// The timeout a client asks for (`Second-N` or `Infinite`, the first one understood).
fn timeout(headers: &HeaderMap) -> Duration {
    let asked = headers
        .get("timeout")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    for part in asked.split(',').map(str::trim) {
        if part.eq_ignore_ascii_case("infinite") {
            return MAX_LOCK_TIMEOUT;
        }
        if let Some(secs) = part
            .strip_prefix("Second-")
            .and_then(|s| s.parse::<u64>().ok())
        {
            return Duration::from_secs(secs.max(1));
        }
    }
    Duration::from_secs(3600)
}

fn answer(status: StatusCode, lock: &dav_lock::Model, place: &Place, new: bool) -> Response {
    // The lock's root: the item itself, or the folder above whose deep lock was refreshed.
    let hrefs = place.hrefs();
    let roots = move |id: Uuid| hrefs.get(&id).cloned();
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:prop xmlns:D=\"DAV:\"><D:lockdiscovery>{}</D:lockdiscovery></D:prop>\n",
        active_lock(lock, &roots)
    );
    let mut response = (
        status,
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
        .into_response();
    if new {
        if let Ok(v) = HeaderValue::from_str(&format!("<{}>", lock.token)) {
            response.headers_mut().insert("lock-token", v);
        }
    }
    response
}

pub async fn lock(
    dav: &Dav,
    path: DavPath,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, Reply> {
    let body = super::write::small_body(body).await?;
    let place = dav.resolve(&path).await?;
    let tokens = dav.check_if(&place, headers).await?;
    let info = xml::parse(&body)
        .map_err(|_| Reply::bad_request("The LOCK body is not well-formed XML."))?;
    let Some(info) = info else {
        // A refresh: the lock named in the If header, on this item.
        let Some(node) = place.node() else {
            return Err(Reply::not_found());
        };
        let token = tokens
            .first()
            .ok_or_else(|| Reply::bad_request("Name the lock to refresh in the If header."))?;
        let lock = dav
            .service
            .refresh_lock(&dav.actor, node.id, token, timeout(headers))
            .await
            .map_err(|_| Reply::precondition())?;
        return Ok(answer(StatusCode::OK, &lock, &place, false));
    };
    if !info.is(DAV, "lockinfo") {
        return Err(Reply::bad_request("A LOCK body is a DAV:lockinfo element."));
    }
    let shared = match info.child(DAV, "lockscope") {
        Some(scope) if scope.child(DAV, "shared").is_some() => true,
        Some(scope) if scope.child(DAV, "exclusive").is_some() => false,
        _ => return Err(Reply::bad_request("Say exclusive or shared in lockscope.")),
    };
    if info
        .child(DAV, "locktype")
        .and_then(|t| t.child(DAV, "write"))
        .is_none()
    {
        return Err(Reply::bad_request("Only write locks exist."));
    }
    let deep = match headers.get("depth").and_then(|v| v.to_str().ok()) {
        None => true,
        Some(d) if d.eq_ignore_ascii_case("infinity") => true,
        Some("0") => false,
        Some(_) => return Err(Reply::bad_request("Depth is 0 or infinity for LOCK.")),
    };
    let request = LockRequest {
        shared,
        deep,
        owner_xml: info.child(DAV, "owner").map(xml::Elem::inner_xml),
        timeout: timeout(headers),
    };
    let (node, status) = match &place.found {
        Found::Node(node) => (node.clone(), StatusCode::OK),
        Found::SharedRoot => return Err(Reply::forbidden("This folder cannot be locked.")),
        Found::Missing(_) => {
            // Locking a name not in use makes an empty file there (RFC 4918 §7.3).
            let Some(folder) = place.parent_folder().cloned() else {
                return Err(Reply::conflict("The folder to put this in does not exist."));
            };
            dav.service
                .check_locks(&dav.actor, &[Touches::Item(folder.id)], &tokens)
                .await?;
            let uploader = Uploader {
                actor: dav.actor.clone(),
                account: Some(dav.user.clone()),
            };
            let wanted = Wanted {
                filename: path.name().unwrap_or_default().to_owned(),
                parent: folder.id,
                relative_path: None,
                mtime: None,
            };
            let empty = futures::stream::empty::<Result<bytes::Bytes, axum::Error>>();
            let id = dav
                .service
                .upload_whole(&uploader, wanted, Some(0), empty)
                .await?;
            let node = dav
                .service
                .node(&dav.actor, id, crate::policy::Need::Read)
                .await?;
            (node, StatusCode::CREATED)
        }
    };
    let lock = dav.service.lock(&dav.actor, node.id, request).await?;
    let mut place = place;
    place.chain.push((node.id, path.href(node.is_folder())));
    Ok(answer(status, &lock, &place, true))
}

pub async fn unlock(dav: &Dav, path: DavPath, headers: &HeaderMap) -> Result<Response, Reply> {
    let token = headers
        .get("lock-token")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned()
        })
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Reply::bad_request("Name the lock in a Lock-Token header."))?;
    let place = dav.resolve(&path).await?;
    let Some(node) = place.node() else {
        return Err(Reply::not_found());
    };
    dav.service.unlock(&dav.actor, node.id, &token).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
