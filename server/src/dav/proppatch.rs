//! PROPPATCH: dead properties set and removed, all or none; `getlastmodified` (and Windows'
//! `Win32LastModifiedTime`) set the item's modification time, as rclone and Explorer send it.

use axum::{
    body::Body,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};

use super::{
    path::DavPath,
    props::{is_live, propstat, MS, MULTISTATUS_CLOSE, MULTISTATUS_OPEN},
    reply::Reply,
    xml::{self, empty_prop, text, Elem, DAV},
    Dav,
};
use crate::service::{PropChange, Touches};

/// What one property in the request becomes.
enum Step {
    Dead(PropChange),
    Mtime(DateTime<Utc>),
    /// Accepted and ignored (Windows' other file times and attributes).
    Ignored,
    Refused(StatusCode),
}

fn step(prop: &Elem, set: bool) -> Step {
    let is_time = (prop.ns == DAV && prop.name == "getlastmodified")
        || (prop.ns == MS && prop.name == "Win32LastModifiedTime");
    if is_time && set {
        return match httpdate::parse_http_date(prop.text().trim()) {
            Ok(when) => Step::Mtime(when.into()),
            Err(_) => Step::Refused(StatusCode::CONFLICT),
        };
    }
    if prop.ns == MS && prop.name.starts_with("Win32") {
        return Step::Ignored;
    }
    if prop.ns == DAV || is_live(&prop.ns, &prop.name) {
        return Step::Refused(StatusCode::FORBIDDEN);
    }
    Step::Dead(PropChange {
        namespace: prop.ns.clone(),
        name: prop.name.clone(),
        value: set.then(|| prop.inner_xml()),
    })
}

pub async fn proppatch(
    dav: &Dav,
    path: DavPath,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, Reply> {
    let body = super::write::small_body(body).await?;
    let place = dav.resolve(&path).await?;
    let tokens = dav.check_if(&place, headers).await?;
    let node = place.existing("This folder has no properties to change.")?;
    let root = xml::parse(&body)
        .map_err(|_| Reply::bad_request("The PROPPATCH body is not well-formed XML."))?
        .filter(|r| r.is(DAV, "propertyupdate"))
        .ok_or_else(|| Reply::bad_request("A PROPPATCH body is a DAV:propertyupdate element."))?;
    dav.service
        .check_locks(&dav.actor, &[Touches::Item(node.id)], &tokens)
        .await?;
    let mut steps: Vec<(String, String, Step)> = Vec::new();
    for op in root.elems() {
        let set = match (op.ns.as_str(), op.name.as_str()) {
            (DAV, "set") => true,
            (DAV, "remove") => false,
            _ => continue,
        };
        for prop in op
            .elems()
            .filter(|e| e.is(DAV, "prop"))
            .flat_map(Elem::elems)
        {
            steps.push((prop.ns.clone(), prop.name.clone(), step(prop, set)));
        }
    }
    let failed = steps.iter().any(|(_, _, s)| matches!(s, Step::Refused(_)));
    if !failed {
        let changes: Vec<PropChange> = steps
            .iter()
            .filter_map(|(_, _, s)| match s {
                Step::Dead(c) => Some(c.clone()),
                _ => None,
            })
            .collect();
        if !changes.is_empty() {
            dav.service
                .patch_props(&dav.actor, node.id, &changes)
                .await?;
        }
        if let Some(when) = steps.iter().find_map(|(_, _, s)| match s {
            Step::Mtime(w) => Some(*w),
            _ => None,
        }) {
            dav.service.set_modified(&dav.actor, node.id, when).await?;
        }
    }
    let mut out = String::from(MULTISTATUS_OPEN);
    out.push_str(&format!(
        "<D:response><D:href>{}</D:href>",
        text(&path.href(node.is_folder()))
    ));
    for (ns, name, step) in &steps {
        let status = match step {
            Step::Refused(code) => *code,
            _ if failed => StatusCode::FAILED_DEPENDENCY,
            _ => StatusCode::OK,
        };
        let line = format!(
            "{} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        );
        out.push_str(&propstat(&empty_prop(ns, name), &line));
    }
    out.push_str("</D:response>");
    out.push_str(MULTISTATUS_CLOSE);
    Ok((
        StatusCode::MULTI_STATUS,
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        out,
    )
        .into_response())
}
