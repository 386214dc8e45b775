//! What every handler can reach: the service layer and the services beside it (identity,
//! administration), the settings, and the process's own counters. No database handle: a
//! handler acts only through [`Service`], which asks the policy.

use std::{sync::Arc, time::Instant};

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use crate::{
    admin::Admin, config::Settings, identity::Identity, metrics::Metrics, service::Service,
};

#[derive(Clone)]
pub struct AppState {
    pub service: Service,
    pub settings: Arc<Settings>,
    pub identity: Arc<Identity>,
    pub admin: Arc<Admin>,
    pub metrics: Arc<Metrics>,
    pub leptos: LeptosOptions,
    pub started: Instant,
    /// Draining, and whether the database answers (see `readiness`).
    pub readiness: Arc<crate::readiness::Readiness>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}
