//! What a public link's holder reaches without an account: `GET /s/{token}/content` (the
//! linked file, a file below a linked folder with `?id=`, or a folder as a zip) and
//! `POST /s/{token}/unlock` (the link's password, remembered for this browser).

use app::services::{remember_unlocked, unlocked_links, ClientIp};
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap, StatusCode},
    response::Response,
    Extension,
};
use serde::Deserialize;
use tower_sessions::Session;
use uuid::Uuid;

use crate::{
    error::ApiResult,
    extract::ApiJson,
    policy::Actor,
    routes::{download, previews},
    sharing::links::Opened,
    state::AppState,
};

#[derive(Deserialize)]
pub struct ItemQuery {
    /// A file or folder below the linked folder; the linked item itself when absent.
    pub id: Option<Uuid>,
    pub version: Option<i32>,
}

#[derive(Deserialize)]
pub struct Unlock {
    pub password: String,
}

/// Whether this browser may go past the link's password.
pub async fn unlocked(session: &Session, opened: &Opened) -> bool {
    opened.is_open(&unlocked_links(session).await)
}

pub async fn content(
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
    Query(query): Query<ItemQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (opened, actor) = link_actor(&state, &session, &token).await?;
    let id = query.id.unwrap_or(opened.root.id);
    // A link serves current content only: an old version needs the history right it lacks.
    let download = state.service.download(&actor, id, query.version).await?;
    let whole = download.whole_length();
    let response = download::send(download, &headers).await?;
    let response = state
        .service
        .meter_download(&opened, response, whole)
        .await?;
    Ok(noindex(response))
}

#[derive(Deserialize)]
pub struct PreviewQuery {
    pub id: Option<Uuid>,
    pub size: Option<String>,
    pub v: Option<String>,
}

/// `GET /s/{token}/thumbnail?id=&size=`: a thumbnail of what the link shows (not a download).
pub async fn thumbnail(
    State(state): State<AppState>,
    session: Session,
    Path(token): Path<String>,
    Query(query): Query<PreviewQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (opened, actor) = link_actor(&state, &session, &token).await?;
    let id = query.id.unwrap_or(opened.root.id);
    let wanted = previews::ThumbQuery {
        size: query.size,
        v: query.v,
    };
    let response = previews::send_thumbnail(&state, &actor, id, &wanted, &headers).await?;
    Ok(noindex(response))
}

/// `GET /s/{token}/pages/{n}?id=`: a PDF page the link shows, for the viewer.
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Path((token, n)): Path<(String, String)>,
    Query(query): Query<PreviewQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (opened, actor) = link_actor(&state, &session, &token).await?;
    let id = query.id.unwrap_or(opened.root.id);
    let wanted = previews::ThumbQuery {
        size: None,
        v: query.v,
    };
    let response = previews::send_page(&state, &actor, id, &n, &wanted, &headers).await?;
    Ok(noindex(response))
}

/// The link of `token`, opened, and acting as itself once this browser is past its password.
pub(super) async fn link_actor(
    state: &AppState,
    session: &Session,
    token: &str,
) -> ApiResult<(Opened, Actor)> {
    let opened = state.service.open_link(token).await?;
    let open = unlocked(session, &opened).await;
    let actor = state.service.link_actor(&opened, open)?;
    Ok((opened, actor))
}

fn noindex(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert("x-robots-tag", header::HeaderValue::from_static("noindex"));
    response
}

pub async fn unlock(
    State(state): State<AppState>,
    session: Session,
    client: Option<Extension<ClientIp>>,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<Unlock>,
) -> ApiResult<StatusCode> {
    let opened = state.service.open_link(&token).await?;
    let ip = client.map(|Extension(ClientIp(ip))| ip);
    state
        .service
        .unlock_link(&opened, body.password, ip)
        .await?;
    remember_unlocked(&session, opened.link.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
