//! Puts the client's IP into request extensions for rate limits (API and server functions):
//! the peer's address, or, when the peer is a trusted proxy (`trusted_proxies`), the last
//! address in `X-Forwarded-For` that is not one. A header from anyone else is ignored, so a
//! client cannot pick the address its attempts are counted against.

use std::net::{IpAddr, SocketAddr};

use app::services::ClientIp;
use axum::{
    extract::{ConnectInfo, Request, State},
    http::HeaderMap,
    middleware::Next,
    response::Response,
};

use crate::state::AppState;

pub async fn client_ip(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(addr)) = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .copied()
    {
        let trusted = &state.settings.trusted_proxies;
        let ip = client_of(addr.ip(), request.headers(), trusted);
        request.extensions_mut().insert(ClientIp(ip));
    }
    next.run(request).await
}

/// The client behind `peer`, as the trusted proxies say.
fn client_of(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .or(forwarded.first())
        .copied()
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    #[test]
    fn only_a_trusted_proxy_is_believed_and_the_nearest_untrusted_address_counts() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let peer: IpAddr = "203.0.113.9".parse().unwrap();
        let forged = headers("1.2.3.4");
        assert_eq!(
            client_of(peer, &forged, &[proxy]),
            peer,
            "not a proxy: ignored"
        );
        let chain = headers("1.2.3.4, 198.51.100.7");
        assert_eq!(
            client_of(proxy, &chain, &[proxy]),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_of(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }
}
