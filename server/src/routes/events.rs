//! `GET /api/v1/events`: live updates for the browser, as server-sent events. A thin adapter:
//! the service decides what the caller may hear of. Events: `ready` once connected, then
//! `change` with `{nodes, folders, trash, resync}` (reload what shows any of them); `reconnect`
//! when this node stops, just before the stream ends (the browser reconnects elsewhere).

use std::time::Duration;

use axum::{
    extract::State,
    response::sse::{Event, KeepAlive, Sse},
};
use futures::{Stream, StreamExt};

use crate::{auth::CurrentUser, state::AppState};

/// Changes to what you may see, as they happen (server-sent events).
#[utoipa::path(get, path = "/api/v1/events", tag = "files", security(("bearer" = [])),
    responses((status = 200, description = "text/event-stream: `ready`, then `change` events \
        with {nodes, folders, trash, resync}"), (status = 401, body = crate::error::ErrorBody)))]
pub async fn events(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Sse<impl Stream<Item = Result<Event, axum::Error>>> {
    let ready = futures::stream::once(async { Ok(Event::default().event("ready").data("{}")) });
    let changes = state
        .service
        .live_events(current.actor)
        .map(|change| Event::default().event("change").json_data(change))
        .take_until(state.readiness.drained());
    // This node is stopping: the browser reconnects at once, through the balancer, to
    // another node (and reloads what it shows, as after any reconnection).
    let reconnect = futures::stream::once(async {
        Ok(Event::default()
            .event("reconnect")
            .data("{}")
            .retry(Duration::from_millis(250)))
    });
    Sse::new(ready.chain(changes).chain(reconnect))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
