//! What every handler can reach.

use std::{sync::Arc, time::Instant};

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::{
    config::Settings, files::uploads::Uploads, identity::Identity, metrics::Metrics,
    previews::Previews, sharing::links::Links, storage::BlobStore,
};

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub identity: Arc<Identity>,
    pub blobs: BlobStore,
    pub uploads: Arc<Uploads>,
    /// Records small new files in shared transactions.
    pub small_files: crate::files::group_commit::GroupCommit,
    pub links: Arc<Links>,
    pub previews: Arc<Previews>,
    pub search: Arc<crate::search::Search>,
    pub metrics: Arc<Metrics>,
    pub leptos: LeptosOptions,
    pub started: Instant,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
