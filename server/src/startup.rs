//! Builds the application from settings: database, migrations, sessions, services, router, and
//! the listener. Tests start the real thing on port 0 through `Application::build`.

use std::{
    future::{Future, IntoFuture},
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context;
use axum::{extract::DefaultBodyLimit, middleware, Router};
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::{
    compression::{
        predicate::{DefaultPredicate, Predicate},
        CompressionLayer,
    },
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::TraceLayer,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

use crate::{
    config::Settings,
    db,
    files::uploads::Uploads,
    identity::{jwt::JwtKeys, Identity},
    metrics::Metrics,
    middleware::{
        availability, client_ip, csrf, page_guard, record_metrics, security_headers, session_user,
    },
    pages, routes,
    state::AppState,
    storage::BlobStore,
    sweeps, tls,
};

pub struct Application {
    listener: std::net::TcpListener,
    router: Router,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
    /// The search indexer, stopped (and its index closed) when serving ends.
    indexer: (tokio::task::JoinHandle<()>, Arc<tokio::sync::Notify>),
    readiness: Arc<crate::readiness::Readiness>,
    drain: Duration,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let settings = Arc::new(settings);
        std::fs::create_dir_all(&settings.data_dir).with_context(|| {
            format!(
                "cannot create data directory {}",
                settings.data_dir.display()
            )
        })?;
        let db = db::connect(&settings).await?;
        db::migrate(&db).await?;
        let jwt = JwtKeys::load(&db, settings.auth.access_token_ttl_secs)
            .await
            .map_err(|e| anyhow::anyhow!("cannot load the token signing key: {e}"))?;
        let identity = Arc::new(Identity::new(db.clone(), jwt, settings.clone()));
        let leptos = LeptosOptions::builder()
            .output_name(app::OUTPUT_NAME)
            .site_root(settings.site_root.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .site_addr(settings.addr)
            .env(leptos::config::Env::PROD)
            .build();
        let blobs =
            BlobStore::from_settings(&settings.storage, &settings.data_dir, Some(db.clone()))?;
        sweeps::spawn_trash_sweep(
            db.clone(),
            blobs.clone(),
            settings.files.trash_retention_days,
        );
        sweeps::spawn_storage_sampler(db.clone());
        let files = &settings.files;
        let uploads = Uploads::new(
            &settings.data_dir,
            &blobs,
            files.max_upload_bytes,
            files.upload_expiry_hours,
        )
        .context("cannot create the uploads directory")?;
        let uploads = Arc::new(uploads);
        sweeps::spawn_upload_sweep(db.clone(), uploads.clone());
        let previews = crate::previews::Previews::new(&settings, blobs.clone());
        sweeps::spawn_page_sweep(db.clone(), previews.clone());
        if settings.previews.in_process {
            let workers = crate::jobs::worker::pool_size(settings.previews.workers);
            crate::jobs::worker::spawn_pool(&db, &previews, workers);
        }
        let search = Arc::new(
            crate::search::Search::open(&crate::search::Search::dir(&settings.data_dir))
                .context("cannot open the search index")?,
        );
        let indexer =
            crate::search::indexer::Indexer::new(search.clone(), db.clone(), blobs.clone());
        let stop_indexer = Arc::new(tokio::sync::Notify::new());
        let indexer = tokio::spawn(indexer.run_until(stop_indexer.clone()));
        let readiness = crate::readiness::Readiness::new(db.clone());
        let small_files = crate::files::group_commit::GroupCommit::start(db.clone(), blobs.clone());
        let started = Instant::now();
        let admin = crate::admin::Admin::new(
            db.clone(),
            search.clone(),
            blobs.clone(),
            settings.clone(),
            started,
            identity.accounts().clone(),
        );
        let service = crate::service::Service::new(crate::service::Parts {
            db: db.clone(),
            blobs,
            settings: settings.clone(),
            uploads: uploads.clone(),
            small_files,
            previews,
            search,
        });
        let state = AppState {
            service,
            settings: settings.clone(),
            identity,
            admin: Arc::new(admin),
            metrics: Arc::new(Metrics::default()),
            leptos,
            started,
            readiness: readiness.clone(),
        };

        let router = with_sessions(build_router(state), &db, &settings);
        let tls = tls::rustls_config(&settings).await?;
        let listener = std::net::TcpListener::bind(settings.addr)
            .with_context(|| format!("cannot listen on {}", settings.addr))?;
        listener.set_nonblocking(true)?;
        Ok(Self {
            listener,
            router,
            tls,
            indexer: (indexer, stop_indexer),
            readiness,
            drain: Duration::from_secs(settings.drain_secs),
        })
    }

    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_default()
    }

    /// Serves until SIGTERM or Ctrl-C. On SIGTERM the node drains first: `/readyz` answers
    /// 503 for `drain_secs` while requests are still served; then the listener closes and
    /// requests in flight finish (30 s at most).
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let readiness = self.readiness.clone();
        let drain = self.drain;
        self.run_until(async move {
            if shutdown_signal().await == Signal::Terminate && !drain.is_zero() {
                readiness.drain();
                tracing::info!(
                    secs = drain.as_secs(),
                    "draining: /readyz answers 503, requests are still served"
                );
                tokio::time::sleep(drain).await;
            }
        })
        .await
    }

    pub async fn run_until(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let addr = self.listener.local_addr()?;
        // Live streams end (with a reconnect hint) as the listener closes: they would
        // otherwise keep the graceful stop waiting for ever.
        let readiness = self.readiness.clone();
        let (stopping, mut stopped) = tokio::sync::watch::channel(false);
        let stop = async move {
            stop.await;
            readiness.drain();
            stopping.send_replace(true);
        };
        let deadline = async move {
            let _ = stopped.wait_for(|s| *s).await;
            tokio::time::sleep(FINISH_WITHIN).await;
            tracing::warn!(
                "requests still running {FINISH_WITHIN:?} after the stop; stopping anyway"
            );
        };
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        match self.tls {
            Some(config) => {
                tracing::info!(%addr, "GoSync is serving on https://{addr}");
                let handle = axum_server::Handle::new();
                let stopper = handle.clone();
                tokio::spawn(async move {
                    stop.await;
                    stopper.graceful_shutdown(Some(FINISH_WITHIN));
                });
                axum_server::from_tcp_rustls(self.listener, config)
                    .handle(handle)
                    .serve(service)
                    .await?;
            }
            None => {
                tracing::info!(%addr, "GoSync is serving on http://{addr}");
                let listener = TcpListener::from_std(self.listener)?;
                let serve = axum::serve(listener, service).with_graceful_shutdown(stop);
                tokio::select! {
                    served = serve.into_future() => served?,
                    () = deadline => {}
                }
            }
        }
        let (indexer, stop) = self.indexer;
        stop.notify_one();
        let _ = indexer.await;
        tracing::info!("GoSync stopped");
        Ok(())
    }
}

fn build_router(state: AppState) -> Router {
    let body_limit = state.settings.limits.json_body_bytes;
    Router::new()
        .nest("/api/v1", routes::api_router())
        .merge(routes::service_router())
        .merge(crate::dav::router())
        .merge(pages::router(&state))
        .layer(middleware::from_fn(page_guard::guard_pages))
        .layer(middleware::from_fn_with_state(state.clone(), session_user::check))
        .layer(middleware::from_fn(csrf::refuse_cross_site))
        .layer(middleware::from_fn_with_state(state.clone(), availability::guard))
        .layer(middleware::from_fn_with_state(state.clone(), client_ip::client_ip))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(state.clone(), record_metrics::record))
        .layer(middleware::from_fn_with_state(state.clone(), security_headers::add))
        .layer(CompressionLayer::new().compress_when(compressible()))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<_>| {
            let request_id = request
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), %request_id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// Browser sessions in the same database, so any node can serve any request.
fn with_sessions(router: Router, db: &DatabaseConnection, settings: &Settings) -> Router {
    let expiry = Expiry::OnInactivity(tower_sessions::cookie::time::Duration::days(
        settings.auth.session_ttl_days as i64,
    ));
    let secure = settings.served_over_https();
    let store = crate::identity::sessions::Sessions::new(db.clone());
    sweeps::spawn_expired_session_sweep(store.clone());
    let layer = SessionManagerLayer::new(store)
        .with_name("gosync_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(expiry);
    router.layer(layer)
}

/// How long requests in flight may take to finish once the listener is closed.
const FINISH_WITHIN: Duration = Duration::from_secs(30);

#[derive(PartialEq)]
enum Signal {
    Interrupt,
    Terminate,
}

async fn shutdown_signal() -> Signal {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    let signal = tokio::select! {
        _ = ctrl_c => Signal::Interrupt,
        _ = terminate => Signal::Terminate,
    };
    tracing::info!("shutting down: finishing requests in flight");
    signal
}

/// Pages, scripts, styles and JSON are compressed; downloads (anything sent as an attachment:
/// files, zips) go as stored, with their exact length and ranges intact.
fn compressible() -> impl Predicate {
    DefaultPredicate::new().and(
        |_: axum::http::StatusCode,
         _: axum::http::Version,
         headers: &axum::http::HeaderMap,
         _: &axum::http::Extensions| {
            !headers.contains_key(axum::http::header::CONTENT_DISPOSITION)
        },
    )
}
