//! Puts the peer's IP into request extensions for rate limits (API and server functions).

use std::net::SocketAddr;

use app::services::ClientIp;
use axum::{
    extract::{ConnectInfo, Request},
    middleware::Next,
    response::Response,
};

pub async fn client_ip(mut request: Request, next: Next) -> Response {
    if let Some(ConnectInfo(addr)) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .copied()
    {
        request.extensions_mut().insert(ClientIp(addr.ip()));
    }
    next.run(request).await
}
