//! COPY and MOVE within this server: Depth (a folder's copy with or without its contents),
//! Overwrite (what was at the destination goes to the trash first), and a rename that only
//! changes a name's case.

use axum::{
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

use super::{
    path::DavPath,
    reply::Reply,
    resolve::{Found, Parent},
    Dav,
};
use crate::service::Touches;

pub async fn copy_or_move(
    dav: &Dav,
    path: DavPath,
    headers: &HeaderMap,
    moving: bool,
) -> Result<Response, Reply> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let destination = headers
        .get("destination")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| Reply::bad_request("Say where to with a Destination header."))?;
    let target = DavPath::destination(destination, host).map_err(|e| match e {
        app::AppError::NotAllowed { message } => Reply::status(StatusCode::BAD_GATEWAY, &message),
        other => Reply::from(other),
    })?;
    let overwrite = match headers.get("overwrite").map(|v| v.as_bytes()) {
        None | Some(b"T") | Some(b"t") => true,
        Some(b"F") | Some(b"f") => false,
        Some(_) => return Err(Reply::bad_request("Overwrite is T or F.")),
    };
    let deep = match headers.get("depth").and_then(|v| v.to_str().ok()) {
        None => true,
        Some(d) if d.eq_ignore_ascii_case("infinity") => true,
        Some("0") if !moving => false,
        Some(_) => {
            return Err(Reply::bad_request(
                "Depth is 0 or infinity for COPY, infinity for MOVE.",
            ))
        }
    };
    let source = dav.resolve(&path).await?;
    let tokens = dav.check_if(&source, headers).await?;
    let item = source.existing("This folder cannot be copied or moved.")?;
    if item.parent_id.is_none() || (moving && source.parent_folder().is_none()) {
        return Err(Reply::forbidden("This folder cannot be moved."));
    }
    if target == path {
        return Err(Reply::forbidden(
            "The source and the destination are the same.",
        ));
    }
    if target.within(&path) {
        return Err(Reply::forbidden("A folder cannot go inside itself."));
    }
    let dest = dav.resolve(&target).await?;
    let dest_tokens = dav.check_if(&dest, headers).await.unwrap_or_default();
    let tokens: Vec<String> = tokens.into_iter().chain(dest_tokens).collect();
    let (folder, existed) = match (&dest.found, &dest.parent) {
        (Found::Node(_), Some(Parent::Folder(folder))) => (folder.clone(), true),
        (Found::Missing(Some(Parent::Folder(folder))), _) => (folder.clone(), false),
        (Found::Missing(None), _) => {
            return Err(Reply::conflict(
                "The folder of the destination does not exist.",
            ))
        }
        _ => {
            return Err(Reply::forbidden(
                "Nothing can be put here: this folder lists what others share with you.",
            ))
        }
    };
    let name = target.name().unwrap_or_default().to_owned();
    let mut touches = vec![Touches::Item(folder.id)];
    if moving {
        touches.push(Touches::Tree(item.id));
        if let Some(from) = source.parent_folder() {
            touches.push(Touches::Item(from.id));
        }
    }
    if let Found::Node(old) = &dest.found {
        if !overwrite {
            return Err(Reply::precondition());
        }
        touches.push(Touches::Tree(old.id));
    }
    dav.service
        .check_locks(&dav.actor, &touches, &tokens)
        .await?;
    if let Found::Node(old) = &dest.found {
        dav.service.trash(&dav.actor, old.id).await?;
    }
    if moving {
        dav.service
            .rename_or_move(&dav.actor, item.id, Some(&name), Some(folder.id))
            .await?;
    } else if !deep && item.is_folder() {
        dav.service
            .create_folder(&dav.actor, folder.id, &name)
            .await?;
    } else {
        dav.service
            .copy(&dav.actor, item.id, Some(folder.id), Some(&name))
            .await?;
    }
    let status = if existed {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::CREATED
    };
    Ok(status.into_response())
}
