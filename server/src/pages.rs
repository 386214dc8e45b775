//! The Leptos side of the router: server-rendered pages, server functions, and static files
//! from the built site, all with the services provided as context.

use std::sync::OnceLock;

use app::{services::Services, shell, App};
use axum::{
    body::Body,
    extract::{Request, State},
    response::IntoResponse,
    routing::post,
    Router,
};
use leptos::prelude::provide_context;
use leptos_axum::{
    generate_route_list, handle_server_fns_with_context, AxumRouteListing, LeptosRoutes,
};

use crate::state::AppState;

/// The page routes, generated once per process: generating them sets a process-wide flag in
/// Leptos that stalls any page rendering at that moment (leptos-rs/leptos#4773), which bites
/// when several applications start in one process (the integration tests).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: &AppState) -> Router<AppState> {
    let routes = route_list();
    let services = services(state);
    let context = move || {
        leptos::nonce::provide_nonce();
        provide_context(services.clone());
    };
    let leptos = state.leptos.clone();
    let fns_context = context.clone();
    Router::new()
        .route(
            "/api/{*fn_name}",
            post(move |request: Request<Body>| {
                handle_server_fns_with_context(fns_context.clone(), request)
            }),
        )
        .leptos_routes_with_context(state, routes, context.clone(), move || {
            shell(leptos.clone())
        })
        .fallback(fallback)
}

/// What the server functions reach the server through.
fn services(state: &AppState) -> Services {
    let service = &state.service;
    Services {
        account: std::sync::Arc::new(crate::account_settings::AccountSettings::new(
            service.clone(),
        )),
        identity: state.identity.clone(),
        admin: state.admin.clone(),
        drive: std::sync::Arc::new(crate::drive::Drive::new(service.clone())),
        search: std::sync::Arc::new(crate::search::service::ForUi::new(service.clone())),
        sharing: std::sync::Arc::new(crate::sharing::service::Sharing::new(service.clone())),
        links: std::sync::Arc::new(crate::sharing::link_pages::LinkPages::new(service.clone())),
    }
}

async fn fallback(State(state): State<AppState>, request: Request<Body>) -> impl IntoResponse {
    let services = services(&state);
    let handler = leptos_axum::file_and_error_handler_with_context(
        move || {
            leptos::nonce::provide_nonce();
            provide_context(services.clone());
        },
        shell,
    );
    let uri = request.uri().clone();
    handler(uri, State(state), request).await
}
