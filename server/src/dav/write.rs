//! GET and HEAD (the API's own Range and ETag code), PUT (streamed through the uploads'
//! staging and completion), MKCOL and DELETE (to the trash).

use axum::{
    body::Body,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures::{StreamExt, TryStreamExt};

use super::{
    path::DavPath,
    props::etag,
    reply::Reply,
    resolve::{Found, Parent, Place},
    Dav,
};
use crate::service::{Touches, Uploader, Wanted};

/// The most a PROPFIND, PROPPATCH or LOCK body may be.
const MAX_XML_BODY: usize = 1 << 20;

/// A small request body (XML), read whole.
pub async fn small_body(body: Body) -> Result<Bytes, Reply> {
    axum::body::to_bytes(body, MAX_XML_BODY).await.map_err(|_| {
        Reply::status(
            StatusCode::PAYLOAD_TOO_LARGE,
            "The request body is too large.",
        )
    })
}

pub async fn get(dav: &Dav, path: DavPath, headers: &HeaderMap) -> Result<Response, Reply> {
    let place = dav.resolve(&path).await?;
    match &place.found {
        Found::Node(node) if !node.is_folder() => {
            let download = dav.service.download(&dav.actor, node.id, None).await?;
            crate::routes::download::send(download, headers)
                .await
                .map_err(|e| Reply::from(e.0))
        }
        Found::Node(_) | Found::SharedRoot => Ok((
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "This is a GoSync folder over WebDAV. Connect to it with Finder, Explorer, davfs2 or rclone.\n",
        )
            .into_response()),
        Found::Missing(_) => Err(Reply::not_found()),
    }
}

/// Where a new item may go: the folder, or why not.
fn folder_for_new(place: &Place) -> Result<&crate::entities::node::Model, Reply> {
    match &place.found {
        Found::Missing(Some(Parent::Folder(folder))) => Ok(folder),
        Found::Missing(Some(Parent::SharedRoot)) | Found::SharedRoot => Err(Reply::forbidden(
            "Nothing can be made here: this folder lists what others share with you.",
        )),
        Found::Missing(None) => Err(Reply::conflict("The folder to put this in does not exist.")),
        Found::Node(_) => Err(Reply::status(
            StatusCode::METHOD_NOT_ALLOWED,
            "Something of that name is already there.",
        )),
    }
}

fn mtime(headers: &HeaderMap) -> Option<DateTime<Utc>> {
    let secs: i64 = headers
        .get("x-oc-mtime")?
        .to_str()
        .ok()?
        .trim()
        .split('.')
        .next()?
        .parse()
        .ok()?;
    DateTime::from_timestamp(secs, 0)
}

fn length(headers: &HeaderMap) -> Result<Option<i64>, Reply> {
    let chunked = headers
        .get(header::TRANSFER_ENCODING)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"chunked"));
    let named = if chunked {
        headers.get("x-expected-entity-length")
    } else {
        headers.get(header::CONTENT_LENGTH)
    };
    match named {
        None if chunked => Ok(None),
        None => Ok(Some(0)),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .filter(|n| *n >= 0)
            .map(Some)
            .ok_or_else(|| Reply::bad_request("The length of the body cannot be read.")),
    }
}

pub async fn put(
    dav: &Dav,
    path: DavPath,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, Reply> {
    if headers.contains_key(header::CONTENT_RANGE) {
        return Err(Reply::status(
            StatusCode::NOT_IMPLEMENTED,
            "Partial PUT (Content-Range) is not supported; send the whole file.",
        ));
    }
    let place = dav.resolve(&path).await?;
    let tokens = dav.check_if(&place, headers).await?;
    let existing = place.node().cloned();
    if let Some(node) = &existing {
        if node.is_folder() {
            return Err(Reply::status(
                StatusCode::METHOD_NOT_ALLOWED,
                "A folder has no content to replace.",
            ));
        }
    }
    let precondition = match (
        &existing,
        headers.get(header::IF_NONE_MATCH),
        headers.get(header::IF_MATCH),
    ) {
        (Some(_), Some(v), _) if v == "*" => false,
        (None, _, Some(_)) => false,
        (Some(node), _, Some(v)) => {
            v == "*"
                || v.to_str()
                    .is_ok_and(|v| v.split(',').any(|e| e.trim() == etag(node)))
        }
        _ => true,
    };
    if !precondition {
        return Err(Reply::precondition());
    }
    let (folder, name) = match &existing {
        Some(_) => (
            place.parent_folder().cloned().ok_or_else(|| {
                Reply::forbidden("Items shared with you are replaced inside their folder.")
            })?,
            path.name().unwrap_or_default().to_owned(),
        ),
        None => (
            folder_for_new(&place)?.clone(),
            path.name().unwrap_or_default().to_owned(),
        ),
    };
    let touches = match &existing {
        Some(node) => vec![Touches::Item(node.id)],
        None => vec![Touches::Item(folder.id)],
    };
    dav.service
        .check_locks(&dav.actor, &touches, &tokens)
        .await?;
    let length = length(headers)?;
    let when = mtime(headers);
    let uploader = Uploader {
        actor: dav.actor.clone(),
        account: Some(dav.user.clone()),
    };
    let wanted = Wanted {
        filename: name,
        parent: folder.id,
        relative_path: None,
        mtime: when,
    };
    let stream = body.into_data_stream().map_err(axum::Error::new).boxed();
    let id = dav
        .service
        .upload_whole(&uploader, wanted, length, stream)
        .await?;
    let status = if existing.is_some() {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::CREATED
    };
    let mut response = status.into_response();
    if let Ok(node) = dav
        .service
        .node(&dav.actor, id, crate::policy::Need::Read)
        .await
    {
        if let Ok(value) = HeaderValue::from_str(&etag(&node)) {
            response.headers_mut().insert(header::ETAG, value.clone());
            response.headers_mut().insert("oc-etag", value);
        }
        if let Ok(value) = HeaderValue::from_str(&node.id.to_string()) {
            response.headers_mut().insert("oc-fileid", value);
        }
    }
    if when.is_some() {
        response
            .headers_mut()
            .insert("x-oc-mtime", HeaderValue::from_static("accepted"));
    }
    Ok(response)
}

pub async fn mkcol(
    dav: &Dav,
    path: DavPath,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, Reply> {
    let body = small_body(body).await?;
    if !body.is_empty() {
        return Err(Reply::status(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "MKCOL takes no body.",
        ));
    }
    let place = dav.resolve(&path).await?;
    let tokens = dav.check_if(&place, headers).await?;
    let folder = folder_for_new(&place)?.clone();
    dav.service
        .check_locks(&dav.actor, &[Touches::Item(folder.id)], &tokens)
        .await?;
    let name = path.name().unwrap_or_default();
    dav.service
        .create_folder(&dav.actor, folder.id, name)
        .await?;
    Ok(StatusCode::CREATED.into_response())
}

pub async fn delete(dav: &Dav, path: DavPath, headers: &HeaderMap) -> Result<Response, Reply> {
    let place = dav.resolve(&path).await?;
    let tokens = dav.check_if(&place, headers).await?;
    let node = place.existing("This folder cannot be deleted.")?;
    if node.parent_id.is_none() {
        return Err(Reply::forbidden("Your root folder cannot be deleted."));
    }
    let mut touches = vec![Touches::Tree(node.id)];
    if let Some(folder) = place.parent_folder() {
        touches.push(Touches::Item(folder.id));
    }
    dav.service
        .check_locks(&dav.actor, &touches, &tokens)
        .await?;
    dav.service.trash(&dav.actor, node.id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
